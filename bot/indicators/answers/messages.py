"""What a refused answer says: the limits answers are held to, the words people use, the
message of every refusal, and :class:`AnswerError` that carries one."""

from __future__ import annotations

from typing import Any, NoReturn

from bot.i18n import N_, LocalizedError, Msg
from bot.indicators.catalog import Text

MAX_TEXT = 4096  # a Telegram message is at most 4096 characters
MAX_URL = 2000
MAX_BASE = 100_000
MAX_COUNT = 1_000_000  # no count a school reports comes near this
MAX_DIGITS = 12
MAX_ITEM = 200
MAX_DOCUMENT_MB = 20
MAX_DOCUMENT_BYTES = MAX_DOCUMENT_MB * 1024 * 1024
QUOTE_LIMIT = 120  # how much of the typed text a message repeats

DOCUMENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DOCUMENT_TYPE_LIST = "PDF, DOC, DOCX, XLS, XLSX"

# Words that mean "none" / "zero" (compared after norm: lower case, ё → е).
NONE_WORDS = frozenset(
    {"нет", "нету", "no", "none", "ноль", "zero", "nothing", "-", "–", "—"}
    | {"отсутствует", "отсутствуют", "не имеется", "не имеются", "не было"}
    | {"нет таких", "таких нет", "ни одного", "ни одной", "нет ни одного", "нет ни одной"}
    | {"никого", "никто", "ни один", "ни одна", "нисколько", "0 человек", "0 чел"}
)
# words before a number that say it is approximate («около 20 %»): the number is taken
APPROXIMATELY = (
    "около",
    "примерно",
    "приблизительно",
    "порядка",
    "где-то",
    "почти",
    "about",
    "around",
    "approximately",
    "roughly",
    "~",
    "≈",
)
YES_WORDS = frozenset(
    {"да", "д", "yes", "y", "yeah", "yep", "+", "есть", "имеется", "имеются", "конечно"}
    | {"заключен", "заключены", "true"}
)
NO_WORDS = frozenset(
    {"нет", "н", "no", "n", "nope", "-", "–", "—", "нету", "отсутствует", "отсутствуют"}
    | {"не имеется", "не имеются", "не заключены", "не заключен", "false"}
)
NOT_TAKING_PART = frozenset(
    {"не участвует", "не участвуем", "не участвуют", "не принимает участия"}
    | {"не принимаем участия", "нигде", "none of them", "does not take part"}
)
# Words around option names that name no option («участвуем в проекте ...»).
CHOICE_FILLER = frozenset(
    {"и", "а", "также", "в", "во", "на", "and", "also", "in", "the", "of", "project", "projects"}
    | {"проект", "проекта", "проекте", "проекты", "проектах", "проектов", "фп"}
    | {"федеральный", "федеральном", "федеральных", "федеральные", "национальный"}
    | {"участвуем", "участвует", "участвуют", "участие", "участвовали", "we", "take", "part"}
)
# Words naming what a count list counts («2 вакансии»): not positions themselves.
LIST_TOPICS = frozenset(
    {"вакансия", "вакансии", "вакансий", "ставка", "ставки", "ставок", "шт", "штук"}
    | {"vacancy", "vacancies", "position", "positions", "open"}
)
BARE_CYRILLIC_ZONES = frozenset({"рф", "рус", "дети", "москва", "онлайн", "орг"})

QUOTES = "«»\"“”„‟'’‘`"
DASHES = "-–—−"
INT = r"[0-9]{1,3}(?: [0-9]{3})+|[0-9]+"
SIGN = rf"(?P<sign>[{DASHES}])? ?"


# --------------------------------------------------------------------------- problems


class AnswerError(LocalizedError, ValueError):
    """An answer that cannot be accepted; its message says why and how to fix it."""


def refuse(msgid: str, localized: dict[str, Text] | None = None, **params: Any) -> NoReturn:
    """Refuse the answer: ``params`` are plain, ``localized`` hold texts in each language."""
    raise AnswerError(Msg(msgid, {**params, **(localized or {})}))


# --------------------------------------------------------------------------- messages

EMPTY = N_("The answer is empty. Please type it again.")
TOO_LONG = N_(
    "The answer is too long ({length} characters). Please keep it within {limit} characters."
)
NOT_A_NUMBER = N_("“{text}” is not a number. Please type a whole number, for example {example}.")
NOT_WHOLE = N_(
    "“{text}” is not a whole number. People and positions are counted in whole numbers: "
    "please type, for example, {example}."
)
NEGATIVE = N_("A count cannot be negative (you typed “{text}”). Please type 0 or more.")
TOO_LARGE = N_("“{text}” is too large: the number here cannot exceed {limit}. Please check it.")
COUNT_ABOVE_BASE = N_(
    "{count} is more than {base}, the number you gave for “{base_title}”. Please check the number."
)
BASE_NOT_POSITIVE = N_(
    "The number must be more than zero (you typed “{text}”). "
    "Please type how many there are, for example 40."
)

SHARE_NOT_UNDERSTOOD = N_(
    "“{text}” is not a share. Please type a percentage, such as 30 or 30.5 %, "
    "or a count, such as 12 of 40."
)
SHARE_OVER_100 = N_(
    "A share cannot exceed 100 % (you typed “{text}”). "
    "Please type a percentage from 0 to 100, or a count, such as 12 of 40."
)
SHARE_NEGATIVE = N_(
    "A share cannot be negative (you typed “{text}”). Please type a percentage from 0 to 100."
)
SHARE_FRACTIONAL_COUNT = N_(
    "In “{text}” the numbers must be whole: people are counted in whole numbers. "
    "Please type, for example, 12 of 40, or a percentage."
)
SHARE_ZERO_TOTAL = N_(
    "In “{text}” the total is zero. Please type the total after “of”, for example 12 of 40, "
    "or a percentage."
)
SHARE_PART_OVER_TOTAL = N_(
    "In “{text}” the part ({count}) is larger than the total ({total}). "
    "Please type the part first and the total second, for example 12 of 40."
)
SHARE_COUNT_OVER_BASE = N_(
    "“{text}” is impossible: {count} is more than {base}, the number you gave for "
    "“{base_title}”. Please check the numbers."
)
SHARE_TOTAL_NOT_BASE = N_(
    "“{text}” counts out of {total}, but you gave {base} for “{base_title}”. "
    "Please type how many out of {base} (for example, {count} of {base}) or a percentage. "
    "If {base} is wrong, please correct that number first."
)

LIST_COUNT_BELOW_ITEMS = N_(
    "You wrote {count}, but the list names {listed}: {items}. "
    "Please correct the number or the list."
)
LIST_NO_ITEMS = N_(
    "You wrote {count}; please name the positions too, for example: "
    "“{count}: maths teacher, physics teacher”. If there are none, type 0."
)
LIST_ITEM_TOO_LONG = N_(
    "The position “{item}” is too long ({length} characters). "
    "Please name it more briefly, within {limit} characters."
)
LIST_NOT_UNDERSTOOD = N_(
    "“{text}” is not understood. Please type the number and the positions, for example: "
    "“2: maths teacher, physics teacher”. If there are none, type 0."
)

LEVELS_NOT_UNDERSTOOD = N_(
    "“{text}” is not understood. Please type {number} numbers, one for each level in this "
    "order: {levels} — for example “{example}”. If there are none, type 0."
)
LEVEL_UNKNOWN = N_(
    "“{word}” is not one of the levels: {levels}. "
    "Please type the numbers in this order, for example “{example}”."
)
LEVEL_REPEATED = N_("The level “{level}” is given twice in “{text}”. Please give each level once.")
LEVEL_WITHOUT_NUMBER = N_(
    "There is no number for the level “{level}” in “{text}”. "
    "Please add it, for example “{example}”."
)
LEVELS_TOTAL_OVER_BASE = N_(
    "Together that is {total} people, more than {base}, the number you gave for “{base_title}”. "
    "Please check the numbers."
)

YES_NO_NOT_UNDERSTOOD = N_("Please answer “yes” or “no” (you typed “{text}”).")

CHOICE_UNKNOWN = N_(
    "“{text}” is not one of the options: {options}. Please choose from them or use the buttons."
)
CHOICE_AMBIGUOUS = N_(
    "“{text}” fits several options: {options}. Please type the name in full or use the buttons."
)
CHOICE_NONE_AND_OPTIONS = N_(
    "The answer says both “none” and names options (“{text}”). "
    "Please either list the options or answer “no”."
)
CHOICE_NOTHING = N_("“{text}” names no option. Please choose from: {options}, or answer “no”.")

LINK_NOT_URL = N_(
    "“{text}” does not look like a link. Please send the address of the page, "
    "for example https://school.ru/page."
)
LINK_IS_A_FILE = N_(
    "This question needs a link to a page of the school's website, not a file: please "
    "paste the address, for example https://school.ru/documents/plan.pdf."
)
PHOTO_NOT_DOCUMENT = N_(
    "A photo cannot be stored as a document. Please send the scan as a PDF or as a file "
    "(📎 → File), in one of these formats: {types}."
)
LINK_SPACES = N_(
    "A link cannot contain spaces (you sent “{text}”). "
    "Please send the address as one piece, for example https://school.ru/page."
)
LINK_SCHEME = N_(
    "Only web links starting with http:// or https:// are accepted; “{text}” is not one. "
    "Please send the address of the page on the school's website."
)
LINK_NO_HOST = N_(
    "“{text}” has no site name. Please send the full address, for example https://school.ru/page."
)
LINK_TOO_LONG = N_(
    "The link is too long ({length} characters, at most {limit}). "
    "Please send a shorter address, for example the address of the section of the site."
)

DOCUMENT_AS_TEXT = N_(
    "Please send the note as a file ({types}, up to {limit} MB) rather than as text."
)
DOCUMENT_TYPE = N_(
    "“{file_name}” is a {extension} file, which cannot be accepted. "
    "Please send a file of one of these types: {types}."
)
DOCUMENT_NO_TYPE = N_(
    "The type of “{file_name}” is unknown. Please send a file of one of these types: {types}, "
    "with the extension in its name (for example, note.pdf)."
)
DOCUMENT_TOO_BIG = N_(
    "“{file_name}” is {size} MB, more than the limit of {limit} MB. "
    "Please send a smaller file, for example the note saved as PDF."
)
DOCUMENT_EMPTY = N_("“{file_name}” is empty. Please send the file again.")

CROSS_SUM = N_(
    "{names} add up to {total} %, but together these shares cannot exceed 100 %. Please check them."
)
CROSS_SUM_COUNTS = N_(
    "{names} add up to {total} people, more than {base}, the number you gave for "
    "“{base_title}”. Please check them."
)
CROSS_NOT_MORE_THAN = N_(
    "“{first}” ({first_value} %) cannot be more than “{second}” ({second_value} %). "
    "Please check them."
)
CROSS_COUNT_OVER_BASE = N_(
    "“{indicator}”: {count} is more than {base}, the number you gave for “{base_title}”. "
    "Please correct the answer."
)
CROSS_BASE_CHANGED = N_(
    "“{indicator}” was answered as {count} of {total}, but the number for “{base_title}” "
    "is now {base}. Please answer it again."
)

BASES_DISAGREE = N_(
    "“{outer}” ({outer_count}) cannot be less than “{inner}” ({inner_count}): the first "
    "includes the second. Please check both numbers."
)
SHARE_OF = N_("{count} of {base} ({percent} %)")
YES = N_("yes")
NO = N_("no")
NONE = N_("none")
FILE_MB = N_("{name} ({size} MB)")
FILE_KB = N_("{name} ({size} KB)")
