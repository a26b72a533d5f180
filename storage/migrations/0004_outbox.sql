-- The outbox: everything the bot sends on its own initiative (reminders, announcements),
-- one row per recipient and message, drained by one delivery worker at Telegram's rates;
-- and a compact log of every attempt to send a row.

CREATE TABLE outbox (
    id                  INTEGER PRIMARY KEY,
    dedup_key           TEXT    NOT NULL UNIQUE,    -- the same reminder is never queued twice
    person_id           INTEGER REFERENCES people (id) ON DELETE SET NULL,
    chat_id             INTEGER NOT NULL,
    text                TEXT    NOT NULL,
    parse_mode          TEXT,                       -- NULL: plain text
    reply_markup        TEXT,                       -- JSON of a Telegram keyboard, or NULL
    kind                TEXT    NOT NULL,           -- "reminder", "announcement", ...
    state               TEXT    NOT NULL DEFAULT 'pending'
                        CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'blocked')),
    attempts            INTEGER NOT NULL DEFAULT 0, -- tries that count towards the limit (not 429s)
    next_attempt_at     TEXT    NOT NULL,           -- due from then on while pending
    last_error          TEXT,
    created_at          TEXT    NOT NULL,
    sent_at             TEXT,
    telegram_message_id INTEGER
);
-- the worker's query: pending rows that are due, oldest first
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
-- a recipient who blocked the bot: their other rows are closed too
CREATE INDEX outbox_chat ON outbox (chat_id);
CREATE INDEX outbox_person ON outbox (person_id) WHERE person_id IS NOT NULL;

-- outcome: sent | retry_after (429, not counted) | retry (5xx, network) | failed | blocked
CREATE TABLE outbox_attempts (
    id            INTEGER PRIMARY KEY,
    outbox_id     INTEGER NOT NULL REFERENCES outbox (id) ON DELETE CASCADE,
    attempted_at  TEXT    NOT NULL,
    outcome       TEXT    NOT NULL,
    error_code    INTEGER,                          -- HTTP status of the answer; NULL if none came
    error         TEXT                              -- short, NULL on success
);
CREATE INDEX outbox_attempts_item ON outbox_attempts (outbox_id);
