-- A coordinator's territory. A regional coordinator's grant has no municipality and
-- reaches every school; a municipal coordinator has one grant per municipality they
-- coordinate (as the register spells it), and reaches the schools there. Existing grants
-- stay regional.
ALTER TABLE role_grants ADD COLUMN municipality TEXT;
DROP INDEX role_grants_one_coordinator;
CREATE UNIQUE INDEX role_grants_coordinator_territory
    ON role_grants (person_id, coalesce(municipality, '')) WHERE role = 'coordinator';

-- an invitation for a municipal coordinator names the municipalities (JSON list); NULL:
-- a regional coordinator's, or another role's
ALTER TABLE invitations ADD COLUMN municipalities TEXT;

-- a roadmap belongs to the region (NULL) or to one municipality
ALTER TABLE roadmaps ADD COLUMN municipality TEXT;
