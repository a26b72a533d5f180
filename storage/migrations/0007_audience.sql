-- A roadmap action's audience: principal, curator, municipal, regional (see Audience).
-- Before, "coordinator" meant every coordinator: now the regional and the municipal ones.
UPDATE roadmap_events
   SET roles = replace(roles, 'coordinator', 'regional,municipal')
 WHERE roles LIKE '%coordinator%';
