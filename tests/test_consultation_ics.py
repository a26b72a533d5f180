"""The iCalendar file of a consultation (bot/consultations/ics.py), read back by a small
RFC 5545 reader written here: unfolding, content lines, components, TEXT unescaping."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.consultations.ics import LINE_OCTETS, NO_ADDRESS, PRODID, consultation_ics, fold

NOW = datetime(2026, 11, 30, 9, 15, 7, tzinfo=UTC)
START = datetime(2026, 12, 5, 11, tzinfo=UTC)  # 14:00 in Moscow
END = START + timedelta(minutes=30)
LONG_SUMMARY = (
    "Консультация: подготовка к ВПР по математике в 5–9 классах, "
    "анализ результатов прошлого года; план работы"
)


# --------------------------------------------------------------------------- a reader


@dataclass
class Prop:
    name: str
    params: dict[str, str]
    value: str


@dataclass
class Component:
    name: str
    props: list[Prop] = field(default_factory=list)
    children: list[Component] = field(default_factory=list)

    def get(self, name: str) -> Prop:
        found = [prop for prop in self.props if prop.name == name]
        assert len(found) == 1, f"{name}: {found}"
        return found[0]

    def value(self, name: str) -> str:
        return self.get(name).value

    def has(self, name: str) -> bool:
        return any(prop.name == name for prop in self.props)

    def child(self, name: str) -> list[Component]:
        return [c for c in self.children if c.name == name]


def physical_lines(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    assert b"\n" not in data.replace(b"\r\n", b""), "a bare LF"
    assert b"\r" not in data.replace(b"\r\n", b""), "a bare CR"
    return data[:-2].split(b"\r\n")


def unfold(data: bytes) -> list[str]:
    logical: list[bytes] = []
    for line in physical_lines(data):
        if line.startswith((b" ", b"\t")):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return [line.decode("utf-8") for line in logical]


def split_line(line: str) -> Prop:
    """NAME;PARAM=VALUE;PARAM="QUOTED":VALUE — the first colon outside quotes ends params."""
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            head, value = line[:index], line[index + 1 :]
            break
    else:
        raise AssertionError(f"no value: {line!r}")
    name, *raw_params = re.findall(r'(?:[^;"]|"[^"]*")+', head)
    params = {}
    for raw in raw_params:
        key, _, param = raw.partition("=")
        params[key] = param
    return Prop(name, params, value)


def parse(data: bytes) -> Component:
    stack = [Component("ROOT")]
    for line in unfold(data):
        prop = split_line(line)
        if prop.name == "BEGIN":
            component = Component(prop.value)
            stack[-1].children.append(component)
            stack.append(component)
        elif prop.name == "END":
            assert stack[-1].name == prop.value, f"END:{prop.value} closes {stack[-1].name}"
            stack.pop()
        else:
            stack[-1].props.append(prop)
    assert len(stack) == 1, "unclosed components"
    (calendar,) = stack[0].children
    assert calendar.name == "VCALENDAR"
    return calendar


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def parse_local(value: str) -> datetime:
    return datetime.strptime(value, "%Y%m%dT%H%M%S")


def offset(value: str) -> timedelta:
    sign = -1 if value[0] == "-" else 1
    hours, minutes = int(value[1:3]), int(value[3:5])
    seconds = int(value[5:7]) if len(value) == 7 else 0
    return sign * timedelta(hours=hours, minutes=minutes, seconds=seconds)


def to_utc(local: datetime, timezone: Component) -> datetime:
    """A local time resolved through a VTIMEZONE: the latest observance begun by then.

    (An observance's onset is local time in its TZOFFSETFROM; the event's local time is
    compared against the onset in the observance's own offset, as clients do.)
    """
    best: tuple[datetime, timedelta] | None = None
    for observance in timezone.children:
        onset_utc = parse_local(observance.value("DTSTART")) - offset(
            observance.value("TZOFFSETFROM")
        )
        after = offset(observance.value("TZOFFSETTO"))
        if onset_utc <= local - after and (best is None or onset_utc > best[0]):
            best = (onset_utc, after)
    assert best is not None, "no observance covers the time"
    return (local - best[1]).replace(tzinfo=UTC)


def event_file(**changes: object) -> bytes:
    options: dict[str, object] = {
        "uid": "consult-42@school-support-bot",
        "start": START,
        "end": END,
        "summary": "Консультация по ВПР",
        "description": "Тема: анализ результатов",
        "location": "МБОУ СОШ №1, каб. 12",
        "zone_name": "Europe/Moscow",
        "organizer_name": "Иванова Мария Петровна",
        "now": NOW,
    }
    options.update(changes)
    return consultation_ics(**options)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- examples


def test_a_consultation_in_moscow() -> None:
    calendar = parse(event_file())
    assert calendar.value("VERSION") == "2.0"
    assert calendar.value("PRODID") == PRODID
    assert calendar.value("METHOD") == "PUBLISH"
    (timezone,) = calendar.child("VTIMEZONE")
    assert timezone.value("TZID") == "Europe/Moscow"
    (standard,) = timezone.children  # no DST since 2014: a single STANDARD block
    assert standard.name == "STANDARD"
    assert (standard.value("TZOFFSETFROM"), standard.value("TZOFFSETTO")) == ("+0400", "+0300")
    assert standard.value("DTSTART") == "20141026T020000"
    assert standard.value("TZNAME") == "MSK"
    (event,) = calendar.child("VEVENT")
    assert event.value("UID") == "consult-42@school-support-bot"
    assert event.value("DTSTAMP") == "20261130T091507Z"
    assert event.get("DTSTART").params == {"TZID": "Europe/Moscow"}
    assert event.value("DTSTART") == "20261205T140000"
    assert event.value("DTEND") == "20261205T143000"
    assert to_utc(parse_local(event.value("DTSTART")), timezone) == START
    assert unescape(event.value("SUMMARY")) == "Консультация по ВПР"
    assert unescape(event.value("LOCATION")) == "МБОУ СОШ №1, каб. 12"
    assert event.value("LOCATION") == "МБОУ СОШ №1\\, каб. 12"
    assert not event.has("URL")
    assert event.get("ORGANIZER").params == {"CN": '"Иванова Мария Петровна"'}
    assert event.value("ORGANIZER") == NO_ADDRESS
    assert event.value("SEQUENCE") == "0"


def test_text_is_escaped() -> None:
    description = 'Тема: «ВПР»; ссылка ниже, запасной канал\nтелефон\r\nC:\\docs "план"'
    event = parse(event_file(description=description)).child("VEVENT")[0]
    raw = event.value("DESCRIPTION")
    assert raw == ('Тема: «ВПР»\\; ссылка ниже\\, запасной канал\\nтелефон\\nC:\\\\docs "план"')
    assert unescape(raw) == description.replace("\r\n", "\n")


def test_a_long_russian_summary_folds_within_75_octets() -> None:
    data = event_file(summary=LONG_SUMMARY)
    lines = physical_lines(data)
    summary_at = next(i for i, line in enumerate(lines) if line.startswith(b"SUMMARY:"))
    continued = lines[summary_at + 1]
    assert continued.startswith(b" ")
    assert len(f"SUMMARY:{LONG_SUMMARY}".encode()) > 2 * LINE_OCTETS  # three lines at least
    for line in lines:
        assert len(line) <= LINE_OCTETS
        line.decode("utf-8")  # no character is cut in two
    event = parse(data).child("VEVENT")[0]
    assert unescape(event.value("SUMMARY")) == LONG_SUMMARY


def test_an_online_consultation_has_its_link() -> None:
    link = "https://telemost.yandex.ru/j/12345678901234567890"
    event = parse(event_file(location=None, url=link)).child("VEVENT")[0]
    assert event.value("URL") == link
    assert event.value("LOCATION") == link


def test_the_organizer_name_is_quoted_as_rfc_6868_says() -> None:
    event = parse(event_file(organizer_name='Иванова "Маша", методист')).child("VEVENT")[0]
    assert event.get("ORGANIZER").params == {"CN": "\"Иванова ^'Маша^', методист\""}
    event = parse(event_file(organizer_address="mailto:ivanova@example.org")).child("VEVENT")[0]
    assert event.value("ORGANIZER") == "mailto:ivanova@example.org"


def test_a_zone_with_summer_time_gets_both_observances() -> None:
    start = datetime(2026, 7, 1, 8, tzinfo=UTC)  # 10:00 in Berlin (CEST)
    calendar = parse(
        event_file(start=start, end=start + timedelta(hours=1), zone_name="Europe/Berlin")
    )
    (timezone,) = calendar.child("VTIMEZONE")
    kinds = [(c.name, c.value("DTSTART"), c.value("TZOFFSETTO")) for c in timezone.children]
    assert kinds == [
        ("STANDARD", "20251026T030000", "+0100"),
        ("DAYLIGHT", "20260329T020000", "+0200"),
        ("STANDARD", "20261025T030000", "+0100"),
    ]
    event = calendar.child("VEVENT")[0]
    assert event.value("DTSTART") == "20260701T100000"
    assert to_utc(parse_local(event.value("DTSTART")), timezone) == start


def test_a_moved_consultation_keeps_its_uid_with_a_higher_sequence() -> None:
    event = parse(event_file(sequence=2)).child("VEVENT")[0]
    assert event.value("SEQUENCE") == "2"


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        event_file(start=datetime(2026, 12, 5, 14))
    with pytest.raises(ValueError, match="end after"):
        event_file(end=START)
    with pytest.raises(ValueError, match="UID"):
        event_file(uid="two\nlines")
    with pytest.raises(ValueError, match="URI"):
        event_file(url="https://example.org/a link")


def test_fold_keeps_short_lines_and_never_splits_a_character() -> None:
    assert fold("SUMMARY:short") == b"SUMMARY:short"
    folded = fold("X:" + "ж" * 100)  # 2 octets each
    assert [len(line) for line in folded.split(b"\r\n")] == [74, 75, 55]


# --------------------------------------------------------------------------- properties

ZONES = [
    "Europe/Moscow", "Europe/Kaliningrad", "Asia/Yekaterinburg", "Asia/Vladivostok",
    "Europe/Berlin", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe",
    "America/St_Johns", "Asia/Kolkata", "UTC",
]  # fmt: skip


@settings(deadline=None, max_examples=150)
@given(
    summary=st.text(max_size=200),
    description=st.text(max_size=300),
    location=st.text(max_size=80),
)
def test_any_text_folds_and_reads_back(summary: str, description: str, location: str) -> None:
    data = event_file(summary=summary, description=description, location=location)
    for line in physical_lines(data):
        assert len(line) <= LINE_OCTETS
        line.decode("utf-8")
    event = parse(data).child("VEVENT")[0]

    def expected(text: str) -> str:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", text)

    assert unescape(event.value("SUMMARY")) == expected(summary)
    assert unescape(event.value("LOCATION")) == expected(location)
    if expected(description):
        assert unescape(event.value("DESCRIPTION")) == expected(description)


@settings(deadline=None, max_examples=100)
@given(
    zone=st.sampled_from(ZONES),
    start=st.datetimes(datetime(2024, 1, 1), datetime(2030, 12, 31)).map(
        lambda moment: moment.replace(second=0, microsecond=0, tzinfo=UTC)
    ),
    minutes=st.integers(15, 180),
)
def test_the_local_times_resolve_to_the_instants(zone: str, start: datetime, minutes: int) -> None:
    end = start + timedelta(minutes=minutes)
    calendar = parse(event_file(start=start, end=end, zone_name=zone))
    (timezone,) = calendar.child("VTIMEZONE")
    event = calendar.child("VEVENT")[0]
    local_start = parse_local(event.value("DTSTART"))
    local_end = parse_local(event.value("DTEND"))
    # a local time near a change of offset may be repeated or skipped: not checked there
    if all(
        abs(change - moment) > timedelta(hours=3)
        for moment in (start, end)
        for change in onsets(timezone)
    ):
        assert to_utc(local_start, timezone) == start
        assert to_utc(local_end, timezone) == end


def onsets(timezone: Component) -> list[datetime]:
    return [
        (parse_local(c.value("DTSTART")) - offset(c.value("TZOFFSETFROM"))).replace(tzinfo=UTC)
        for c in timezone.children
    ]
