-- Seminar announcements (issue 13): what a coordinator announces, to whom it went, who
-- answered «Приду» / «Не смогу», and which schools attended.

-- The outbox learns to send a document or a photo with a caption, and to edit a message it
-- delivered before; ``batch`` groups the rows of one delivery that a sender follows.
ALTER TABLE outbox ADD COLUMN method TEXT;      -- NULL: sendMessage; document | photo |
                                                -- edit_text | edit_caption
ALTER TABLE outbox ADD COLUMN file_id TEXT;     -- document, photo: Telegram's file_id
ALTER TABLE outbox ADD COLUMN edit_of INTEGER REFERENCES outbox (id) ON DELETE SET NULL;
ALTER TABLE outbox ADD COLUMN batch TEXT;       -- "announcement:5", "announcement:5:v2", ...
CREATE INDEX outbox_batch ON outbox (batch, state) WHERE batch IS NOT NULL;

CREATE TABLE announcements (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: old buttons stay stale
    author_id           INTEGER REFERENCES people (id) ON DELETE SET NULL,
    municipalities      TEXT,                   -- the author's territory (JSON list); NULL: region
    title               TEXT    NOT NULL,
    starts_at           TEXT,                   -- UTC; NULL while a draft has no date yet
    ends_at             TEXT,                   -- UTC, optional
    format              TEXT    CHECK (format IN ('online', 'in_person')),
    place               TEXT    NOT NULL DEFAULT '',   -- the link (online) or the address
    description         TEXT    NOT NULL DEFAULT '',   -- Telegram HTML, checked before saving
    attachment_kind     TEXT    CHECK (attachment_kind IN ('document', 'photo')),
    attachment_file_id  TEXT,
    attachment_name     TEXT,
    audience            TEXT    NOT NULL DEFAULT '{}', -- JSON (bot.announcements.audience)
    status              TEXT    NOT NULL DEFAULT 'draft'
                        CHECK (status IN ('draft', 'scheduled', 'sending', 'sent', 'cancelled')),
    send_at             TEXT,                   -- scheduled: when the sending starts (UTC)
    started_at          TEXT,                   -- when the sending started
    finished_at         TEXT,                   -- when the last message was delivered or given up
    version             INTEGER NOT NULL DEFAULT 1,    -- the text's version: an edit after sending
    corrections         INTEGER NOT NULL DEFAULT 0,    -- short corrections sent after it
    progress_chat_id    INTEGER,                -- the author's progress message
    progress_message_id INTEGER,
    roadmap_event_id    INTEGER REFERENCES roadmap_events (id) ON DELETE SET NULL,
    created_at          TEXT    NOT NULL,
    updated_at          TEXT    NOT NULL
);
CREATE INDEX announcements_status ON announcements (status);
CREATE INDEX announcements_starts ON announcements (starts_at);

-- who it was sent to, fixed when the sending starts (the people the audience reached then)
CREATE TABLE announcement_recipients (
    announcement_id INTEGER NOT NULL REFERENCES announcements (id) ON DELETE CASCADE,
    person_id       INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    school_id       INTEGER REFERENCES schools (id) ON DELETE SET NULL, -- a principal's school
    PRIMARY KEY (announcement_id, person_id)
);

-- «Приду» / «Не смогу», changeable until the event starts; a principal may say how many
-- of the school's staff will come
CREATE TABLE announcement_answers (
    announcement_id INTEGER NOT NULL REFERENCES announcements (id) ON DELETE CASCADE,
    person_id       INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    answer          TEXT    NOT NULL CHECK (answer IN ('yes', 'no')),
    staff           INTEGER CHECK (staff BETWEEN 1 AND 1000),
    answered_at     TEXT    NOT NULL,
    PRIMARY KEY (announcement_id, person_id)
);

-- schools marked as present by the coordinator after the event
CREATE TABLE announcement_attendance (
    announcement_id INTEGER NOT NULL REFERENCES announcements (id) ON DELETE CASCADE,
    school_id       INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    staff           INTEGER CHECK (staff BETWEEN 1 AND 1000),  -- how many came, if known
    marked_by       INTEGER REFERENCES people (id) ON DELETE SET NULL,
    marked_at       TEXT    NOT NULL,
    PRIMARY KEY (announcement_id, school_id)
);
CREATE INDEX announcement_attendance_school ON announcement_attendance (school_id);
