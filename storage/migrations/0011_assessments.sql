-- Assessment procedures' reports (ВПР, ГИА-9, ГИА-11...): each is a campaign of its own per
-- year (deadline_key "assessment:<procedure>") whose due date the coordinator sets, in
-- campaigns.due_date like any other campaign's. Every setting of such a date is kept here:
-- who set it, when, and the date before.

CREATE TABLE campaign_due_changes (
    id           INTEGER PRIMARY KEY,
    campaign_id  INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    old_due      TEXT,                              -- 'YYYY-MM-DD', NULL when none was set
    new_due      TEXT    NOT NULL,                  -- 'YYYY-MM-DD' in the program's zone
    changed_by   INTEGER REFERENCES people (id) ON DELETE SET NULL,
    changed_at   TEXT    NOT NULL
);
CREATE INDEX campaign_due_changes_campaign ON campaign_due_changes (campaign_id);
