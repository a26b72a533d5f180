-- The execution of roadmap actions: the reporting points a coordinator sets on a long
-- action, and each confirmation («выполнено», «перенесено», «не выполнено») with its
-- evidence. Confirmations are never changed or deleted: a new one supersedes the earlier
-- for the same action, part and point, so the history stays.

-- a reporting point: a date on which the action's responsible people are asked how it
-- goes, besides the ends of its periods
CREATE TABLE action_checkpoints (
    event_id  INTEGER NOT NULL REFERENCES roadmap_events (id) ON DELETE CASCADE,
    due_on    TEXT    NOT NULL,                        -- YYYY-MM-DD
    set_by    INTEGER REFERENCES people (id) ON DELETE SET NULL,
    set_at    TEXT    NOT NULL,
    PRIMARY KEY (event_id, due_on)
);

CREATE TABLE action_confirmations (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id      INTEGER NOT NULL REFERENCES roadmap_events (id) ON DELETE CASCADE,
    -- the point it answers (a period's end or a reporting point); NULL: an action without dates
    due_on        TEXT,
    -- whose part: a school's (its principal), a municipality's (its coordinators), or,
    -- both NULL, the action as a whole
    school_id     INTEGER REFERENCES schools (id) ON DELETE CASCADE,
    municipality  TEXT,
    status        TEXT    NOT NULL CHECK (status IN ('done', 'postponed', 'not_done')),
    file_id       TEXT,                                -- Telegram's, to send the file again
    file_name     TEXT,
    file_kind     TEXT CHECK (file_kind IN ('document', 'photo')),
    link          TEXT,
    evidence      TEXT,                                -- a sentence: «приказ № 45 от 12.03.2026»
    comment       TEXT,                                -- why not done, why moved, a caption
    new_starts_on TEXT,                                -- postponed: the new period as read
    new_ends_on   TEXT,
    new_period    TEXT,                                -- postponed: the new period as typed
    person_id     INTEGER REFERENCES people (id) ON DELETE SET NULL,
    created_at    TEXT    NOT NULL,
    CHECK (school_id IS NULL OR municipality IS NULL),
    CHECK (status <> 'postponed' OR new_ends_on IS NOT NULL)
);
CREATE INDEX action_confirmations_event ON action_confirmations (event_id, id);
CREATE INDEX action_confirmations_moved ON action_confirmations (new_ends_on)
    WHERE status = 'postponed';

-- a roadmap imported again gets new action rows: the old id → the new one, so the buttons
-- of requests already in people's chats still name their action
CREATE TABLE action_renumbered (
    old_event_id INTEGER PRIMARY KEY,
    new_event_id INTEGER NOT NULL REFERENCES roadmap_events (id) ON DELETE CASCADE
);
