-- Schools, people, roles and invitations.
-- Times are UTC, ISO 8601 text ('2026-11-23T19:05:00Z').

CREATE TABLE schools (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL,
    short_name    TEXT,
    municipality  TEXT    NOT NULL,
    is_shnor      INTEGER NOT NULL DEFAULT 0 CHECK (is_shnor IN (0, 1)),
    is_shssu      INTEGER NOT NULL DEFAULT 0 CHECK (is_shssu IN (0, 1)),
    inn           TEXT    UNIQUE,
    -- normalised "municipality|name": how a re-imported register finds the same school
    match_key     TEXT    NOT NULL UNIQUE,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL
);

CREATE TABLE people (
    id            INTEGER PRIMARY KEY,
    telegram_id   INTEGER UNIQUE,
    full_name     TEXT    NOT NULL,
    name_key      TEXT    NOT NULL,
    username      TEXT,
    email         TEXT,
    phone         TEXT,
    position      TEXT,
    locale        TEXT,
    is_active     INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    commands_key  TEXT,                             -- the command list last set for their chat
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL
);
CREATE UNIQUE INDEX people_email ON people (lower(email)) WHERE email IS NOT NULL;
CREATE INDEX people_name_key ON people (name_key);

CREATE TABLE role_grants (
    id            INTEGER PRIMARY KEY,
    person_id     INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    role          TEXT    NOT NULL CHECK (role IN ('principal', 'curator', 'coordinator')),
    school_id     INTEGER REFERENCES schools (id) ON DELETE CASCADE,
    granted_at    TEXT    NOT NULL,
    CHECK ((role = 'coordinator') = (school_id IS NULL))
);
-- a principal belongs to exactly one school; a curator may have many; a coordinator none
CREATE UNIQUE INDEX role_grants_one_principal_school ON role_grants (person_id) WHERE role = 'principal';
CREATE UNIQUE INDEX role_grants_one_coordinator ON role_grants (person_id) WHERE role = 'coordinator';
CREATE UNIQUE INDEX role_grants_per_school ON role_grants (person_id, role, school_id)
    WHERE school_id IS NOT NULL;
CREATE INDEX role_grants_school ON role_grants (school_id);

CREATE TABLE invitations (
    id            INTEGER PRIMARY KEY,
    code_hash     TEXT    NOT NULL UNIQUE,          -- sha256 of the code; the code itself is never stored
    role          TEXT    NOT NULL CHECK (role IN ('principal', 'curator', 'coordinator')),
    person_id     INTEGER REFERENCES people (id) ON DELETE CASCADE,   -- set when made for a known person
    created_by    INTEGER REFERENCES people (id) ON DELETE SET NULL,
    created_at    TEXT    NOT NULL,
    expires_at    TEXT    NOT NULL,
    used_at       TEXT,
    used_by       INTEGER REFERENCES people (id) ON DELETE SET NULL,
    revoked_at    TEXT
);

CREATE TABLE invitation_schools (
    invitation_id INTEGER NOT NULL REFERENCES invitations (id) ON DELETE CASCADE,
    school_id     INTEGER NOT NULL REFERENCES schools (id) ON DELETE CASCADE,
    PRIMARY KEY (invitation_id, school_id)
);
