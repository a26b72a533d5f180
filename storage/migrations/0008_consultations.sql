-- Consultations: the time curators publish (availability), the consultations booked in it,
-- and what happened to each; and documents in the outbox (a booking's .ics file).
-- Times are UTC ISO text ('2026-12-05T12:00:00Z'), compared as text.

-- One publication of a curator's time: the line as typed (or built with buttons) and
-- the settings of every consultation in it. Withdrawn publications keep their rows (the
-- consultations booked in them stay), they just offer no more time.
CREATE TABLE availability (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,   -- never reused: old buttons stay stale
    host_id       INTEGER NOT NULL REFERENCES people (id),
    text          TEXT    NOT NULL,                    -- as typed: «вт, чт 15:00–17:00 до 20 декабря»
    first_day     TEXT    NOT NULL,                    -- YYYY-MM-DD, local: the days it covers
    last_day      TEXT    NOT NULL,
    length_min    INTEGER NOT NULL CHECK (length_min BETWEEN 5 AND 480),
    buffer_min    INTEGER NOT NULL DEFAULT 0 CHECK (buffer_min BETWEEN 0 AND 240),
    notice_min    INTEGER NOT NULL DEFAULT 0 CHECK (notice_min BETWEEN 0 AND 20160),
    format        TEXT    NOT NULL CHECK (format IN ('online', 'in_person')),
    place         TEXT    NOT NULL,                    -- the link (online) or the address
    created_at    TEXT    NOT NULL,
    withdrawn_at  TEXT
);
CREATE INDEX availability_host ON availability (host_id) WHERE withdrawn_at IS NULL;

-- The concrete stretches of a publication (time already published before is left out,
-- so the stretches of a curator's publications never overlap).
CREATE TABLE availability_intervals (
    id               INTEGER PRIMARY KEY,
    availability_id  INTEGER NOT NULL REFERENCES availability (id) ON DELETE CASCADE,
    starts_at        TEXT    NOT NULL,
    ends_at          TEXT    NOT NULL CHECK (ends_at > starts_at)
);
CREATE INDEX availability_intervals_time ON availability_intervals (availability_id, starts_at);

-- A consultation: a host (curator), a school, a time, a format and a topic.
-- proposed: booked by the curator for the school, waiting for the school's answer;
-- booked: booked by the school, or a proposal the school accepted;
-- cancelled / declined: its time is free again; held / missed: marked afterwards.
CREATE TABLE consultations (
    id               INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused: old buttons stay stale
    uid              TEXT    NOT NULL UNIQUE,           -- the .ics UID; also the booking request's key
    host_id          INTEGER NOT NULL REFERENCES people (id),
    school_id        INTEGER NOT NULL REFERENCES schools (id),
    availability_id  INTEGER REFERENCES availability (id),
    starts_at        TEXT    NOT NULL,
    ends_at          TEXT    NOT NULL CHECK (ends_at > starts_at),
    format           TEXT    NOT NULL CHECK (format IN ('online', 'in_person')),
    place            TEXT    NOT NULL,
    notice_min       INTEGER NOT NULL DEFAULT 0,        -- the school may cancel or move until then
    topic            TEXT    NOT NULL DEFAULT '',
    indicator        TEXT,                              -- the topic is this indicator (catalog code)
    status           TEXT    NOT NULL CHECK (status IN
                     ('proposed', 'booked', 'cancelled', 'declined', 'held', 'missed')),
    booked_by        INTEGER REFERENCES people (id),
    created_at       TEXT    NOT NULL,
    scheduled_at     TEXT    NOT NULL,                  -- when it got its current time (reminders)
    sequence         INTEGER NOT NULL DEFAULT 0,        -- moves so far (the .ics SEQUENCE)
    reason           TEXT,                              -- of the last cancellation or move
    outcome          TEXT,                              -- the host's note afterwards
    updated_at       TEXT    NOT NULL,
    updated_by       INTEGER REFERENCES people (id)
);
-- A slot is booked at most once: the loser of a race fails here, whatever the code did.
CREATE UNIQUE INDEX consultations_one_per_slot ON consultations (host_id, starts_at)
    WHERE status IN ('proposed', 'booked', 'held', 'missed');
CREATE INDEX consultations_host_time ON consultations (host_id, starts_at);
CREATE INDEX consultations_school ON consultations (school_id, starts_at);
CREATE INDEX consultations_time ON consultations (starts_at);

-- Every change of a consultation: who, when, what, and the reason.
CREATE TABLE consultation_changes (
    id               INTEGER PRIMARY KEY,
    consultation_id  INTEGER NOT NULL REFERENCES consultations (id) ON DELETE CASCADE,
    action           TEXT    NOT NULL,   -- proposed, booked, accepted, declined, cancelled, moved, held, missed, outcome
    changed_by       INTEGER REFERENCES people (id),
    changed_at       TEXT    NOT NULL,
    old_starts_at    TEXT,
    new_starts_at    TEXT,
    reason           TEXT
);
CREATE INDEX consultation_changes_consultation ON consultation_changes (consultation_id);

-- The outbox may carry a document (sent with sendDocument, the text as its caption).
ALTER TABLE outbox ADD COLUMN document BLOB;
ALTER TABLE outbox ADD COLUMN file_name TEXT;
