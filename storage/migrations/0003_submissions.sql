-- Indicator campaigns (one per deadline per year), each school's submission for a
-- campaign, its answers, and the history of every change.

CREATE TABLE campaigns (
    id            INTEGER PRIMARY KEY,
    year          INTEGER NOT NULL,
    deadline_key  TEXT    NOT NULL,                 -- "MM-DD" from the catalog, or "on_schedule"
    due_date      TEXT,                             -- 'YYYY-MM-DD' in the program's zone; NULL on schedule
    closed_at     TEXT,                             -- closed campaigns take no more edits
    created_at    TEXT    NOT NULL,
    UNIQUE (year, deadline_key)
);

CREATE TABLE submissions (
    id             INTEGER PRIMARY KEY,
    campaign_id    INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    school_id      INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    status         TEXT    NOT NULL DEFAULT 'draft'
                   CHECK (status IN ('draft', 'submitted', 'returned', 'accepted')),
    version        INTEGER NOT NULL DEFAULT 1,      -- grows with every save: who saves on an old one is asked
    bases          TEXT    NOT NULL DEFAULT '{}',   -- JSON: base code -> count (teachers, ...)
    submitted_at   TEXT,
    submitted_by   INTEGER REFERENCES people (id) ON DELETE SET NULL,
    late           INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),
    reviewed_at    TEXT,
    reviewed_by    INTEGER REFERENCES people (id) ON DELETE SET NULL,
    review_comment TEXT,
    updated_at     TEXT    NOT NULL,
    updated_by     INTEGER REFERENCES people (id) ON DELETE SET NULL,
    UNIQUE (campaign_id, school_id)
);
CREATE INDEX submissions_school ON submissions (school_id);

CREATE TABLE answers (
    submission_id  INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    indicator      TEXT    NOT NULL,                -- catalog code
    value          TEXT    NOT NULL,                -- JSON
    updated_at     TEXT    NOT NULL,
    updated_by     INTEGER REFERENCES people (id) ON DELETE SET NULL,
    PRIMARY KEY (submission_id, indicator)
);

CREATE TABLE submission_history (
    id             INTEGER PRIMARY KEY,
    submission_id  INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    field          TEXT    NOT NULL,                -- indicator code, "base:<code>" or "status"
    old_value      TEXT,                            -- JSON, NULL when there was none
    new_value      TEXT,                            -- JSON, NULL when removed
    changed_by     INTEGER REFERENCES people (id) ON DELETE SET NULL,
    changed_at     TEXT    NOT NULL,
    comment        TEXT
);
CREATE INDEX submission_history_submission ON submission_history (submission_id);

-- Every change of an answer is kept: the history row is written by the same statement
-- that changes the answer, so the two can never disagree (and a save is one statement).
-- Values are canonical JSON (sorted keys), so comparing the text compares the values.
-- A changed answer also sends an accepted submission back for another look.
CREATE TRIGGER answers_history_insert AFTER INSERT ON answers
BEGIN
    INSERT INTO submission_history (submission_id, field, old_value, new_value, changed_by, changed_at)
    VALUES (NEW.submission_id, NEW.indicator, NULL, NEW.value, NEW.updated_by, NEW.updated_at);
    UPDATE submissions SET status = 'submitted' WHERE id = NEW.submission_id AND status = 'accepted';
END;

CREATE TRIGGER answers_history_update AFTER UPDATE OF value ON answers
WHEN OLD.value IS NOT NEW.value
BEGIN
    INSERT INTO submission_history (submission_id, field, old_value, new_value, changed_by, changed_at)
    VALUES (NEW.submission_id, NEW.indicator, OLD.value, NEW.value, NEW.updated_by, NEW.updated_at);
    UPDATE submissions SET status = 'submitted' WHERE id = NEW.submission_id AND status = 'accepted';
END;
