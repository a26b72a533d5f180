"""Who is responsible for a roadmap action, from its «Ответственные» cell.

:func:`read_responsible` maps the words real roadmaps use to the people the bot can
remind: the principals of the schools in scope, the curators, the municipal and the
regional coordinators. It never guesses: a part of the phrase it cannot map is returned
in ``unmapped`` as written (lines joined), for the coordinator to see at import.

Rules a coordinator can predict:

- Schools → principals: «ОО», «ОУ», «образовательные организации/учреждения», «школы»,
  «ШНОР», «ШССУ», «участники программы/проекта», and the people of a school: «руководители
  ОО», «директора», «заместители директора», «администрация ОО», «педагоги», «учителя»,
  «педагогические коллективы», «административные команды школ», «ШМО». Qualifiers such
  as «с низкими результатами обучения» or «функционирующие в неблагоприятных социальных
  условиях» belong to the school.
- Municipal authorities → municipal coordinators: «УО», «РОО», «МОУО», «ОМСУ», «отдел/
  управление образования» (with or without «администрации … района»), «органы местного
  самоуправления, осуществляющие управление в сфере образования», «муниципальные
  координаторы», the municipal methodological bodies («ММС», «ММЦ», «МЦ», «ИМЦ»,
  «методический центр», «РМО» — районное методическое объединение), «администрация
  района».
- Regional bodies → regional coordinators: «ИРО» (and «Институт развития образования»,
  «ИПК»), «ЦМОКО», «РЦОИ», «ЦНППМ», «РЦ», «министерство», an authority named with its
  region («департамент образования Орловской области») or «… образования и науки»,
  «региональный координатор», «органы исполнительной власти субъекта…».
- «кураторы», «консультанты», «эксперты», «тьюторы», «наставники» (and «педагоги-
  наставники») → curators; «кураторы школ» names the curators only, the schools being
  what they are curators of.
- Reported whole, as no role of the bot: federal bodies (Минпросвещения России,
  Рособрнадзор, ФИОКО…), universities and colleges, pupils, parents, a named school
  («МБОУ СОШ № 1»: the reminder would go to every school), a person's name; and words
  that can be either level: a bare «координатор», «руководители», «администрация»,
  «методист», «департамент/комитет образования» or «органы управления образованием»
  without a place, «ресурсный центр», «рабочая группа», «РМЦ» (районный or
  региональный), «УМО», «Минобрнауки».
- «МЦ», «методический центр» are municipal (the glossary's municipal methodological
  centre); a regional one says so («региональный методический центр») or has its own
  name (ИРО, ЦНППМ). «РМО» is the district's methodological association (seed 001, a
  district order, names it with the district's Управление образования).
- Glue is dropped: commas, semicolons, slashes, «и», «или», «совместно с», «при участии»,
  «(по согласованию)», «и др.».

Text is read the way PDF extraction leaves it: any case, «ё» or «е», abbreviations with
or without dots («У.О.»), Latin letters that look Cyrillic («OO»), line breaks anywhere,
and words hyphenated at a line end («Управле-» + «ние»).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

PRINCIPALS = "principals"
CURATORS = "curators"
MUNICIPAL = "municipal_coordinators"
REGIONAL = "regional_coordinators"
_UNMAPPED = "unmapped"  # a known phrase that names nobody the bot reminds: reported whole
_GLUE = "glue"  # dropped


@dataclass(frozen=True, slots=True)
class Responsible:
    """Who an action is for. ``unmapped``: the parts of the phrase read as nobody."""

    principals: bool = False
    curators: bool = False
    municipal_coordinators: bool = False
    regional_coordinators: bool = False
    unmapped: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """Whether nobody was recognised (an empty cell, or only unmapped parts)."""
        return not (
            self.principals
            or self.curators
            or self.municipal_coordinators
            or self.regional_coordinators
        )


# --------------------------------------------------------------------------- text

_LATIN = str.maketrans("aceopxykmthbABCEHKMOPTXY", "асеорхукмтнвАВСЕНКМОРТХУ")
_HOMOGLYPHS = frozenset("aceopxykmthbABCEHKMOPTXY")
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_LATIN_WORD = re.compile(r"[A-Za-z]+")
# a word broken at a line end («Управле-⏎ние»), or «Управле- ние» once lines were joined
_BREAK = re.compile(r"(?<=[^\W\d_])-[ \t]*\r?\n\s*(?=[^\W\d_])|(?<=[а-яё])-[ \t]+(?=[а-яё])")
# the first part of a compound keeps its hyphen when shown («регионально-муниципальной»)
_FIRST_HALF = re.compile(r"[а-яё]{3,}(?:но|ло|ко|го)$", re.IGNORECASE)
# a whole word after the hyphen: the hyphen is a compound's («школы-участники»), kept
_SECOND_HALF = re.compile(
    r"(?:участни|наставни|консультант|куратор|предметни|психолог|организатор|методическ"
    r"|муниципальн|педагогическ)",
    re.IGNORECASE,
)


def _delatinise(text: str) -> str:
    """Latin look-alikes as Cyrillic, in words that have Cyrillic letters or are made only
    of look-alikes («OO», «YO»): PDF extraction and a Latin keyboard layout leave them."""

    def word(match: re.Match[str]) -> str:
        letters = match.group(0)
        return letters.translate(_LATIN) if set(letters) <= _HOMOGLYPHS else letters

    return "".join(
        part.translate(_LATIN) if _CYRILLIC.search(part) else _LATIN_WORD.sub(word, part)
        for part in re.split(r"(\s+)", text)
    )


class _Text:
    """The phrase as shown (lines joined, broken words whole) and the key it is matched on
    (lower case, «ё» as «е», the hyphen of a broken word dropped even where it is shown),
    with each key character's position in the shown phrase."""

    def __init__(self, text: str) -> None:
        self._shown: list[str] = []
        self._key: list[str] = []
        self._where: list[int] = []
        text = _delatinise(text)
        position = 0
        for match in _BREAK.finditer(text):
            self._copy(text[position : match.start()])
            before = re.search(r"\w+$", text[: match.start()])
            if _SECOND_HALF.match(text, match.end()):
                self._copy("-")
            elif before and _FIRST_HALF.search(before.group(0)):
                self._shown.append("-")
            position = match.end()
        self._copy(text[position:])
        self.shown = "".join(self._shown)
        self.key = "".join(self._key)

    def _copy(self, part: str) -> None:
        for char in part:
            if char.isspace():
                if not self._shown or self._shown[-1] == " ":
                    continue
                char = " "
            self._shown.append(char)
            self._key.append("е" if char in "ёЁ" else char.lower())
            self._where.append(len(self._shown) - 1)

    def part(self, start: int, end: int) -> str:
        """The shown text of the key's characters ``start:end``, trimmed of glue marks."""
        return self.shown[self._where[start] : self._where[end - 1] + 1].strip(_TRIM)


# --------------------------------------------------------------------------- vocabulary


def _abbr(letters: str) -> str:
    """An abbreviation with or without dots: «уо», «у.о.», «у. о.»."""
    return r"(?<!\w)(?<!\w\.)" + r"(?:\.\s?)?".join(letters) + r"\.?(?!\w)"


def _any(*parts: str) -> str:
    return "(?:" + "|".join(parts) + ")"


_END = r"(?!\w)"
# a noun's case endings: «кураторы», «кураторам» match, «кураторское» does not
_NOUN = r"(?:а|у|ом|е|и|ы|ов|ам|ами|ах)?" + _END
_ADJECTIVE = (
    r"(?:[а-я]+(?:ый|ий|ой|ая|яя|ое|ее|ые|ие|ого|его|ому|ему|ым|им|ых|их|ыми|ими|ую|юю)\s+)"
)
_RF = r"(?:российской\s+федерации|рф|россии)"
# a person of a body: «специалист УО», «руководитель управления образования», «директор ИРО»
_PERSON = (
    r"(?:(?:(?:ведущ|главн|старш|ответственн)\w*\s+)?"
    r"(?:специалист|сотрудник|представител|руководител|начальник|заведующ|работник|методист"
    r"|председател|директор|координатор|глав|зам(?:\.\s*|естител\w*\s+)"
    r"(?:начальник|руководител|директор|глав))\w*\s+(?:от\s+)?)?"
)
# a body's place: a region («Орловской области») or a municipality («администрации
# Ливенского района»); the few words before the place are its name
_NAME = r"(?:(?!автономн|и\s)[а-я-]+\s+){0,3}?"
_FEDERAL_CITY = r"(?:москв|санкт-петербург|севастопол)\w*"
_REGION = (
    r"(?:\s+"
    + _NAME
    + _any(
        r"област\w*",
        r"кра[яюе]" + _END,
        r"республик\w*(?:\s+[а-я-]+)?",
        r"автономн\w*\s+округ\w*(?:\s*[-–—]\s*[а-я]+)?",
        r"регион\w*",
        r"субъект\w*(?:\s+" + _RF + ")?",
        r"(?:города\s+)?" + _FEDERAL_CITY,
    )
    + ")"
)
_MUNICIPALITY = (
    r"(?:\s+(?:администрации\s+)?"
    + _NAME
    + _any(
        r"муниципальн\w*\s+(?:район|округ|образовани)\w*",
        r"городск\w*\s+округ\w*",
        r"район\w*",
        r"город\w*(?!\w)(?!\s+" + _FEDERAL_CITY + r")(?:\s+[а-я-]+)?",
        r"г\.\s?[а-я-]+",
        r"округ\w*",
        r"поселени\w*",
    )
    + ")"
)
_BODY = r"(?:управлени|отдел|комитет|департамент)\w*\s+(?:по\s+)?(?:вопросам\s+)?образовани\w*"
_MUNICIPAL_BODY = r"(?:управлени|отдел)\w*\s+(?:по\s+)?(?:вопросам\s+)?образовани\w*"
# what else the same department does: «отдел образования, молодежной политики и спорта»
_ALSO = (
    r"(?:\s*,?\s+(?:и\s+)?(?:молодежной\s+политики|по\s+делам\s+молодежи|делам\s+молодежи"
    r"|физической\s+культуры|спорта|культуры|туризма|молодежи|опеки(?:\s+и\s+попечительства)?))*"
)
# «органы местного самоуправления муниципальных районов и городских округов»
_MUNICIPALITIES = (
    r"(?:\s+(?:муниципальн\w*\s+(?:район|округ|образовани)\w*|городск\w*\s+округ\w*)"
    r"(?:\s+и\s+(?:муниципальн\w*\s+(?:район|округ)\w*|городск\w*\s+округ\w*))?)?"
)
_IN_EDUCATION = (
    r"(?:\s*,?\s*осуществляющ\w*\s+(?:муниципальное\s+|государственное\s+)?управлени\w*"
    r"\s+в\s+сфере\s+образования)"
)
_LEGAL_FORM = r"(?:(?:фгб|гб|га|гк|го|ма|мб|мк)?о?у\s?(?:дпо|до|впо)?\s+(?:[а-я]{1,3}\s+)?)"
_SCHOOL = _any(
    r"(?:обще)?образовательн\w*\s+(?:организаци|учреждени)\w*",
    r"школ(?:а|ы|е|у|ой|ам|ами|ах)?" + _END,
    _abbr("оо"),
    _abbr("оу"),
    _abbr("шнор"),
    _abbr("шссу"),
)
_SCHOOL_QUALIFIER = _any(
    r"\s*[-–—]?\s*участни\w*(?:\s+(?:региональн|муниципальн|федеральн)\w*)?"
    r"(?:\s+(?:программ|проект)\w*)?",
    r"\s+с\s+низкими\s+(?:образовательными\s+)?результатами(?:\s+обучения)?",
    r",?\s+(?:функционирующ|работающ|находящ)\w*\s+в\s+(?:неблагоприятных|сложных)"
    r"(?:\s*\(сложных\))?\s+социальных\s+условиях",
    r",?\s+(?:функционирующ|работающ|находящ)\w*\s+в\s+условиях\s+риска(?:\s+снижения)?"
    r"\s+образовательных\s+результатов",
    r"\s*(?:/|и)\s*" + _abbr("шссу"),
    r"\s+(?:района|округа|города|муниципалитета|региона|области)" + _END,
)
# the people of a school, one or a list: «руководители и педагоги ШНОР»
_SCHOOL_PEOPLE = (
    r"(?:(?:руководител|директор|администраци|педагог|учител|работник|сотрудник|представител"
    r"|коллектив|зам(?:\.\s*|естител\w*\s+)(?:руководител|директор)"
    r"|(?:педагогическ|административн|управленческ)\w*\s+(?:коллектив|команд|работник))"
    r"\w*(?:\s+и\s+|\s*,\s*|\s+))*"
)
_CURATOR = _any(r"(?:куратор|консультант|эксперт|тьютор)" + _NOUN, r"наставник" + _NOUN)
# what a curator is for: «консультанты по развитию образования», «эксперты по математике»
_TOPIC = r"(?:\s+по\s+(?:вопросам\s+)?(?:развити\w*\s+образовани\w*|[а-я]+(?:\s+язык\w*)?))"

# (who, pattern), most specific first: what one rule matched no later rule sees
_RULES: list[tuple[str, str]] = [
    # federal bodies: none of the roles, reported whole (not read as a regional ministry)
    (
        _UNMAPPED,
        _any(
            r"министерств\w*\s+просвещения\s+" + _RF,
            r"министерств\w*\s+науки\s+и\s+высшего\s+образования(?:\s+" + _RF + ")?",
            r"минпросвещения(?:\s+(?:россии|рф))?",
            r"минобрнауки\s+(?:россии|рф)",
            r"рособрнадзор\w*",
            _abbr("фиоко"),
            _abbr("фипи"),
            _abbr("фиро"),
            r"(?:(?:образовательн\w*\s+)?организаци\w*|учреждени\w*)\s+(?:(?:высшего"
            r"|среднего\s+профессионального|профессионального|дополнительного)"
            r"(?:\s*,\s*|\s+и\s+|\s+))+образования",
        ),
    ),
    # mentors and consultants, before the school's people: «педагоги-наставники» are mentors
    (CURATORS, r"педагог\w*\s*-\s*наставник" + _NOUN),
    (
        CURATORS,
        r"(?:(?:институт|групп|команд|сообществ|корпус)\w*\s+)?"
        + _ADJECTIVE
        + "?"
        + _CURATOR
        + r"(?:\s*-\s*"
        + _CURATOR
        + ")?"
        + _TOPIC
        + "?"
        + r"(?:\s+"
        + _SCHOOL
        + _SCHOOL_QUALIFIER
        + "*)?",  # «кураторы школ»: the schools are what the curators are for
    ),
    # schools, with their people and qualifiers («администрация ОО», «школы района»)
    (PRINCIPALS, _SCHOOL_PEOPLE + _SCHOOL + _SCHOOL_QUALIFIER + "*"),
    # municipal bodies named with their municipality, even when the region follows
    (MUNICIPAL, _PERSON + _BODY + _ALSO + _MUNICIPALITY + _REGION + "?"),
    (MUNICIPAL, _PERSON + r"администраци\w*" + _MUNICIPALITY + _REGION + "?"),
    # regional bodies
    (REGIONAL, _PERSON + _BODY + r"(?:\s+и\s+(?:науки|молодежной\s+политики))?" + _REGION),
    (REGIONAL, _PERSON + _BODY + r"\s+и\s+науки" + _REGION + "?"),
    (
        REGIONAL,
        _PERSON
        + _any(
            r"министерств\w*(?!\w)(?!\s+просвещ)(?:\s+(?:общего\s+и\s+профессионального\s+)?"
            r"образовани\w*(?:\s+и\s+(?:науки|молодежной\s+политики))?)?" + _REGION + "?",
            r"министерств\w*\s+просвещени\w*(?:\s+и\s+[а-я]+(?:\s+[а-я]+)?)?" + _REGION,
            r"минобразовани\w*" + _REGION + "?",
            r"минобр\w*" + _REGION,
        ),
    ),
    (
        REGIONAL,
        r"орган\w*\s+(?:государственной\s+)?исполнительной\s+власти"
        r"(?:\s+субъект\w*(?:\s+" + _RF + r")?)?" + _REGION + "?" + _IN_EDUCATION + "?",
    ),
    (
        REGIONAL,
        _PERSON
        + _any(
            _LEGAL_FORM + r"?[«\"]?" + _abbr("иро") + r"[»\"]?",
            _LEGAL_FORM
            + r"?"
            + _NAME
            + r"[«\"]?институт\w*\s+(?:развития|повышения\s+квалификации)"
            r"(?:\s+(?:и\s+)?(?:профессиональной\s+переподготовки\s+)?(?:работников\s+)?"
            r"образования)?[»\"]?" + _REGION + "?",
            _abbr("ипк"),
            _abbr("ипкро"),
            r"(?<!\w)ипк\s+и\s+ппро" + _END,
            _abbr("ирро"),
            _abbr("цмоко"),
            _abbr("рцоко"),
            _abbr("цоко"),
            _abbr("рцои"),
            _abbr("цнппм"),
            _abbr("рц"),
            _abbr("румо"),
            _abbr("оив"),
            r"центр\w*\s+(?:мониторинга\s+и\s+)?оценки\s+качества\s+образования" + _REGION + "?",
            r"центр\w*\s+непрерывного\s+повышения\s+профессионального\s+мастерства"
            r"(?:\s+педагогических\s+работников)?",
            r"региональн\w*\s+(?:центр\w*\s+обработки\s+информации|координатор\w*|оператор\w*"
            r"|рабоч\w*\s+групп\w*|(?:учебно-?\s?)?методическ\w*\s+(?:центр|служб|объединени)\w*"
            r"|ресурсн\w*\s+центр\w*|центр\w*)",
            r"региональн\w*\s+и\s+(?=муниципальн)",  # «региональная и муниципальные группы»
        ),
    ),
    # «органы управления образованием»: municipal only when they say so
    (
        MUNICIPAL,
        _PERSON
        + r"муниципальн\w*\s+орган\w*"
        + _any(r"\s+управления\s+(?:в\s+сфере\s+)?образовани\w*", _IN_EDUCATION),
    ),
    (_UNMAPPED, _PERSON + r"орган\w*\s+управления\s+(?:в\s+сфере\s+)?образовани\w*"),
    # municipal bodies without a place
    (
        MUNICIPAL,
        _PERSON
        + _any(
            _MUNICIPAL_BODY + _ALSO,
            r"орган\w*\s+местного\s+самоуправления" + _MUNICIPALITIES + _IN_EDUCATION + "?",
            r"муниципальн\w*\s+(?:образовательн\w*\s+систем\w*|координатор\w*|оператор\w*"
            r"|рабоч\w*\s+групп\w*"
            r"|(?:информационно-?\s?)?методическ\w*\s+(?:служб|центр|кабинет|объединени)\w*"
            r"|ресурсн\w*\s+центр\w*|структур\w*\s+учительского\s+роста|мо" + _END + ")",
            r"(?:районн|городск)\w*\s+методическ\w*\s+(?:объединени|кабинет|центр|служб)\w*",
            r"(?:информационно-?\s?)?методическ\w*\s+(?:центр|кабинет)\w*",
            _abbr("уо"),
            _abbr("роо"),
            _abbr("гороо"),
            _abbr("моуо"),
            _abbr("муо"),
            _abbr("оуо"),
            _abbr("гуо"),
            _abbr("омсу"),
            r"(?<!\w)(?:гор|рай|р)?оно" + _END,
            _abbr("ммс"),
            _abbr("ммц"),
            _abbr("мц"),
            _abbr("имц"),
            _abbr("рмк"),
            _abbr("рмо"),
            _abbr("гмо"),
            _abbr("ммо"),
        ),
    ),
    # the people of a school named without the school
    (
        PRINCIPALS,
        _any(
            r"участник\w*\s+(?:(?:региональн|муниципальн|федеральн)\w*\s+)?"
            r"(?:программ|проект)\w*",
            r"зам(?:\.\s*|естител\w*\s+)(?:руководител|директор)\w*(?:\s+по\s+(?:у?вр|ур"
            r"|учебно-?\s?воспитательной\s+работе|учебной\s+работе|воспитательной\s+работе))?",
            r"директор(?:а|у|ом|е|ы|ов|ам|ами|ах)?" + _END,
            r"завуч\w*",
            r"классн\w*\s+руководител\w*",
            r"учител\w*(?:\s*-\s*предметник\w*)?",
            r"(?:социальн\w*\s+)?педагог(?:а|у|ом|е|и|ов|ам|ами|ах)?"
            r"(?:\s*-\s*(?:психолог|организатор)\w*)?" + _END,
            r"(?:педагогическ|административн|управленческ)\w*\s+(?:коллектив|команд|работник)\w*",
            _abbr("шмо"),
            r"школьн\w*\s+(?:координатор|методическ\w*\s+объединени|команд)\w*",
        ),
    ),
    # glue between the parts: dropped
    (
        _GLUE,
        _any(
            r"\(?по\s+согласованию\)?",
            r"совместно(?:\s+с)?" + _END,
            r"при\s+(?:участии|поддержке)",
            r"во\s+взаимодействии\s+с" + _END,
            r"в\s+том\s+числе",
            r"а\s+также",
            r"и\s+др\.?",
            r"и\s+другие",
            r"и\s+т\.\s?[дп]\.?",
            r"(?<!\w)др\.",
            r"(?<!\S)(?:и|или|с|со|от|все|всех)(?=\s|$)",
        ),
    ),
]


@cache
def _compiled() -> list[tuple[str, re.Pattern[str]]]:
    """The rules compiled when a roadmap is first read, not at the bot's start-up."""
    return [(who, re.compile(pattern)) for who, pattern in _RULES]


_SEPARATORS = re.compile(r"[,;/\\|()\[\]:+]|\s[-–—](?=\s)|^[-–—]\s|\s[-–—]$|\x00+")
_TRIM = " ,;:-–—«»\"'()"


def read_responsible(text: str) -> Responsible:
    """Who a roadmap's «Ответственные» cell names (see the module docstring)."""
    phrase = _Text(text)
    work = phrase.key
    found: set[str] = set()
    pieces: list[tuple[int, str]] = []
    for who, pattern in _compiled():
        spans = [match.span() for match in pattern.finditer(work) if match.end() > match.start()]
        for start, end in spans:
            work = work[:start] + "\x00" * (end - start) + work[end:]
            if who == _UNMAPPED:
                pieces.append((start, phrase.part(start, end)))
            elif who != _GLUE:
                found.add(who)
    position = 0
    for separator in _SEPARATORS.finditer(work):
        pieces += _leftover(phrase, work, position, separator.start())
        position = separator.end()
    pieces += _leftover(phrase, work, position, len(work))
    unmapped: list[str] = []
    for _, piece in sorted(pieces):
        if piece and piece not in unmapped:
            unmapped.append(piece)
    return Responsible(
        principals=PRINCIPALS in found,
        curators=CURATORS in found,
        municipal_coordinators=MUNICIPAL in found,
        regional_coordinators=REGIONAL in found,
        unmapped=tuple(unmapped),
    )


def _leftover(phrase: _Text, work: str, start: int, end: int) -> list[tuple[int, str]]:
    """The text between two separators, as shown, when it has a letter or a digit."""
    if not any(char.isalnum() for char in work[start:end]):
        return []
    return [(start, phrase.part(start, end))]
