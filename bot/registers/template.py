"""The ready-to-fill Excel templates of the registers, with an example row and an
instruction sheet."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from bot.i18n import N_, translate
from bot.registers.columns import HEADERS
from bot.registers.report import Kind

_SCHOOL_EXAMPLE = {
    "number": "1",
    "name": "МБОУ «Примерная средняя общеобразовательная школа»",
    "short_name": "Примерная СОШ",
    "municipality": "Примерный район",
    "inn": "5700000000",
    "shnor": "да",
    "shssu": "нет",
}
_PEOPLE_EXAMPLE = {
    "number": "1",
    "full_name": "Образцова Мария Петровна",
    "role": "руководитель",
    "school": "Примерная СОШ",
    "municipality": "Примерный район",
    "position": "директор",
    "telegram_id": "",
    "email": "obraztsova@example.org",
    "phone": "+79001234567",
}
_EXAMPLES: dict[str, dict[str, str]] = {"schools": _SCHOOL_EXAMPLE, "people": _PEOPLE_EXAMPLE}


def is_example(kind: Kind, text: dict[str, str]) -> bool:
    """The template's example row, left in place: skipped rather than imported."""
    key = "name" if kind == "schools" else "full_name"
    example = _EXAMPLES[kind]
    return text.get(key) == example[key] and text.get("municipality", "") in (
        example["municipality"],
        "",
    )


_TEMPLATE_COLUMNS: dict[str, list[tuple[str, int, str]]] = {
    # column key, width, explanation
    "schools": [
        ("number", 6, N_("Row number; optional, ignored on import.")),
        (
            "name",
            55,
            N_(
                "Required. The school's full name as in its charter. Also accepted as the"
                " header: «Полное наименование», «Название школы», «Образовательная организация»,"
                " «ОО»."
            ),
        ),
        (
            "short_name",
            25,
            N_("Optional. The short name people use, e.g. «Казанская СОШ»; shown in the bot."),
        ),
        (
            "municipality",
            25,
            N_(
                "Required. The municipal district or city district; a cell merged over several"
                " rows applies to each of them. Also accepted: «Муниципальное образование»,"
                " «Район», «МОУО», «Городской округ»."
            ),
        ),
        (
            "inn",
            14,
            N_(
                "Optional but recommended: the school's INN, 10 digits. With it a renamed school"
                " is still recognised."
            ),
        ),
        (
            "shnor",
            9,
            N_(
                "«да» if the school has low educational results (ШНОР), otherwise «нет» or empty."
                " Instead of the two columns ШНОР and ШССУ one column «Категория» with"
                " «ШНОР», «ШССУ» or «ШНОР, ШССУ» is accepted too."
            ),
        ),
        (
            "shssu",
            9,
            N_(
                "«да» if the school works in unfavourable social conditions (ШССУ),"
                " otherwise «нет» or empty."
            ),
        ),
    ],
    "people": [
        ("number", 6, N_("Row number; optional, ignored on import.")),
        (
            "full_name",
            35,
            N_(
                "Required. Surname, first name and patronymic. Three separate columns «Фамилия»,"
                " «Имя», «Отчество» are accepted too."
            ),
        ),
        (
            "role",
            18,
            N_(
                "Required: «руководитель» (school principal), «куратор» (curator, consultant,"
                " tutor) or «координатор». A person with two roles takes two rows."
            ),
        ),
        (
            "school",
            40,
            N_(
                "Required for a principal (one school) and a curator (one or more, separated by"
                " «;» or line breaks): the school's full or short name as in the register of"
                " schools, or its INN."
            ),
        ),
        (
            "municipality",
            22,
            N_("Optional: tells apart schools with the same name in different municipalities."),
        ),
        ("position", 25, N_("Optional: the person's position.")),
        (
            "telegram_id",
            14,
            N_(
                "Optional: the person's numeric Telegram ID. Without it the person joins with a"
                " personal invitation link."
            ),
        ),
        (
            "email",
            28,
            N_(
                "Optional: e-mail. It tells apart people with the same name; a re-imported row"
                " is matched by Telegram ID, then e-mail, then name."
            ),
        ),
        ("phone", 18, N_("Optional: phone number, e.g. +7 900 123-45-67.")),
    ],
}


def write_template(kind: Kind, path: Path, locale: str = "ru") -> None:
    """An empty register to fill in: title, header, one example row and an instruction sheet."""
    columns = _TEMPLATE_COLUMNS[kind]
    headers = HEADERS[kind]
    example = _EXAMPLES[kind]
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    title = N_("Register of schools") if kind == "schools" else N_("Register of people")
    sheet.title = translate(locale, N_("Schools") if kind == "schools" else N_("People"))
    sheet.cell(1, 1, translate(locale, title)).font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for col, (key, width, _note) in enumerate(columns, start=1):
        cell = sheet.cell(2, col, headers[key])
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(col)].width = width
        example_cell = sheet.cell(3, col, example.get(key) or None)
        example_cell.font = Font(italic=True, color="808080")
        example_cell.number_format = "@"
    sheet.freeze_panes = "A3"
    positions = {key: col for col, (key, _w, _n) in enumerate(columns, start=1)}
    lists = (
        [("shnor", '"да,нет"'), ("shssu", '"да,нет"')]
        if kind == "schools"
        else [("role", '"руководитель,куратор,координатор"')]
    )
    for key, choices in lists:
        validation = DataValidation(type="list", formula1=choices, allow_blank=True)
        validation.errorStyle = "warning"
        letter = get_column_letter(positions[key])
        validation.add(f"{letter}3:{letter}2000")
        sheet.add_data_validation(validation)

    notes = workbook.create_sheet("Инструкция")
    notes.append([translate(locale, N_("How to fill in the register"))])
    notes["A1"].font = Font(bold=True, size=14)
    intro = N_(
        "Fill one row per school or person under the header; the grey example row may stay"
        " (it is skipped) or be replaced. Columns may come in any order; other columns are"
        " ignored."
    )
    notes.append([translate(locale, intro)])
    notes.merge_cells("A2:B2")
    notes.row_dimensions[2].height = 48
    notes.append([])
    notes.append([translate(locale, N_("Column")), translate(locale, N_("What to write"))])
    for cell in notes[4]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
    for key, _width, note in columns:
        notes.append([headers[key], translate(locale, note)])
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["B"].width = 100
    for row in notes.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
