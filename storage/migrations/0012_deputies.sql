-- Deputies: a principal delegates the school's forms to deputies («заместитель директора
-- по УВР»). A deputy's grant is a school grant like the principal's (role 'principal'), so
-- everything that reaches "the school's responsible people" («ответственный от ОО») —
-- the form, reminders, review notices — reaches both; ``deputy`` = 1 tells them apart
-- where it matters (only a principal invites deputies). A person answers for one school,
-- as principal or as deputy (the one-principal-school index covers both). The deputy's
-- position is kept in people.position, so the history names it even after a revocation.
ALTER TABLE role_grants ADD COLUMN deputy INTEGER NOT NULL DEFAULT 0
    CHECK (deputy IN (0, 1) AND (deputy = 0 OR role = 'principal'));
CREATE INDEX role_grants_deputies ON role_grants (school_id) WHERE deputy = 1;

-- an invitation for a deputy: role 'principal' with deputy = 1, one school, and the
-- position the inviting principal gave
ALTER TABLE invitations ADD COLUMN deputy INTEGER NOT NULL DEFAULT 0 CHECK (deputy IN (0, 1));
ALTER TABLE invitations ADD COLUMN position TEXT;
