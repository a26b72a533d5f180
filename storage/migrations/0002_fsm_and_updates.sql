-- Conversation state kept in the database, so that a restart at any step of a
-- conversation continues where it stopped; and the updates already handled, so
-- that an update Telegram delivers again after a crash is not acted on twice;
-- and small facts about the bot itself (its username, for invitation links).

CREATE TABLE fsm_states (
    key           TEXT    PRIMARY KEY,               -- aiogram StorageKey, built by DefaultKeyBuilder
    state         TEXT,
    data          TEXT    NOT NULL DEFAULT '{}',     -- JSON
    updated_at    TEXT    NOT NULL
);

CREATE TABLE handled_updates (
    update_id     INTEGER PRIMARY KEY,
    handled_at    TEXT    NOT NULL
);

CREATE TABLE app_meta (
    key           TEXT    PRIMARY KEY,
    value         TEXT    NOT NULL
);
