"""The calendar's wording and choices: who sees which action, windows, spans, pages."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.calendar.view import (
    Entry,
    action_entries,
    button_title,
    empty_text,
    event_details,
    format_span,
    month_window,
    overseer_note,
    principal_note,
    render_page,
    roadmap_hint,
    shift_month,
    shorten,
    sort_entries,
    upcoming_window,
)
from storage.calendar import Event, Occurrence, Roadmap
from storage.models import Audience, Roles

PRINCIPAL = Roles(principal_school_id=1)
CURATOR = Roles(curator_school_ids=frozenset({1, 2}))
COORDINATOR = Roles(coordinator=True)


def event(event_id: int, roles: tuple[Audience, ...], **kw: object) -> Event:
    values: dict[str, object] = {
        "id": event_id,
        "roadmap_id": 1,
        "row_no": event_id + 5,
        "number": f"1.{event_id}",
        "section": "Методическое сопровождение",
        "title": f"Семинар {event_id}",
        "period_text": "март",
        "kind": "range",
        "reason": None,
        "responsible": "ИРО",
        "roles": roles,
        "result": "Проведён семинар",
        "dates_set_by": None,
        **kw,
    }
    return Event(**values)  # type: ignore[arg-type]


def occurrence(event_id: int, start: date, end: date) -> Occurrence:
    return Occurrence(id=event_id * 10, event_id=event_id, starts_on=start, ends_on=end)


def test_action_entries_keep_only_visible_occurrences() -> None:
    march = (date(2026, 3, 1), date(2026, 3, 31))
    found = [
        (occurrence(1, *march), event(1, (Audience.PRINCIPALS,))),
        (occurrence(2, *march), event(2, (Audience.REGIONAL,))),
    ]
    for_principals = lambda e: Audience.PRINCIPALS in e.roles  # noqa: E731
    assert [e.event_id for e in action_entries(found, for_principals)] == [1]
    assert [e.event_id for e in action_entries(found, lambda e: True)] == [1, 2]


def test_windows_and_month_arithmetic() -> None:
    assert upcoming_window(date(2026, 11, 30)) == (date(2026, 11, 30), date(2026, 12, 30))
    assert month_window(2026, 12) == (date(2026, 12, 1), date(2026, 12, 31))
    assert month_window(2028, 2) == (date(2028, 2, 1), date(2028, 2, 29))
    assert shift_month(2026, 12, 1) == (2027, 1)
    assert shift_month(2026, 1, -1) == (2025, 12)
    assert shift_month(2026, 5, -17) == (2024, 12)


def test_spans_read_naturally_in_both_languages() -> None:
    assert format_span(date(2026, 3, 15), date(2026, 3, 15), "ru") == "15 марта 2026"
    assert format_span(date(2026, 3, 1), date(2026, 3, 15), "ru") == "1–15 марта 2026"
    assert format_span(date(2026, 3, 1), date(2026, 4, 15), "ru") == "1 марта – 15 апреля 2026"
    assert format_span(date(2026, 12, 1), date(2027, 1, 15), "en") == (
        "1 December 2026 – 15 January 2027"
    )


def test_deadlines_come_first_on_their_day_and_everything_is_by_date() -> None:
    later = Entry(date(2026, 10, 5), date(2026, 10, 9), "Б", 3)
    same_day = Entry(date(2026, 10, 1), date(2026, 10, 1), "А", 2)
    deadline = Entry(date(2026, 10, 1), date(2026, 10, 1), "Indicators due 1 October 2026")
    earlier = Entry(date(2026, 9, 21), date(2026, 10, 20), "В", 1)
    assert sort_entries([later, same_day, deadline, earlier]) == [
        earlier,
        deadline,
        same_day,
        later,
    ]


def test_a_page_numbers_actions_across_pages_and_escapes_titles() -> None:
    entries = [
        Entry(date(2026, 3, day), date(2026, 3, day), f"Action <{day}>", day) for day in range(1, 8)
    ]
    entries.insert(0, Entry(date(2026, 3, 1), date(2026, 3, 1), "Indicators due", note="✅"))
    first = render_page("<b>March</b>", entries, "en", 0, per_page=5)
    assert first.pages == 2 and first.page == 0
    assert "Page 1 of 2" in first.text
    assert "Action &lt;1&gt;" in first.text and "<1>" not in first.text
    assert [number for number, _ in first.actions] == [2, 3, 4, 5]
    assert "📌 <b>1 March 2026</b> — Indicators due · ✅" in first.text
    second = render_page("<b>March</b>", entries, "en", 7, per_page=5)  # clamped
    assert second.page == 1
    assert [number for number, _ in second.actions] == [6, 7, 8]
    assert "🗓 <b>7 March 2026</b> — 8. Action &lt;7&gt;" in second.text


def test_button_titles_are_short() -> None:
    entry = Entry(date(2026, 3, 1), date(2026, 3, 1), "Очень   длинное " * 10, 4)
    text = button_title(12, entry)
    assert text.startswith("12. Очень длинное")
    assert text.endswith("…") and len(text) <= 40


def test_deadline_notes() -> None:
    assert principal_note(True, False, "en") == "✅ sent"
    assert "deadline has passed" in principal_note(False, True, "en")
    assert principal_note(False, False, "en") == "⏳ not sent"
    assert overseer_note(3, 10, "en") == "3 of 10 schools have not sent"
    assert overseer_note(1, 10, "en") == "1 of 10 school has not sent"
    assert "every school" in overseer_note(0, 10, "en")
    # the documents' words: «представлено», «не представлено»
    assert principal_note(True, False, "ru") == "✅ представлено"
    assert principal_note(False, True, "ru") == "⚠️ срок прошёл, не представлено"
    assert principal_note(False, False, "ru") == "⏳ не представлено"
    assert overseer_note(3, 10, "ru") == "не представили 3 школы из 10"


def roadmap(title: str, ends_on: date) -> Roadmap:
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    return Roadmap(1, title, "demo", date(ends_on.year, 1, 1), ends_on, moment, None)


def test_a_coordinator_is_told_how_to_get_a_current_roadmap_into_the_calendar() -> None:
    today = date(2026, 12, 1)
    assert "/roadmap" not in empty_text("en", month=False)
    none_yet = roadmap_hint([], today, "en")
    assert none_yet is not None and "once a roadmap is imported" in none_yet
    # a roadmap that is over is named with its end, not called missing
    over = roadmap_hint([roadmap("План-график 2018", date(2018, 12, 31))], today, "ru")
    assert over is not None
    assert "«План-график 2018» завершилась 31 декабря 2018" in over and "/roadmap" in over
    current = roadmap("План-график 2026/27", date(2027, 8, 31))
    assert (
        roadmap_hint([roadmap("План-график 2018", date(2018, 12, 31)), current], today, "ru")
        is None
    )


def test_event_details_show_the_period_as_written_and_as_read() -> None:
    action = event(1, (Audience.PRINCIPALS,), title="Семинар <для> директоров", kind="ranges")
    spans = [
        occurrence(1, date(2026, 3, 1), date(2026, 3, 31)),
        occurrence(1, date(2026, 5, 1), date(2026, 5, 31)),
    ]
    text = event_details(action, spans, "Дорожная карта 2026", "en")
    assert "<b>Семинар &lt;для&gt; директоров</b>" in text
    assert "Period as written: март" in text
    assert "1–31 March 2026; 1–31 May 2026" in text
    assert "Responsible: ИРО" in text and "Expected result: Проведён семинар" in text
    assert "Roadmap: Дорожная карта 2026" in text
    many = [occurrence(1, date(2026, m, 1), date(2026, m, 2)) for m in range(1, 13)] * 2
    assert "and 12 more" in event_details(action, many, "R", "en")
    fixed = event(2, (Audience.PRINCIPALS,), kind="unreadable", dates_set_by=7)
    assert "dates set by a coordinator" in event_details(fixed, spans[:1], "R", "en")


def test_a_long_title_is_cut_at_a_word_in_the_list_and_kept_whole_in_the_details() -> None:
    title = "Совершенствование программ, методического обеспечения реализации " * 5
    entry = Entry(date(2026, 3, 1), date(2026, 3, 31), title, event_id=7)
    page = render_page("<b>Март</b>", [entry], "ru", 0)
    line = page.text.splitlines()[-1]
    assert line.endswith("…")
    assert len(line) < 200
    assert "реализации…" in line or "методического…" in line or "программ…" in line
    assert shorten("короткое название", 140) == "короткое название"


def test_the_details_of_an_action_with_huge_cells_fit_in_one_telegram_message() -> None:
    paragraph = "Проведение семинаров <по обмену опытом> для руководителей ОО; " * 120
    action = event(
        3,
        (Audience.PRINCIPALS,),
        title=paragraph,
        section=paragraph,
        responsible=paragraph,
        result=paragraph,
    )
    spans = [occurrence(3, date(2026, m, 1), date(2026, m, 28)) for m in range(1, 13)]
    text = event_details(action, spans, paragraph, "ru")
    assert len(text) < 4096
    assert "Проведение семинаров &lt;по обмену опытом&gt;" in text  # escaped, not cut inside
    short = event(4, (Audience.PRINCIPALS,), title="Семинар\n- для директоров")
    assert "Семинар\n- для директоров" in event_details(short, spans, "R", "ru")
