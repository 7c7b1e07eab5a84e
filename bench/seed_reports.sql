-- Adds :n synthetic reports (and their photo rows) to the bench database, in SQL only.
-- psql -v n=100000 -f bench/seed_reports.sql
-- Spread like a real territory: each commune gets reports in proportion to its population,
-- and 60 % of the reports of Nîmes fall in the dense centre (2.5 km around the Maison Carrée).
\set ON_ERROR_STOP on
SET client_min_messages = warning;

BEGIN;
CREATE TEMP TABLE bench_share ON COMMIT DROP AS
SELECT c.id AS commune_id, c.insee_code, c.geometry,
       round(:n * coalesce(c.population, 500)::numeric
             / sum(coalesce(c.population, 500)) OVER ())::int AS wanted
FROM geo_commune c;

-- Random points inside each commune (ST_GeneratePoints samples uniformly inside a polygon).
CREATE TEMP TABLE bench_points ON COMMIT DROP AS
SELECT commune_id, (ST_Dump(ST_GeneratePoints(geometry, wanted))).geom AS location
FROM (
    SELECT commune_id, geometry,
           CASE WHEN insee_code = '30189' THEN (wanted * 0.4)::int ELSE wanted END AS wanted
    FROM bench_share
) s
WHERE wanted > 0
UNION ALL
SELECT s.commune_id,
       (ST_Dump(ST_GeneratePoints(
           ST_Intersection(
               s.geometry,
               ST_Buffer(ST_SetSRID(ST_MakePoint(4.3601, 43.8367), 4326)::geography, 2500)::geometry
           ),
           (s.wanted * 0.6)::int
       ))).geom
FROM bench_share s
WHERE s.insee_code = '30189' AND s.wanted > 1;

CREATE TEMP TABLE bench_categories ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY id) - 1 AS k, id, default_direction_id
FROM signalements_category;

INSERT INTO signalements_signalement (
    description, location, accuracy_m, address, routing_reason, routing_explanation, status,
    anonymous, is_public, answers, source, created_at, updated_at, category_id, commune_id,
    direction_id, reject_reason, acknowledge_due_at, acknowledged_at, resolve_due_at, resolved_at,
    closed_at
)
SELECT 'Signalement de test ' || p.rn,
       p.location,
       5 + random() * 30,
       '',
       'competence_agglomeration',
       '',
       p.status,
       random() < 0.3,
       random() < 0.97,
       '{}'::jsonb,
       'demo',
       p.created_at,
       p.created_at,
       cat.id,
       p.commune_id,
       cat.default_direction_id,
       CASE WHEN p.status = 'rejete' THEN 'non_fonde' ELSE '' END,
       p.created_at + interval '48 hours',
       CASE WHEN p.status <> 'nouveau' THEN p.created_at + random() * interval '72 hours' END,
       p.created_at + interval '30 days',
       CASE WHEN p.status IN ('resolu', 'clos')
            THEN p.created_at + random() * interval '40 days' END,
       CASE WHEN p.status = 'clos' THEN p.created_at + interval '45 days' END
FROM (
    SELECT row_number() OVER () AS rn, commune_id, location,
           now() - random() * interval '3 years' AS created_at,
           -- Weighted statuses: most reports of a mature service are resolved or closed.
           (ARRAY['nouveau', 'nouveau', 'pris_en_compte', 'programme', 'en_cours', 'resolu',
                  'resolu', 'resolu', 'clos', 'clos', 'clos', 'clos', 'rejete', 'reouvert']
           )[1 + floor(random() * 14)::int] AS status,
           floor(random() * (SELECT count(*) FROM bench_categories))::int AS k
    FROM bench_points
) p
JOIN bench_categories cat ON cat.k = p.k
-- Rows land in the order reports come in real life (ids and the table follow time).
ORDER BY p.created_at;

-- Photo rows: about 40 % of the new reports have one photo, 15 % a second one.
INSERT INTO signalements_photo (position, status, original, large, thumbnail, width, height,
                                created_at, signalement_id, attempts)
SELECT pos, 'ready', '',
       'signalements/photos/' || s.id || '/p' || pos || '.jpg',
       'signalements/thumbnails/' || s.id || '/p' || pos || '.jpg',
       2048, 1536, s.created_at, s.id, 0
FROM signalements_signalement s
CROSS JOIN LATERAL (VALUES (0, 0.40), (1, 0.15)) AS v(pos, share)
WHERE s.source = 'demo' AND s.description LIKE 'Signalement de test %'
  AND s.id > coalesce((SELECT max(signalement_id) FROM signalements_photo WHERE original = ''), 0)
  AND random() < v.share;
COMMIT;

VACUUM ANALYZE signalements_signalement;
VACUUM ANALYZE signalements_photo;
