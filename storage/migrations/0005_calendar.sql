-- The roadmap calendar («дорожная карта»): roadmaps imported from Excel, their actions with
-- the period as written and as read, the dated occurrences derived from it; each person's
-- reminder preferences; and the scheduler's record of which jobs have run.

CREATE TABLE roadmaps (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: old buttons stay stale
    title        TEXT    NOT NULL,
    source       TEXT    NOT NULL DEFAULT '',        -- the file it was imported from
    starts_on    TEXT    NOT NULL,                   -- YYYY-MM-DD: the program's first day
    ends_on      TEXT    NOT NULL,                   -- YYYY-MM-DD: its last day
    imported_at  TEXT    NOT NULL,
    imported_by  INTEGER REFERENCES people (id) ON DELETE SET NULL
);

CREATE TABLE roadmap_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: old buttons stay stale
    roadmap_id   INTEGER NOT NULL REFERENCES roadmaps (id) ON DELETE CASCADE,
    row_no       INTEGER NOT NULL,                   -- the row in the source sheet
    number       TEXT    NOT NULL DEFAULT '',        -- "1.2" as written, or ''
    section      TEXT    NOT NULL DEFAULT '',
    title        TEXT    NOT NULL,
    period_text  TEXT    NOT NULL DEFAULT '',        -- the period exactly as written
    kind         TEXT    NOT NULL CHECK (kind IN
                 ('range', 'ranges', 'recurring', 'deadline', 'no_fixed_date', 'unreadable')),
    reason       TEXT,                               -- why the period could not be read
    responsible  TEXT    NOT NULL DEFAULT '',        -- as written
    roles        TEXT    NOT NULL DEFAULT 'coordinator', -- comma list of roles to remind
    result       TEXT    NOT NULL DEFAULT '',        -- the expected result, as written
    dates_set_by INTEGER REFERENCES people (id) ON DELETE SET NULL, -- set by hand in chat
    dates_set_at TEXT,
    UNIQUE (roadmap_id, row_no)
);

CREATE TABLE event_occurrences (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id   INTEGER NOT NULL REFERENCES roadmap_events (id) ON DELETE CASCADE,
    starts_on  TEXT    NOT NULL,                     -- YYYY-MM-DD, inclusive
    ends_on    TEXT    NOT NULL,                     -- YYYY-MM-DD, inclusive
    UNIQUE (event_id, starts_on, ends_on)
);
CREATE INDEX event_occurrences_dates ON event_occurrences (starts_on, ends_on);

-- one row per person who changed anything; no row: the program's defaults
CREATE TABLE reminder_prefs (
    person_id  INTEGER PRIMARY KEY REFERENCES people (id) ON DELETE CASCADE,
    hour       INTEGER CHECK (hour BETWEEN 0 AND 23),  -- local hour; NULL: the default
    muted      TEXT    NOT NULL DEFAULT ''           -- comma list: deadline, overdue, event
);

-- a job that has run (or was dropped as too old) is never run again, even after a restart
CREATE TABLE scheduler_runs (
    job_id   TEXT PRIMARY KEY,
    due_at   TEXT    NOT NULL,
    ran_at   TEXT    NOT NULL,
    outcome  TEXT    NOT NULL CHECK (outcome IN ('done', 'missed')),
    queued   INTEGER NOT NULL DEFAULT 0              -- messages put into the outbox
);
