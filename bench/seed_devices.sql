-- Phones for the push benchmarks, in SQL only (psql -v devices=100000 -v users=10000).
-- 1. :devices anonymous phones interested in one commune each, spread by population, already
--    subscribed to the FCM topic of their interest profile (one profile per commune and language).
-- 2. :users accounts with one phone each, for personal notifications.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

BEGIN;
INSERT INTO push_audienceprofile (key, topic, language)
SELECT 'bench-' || c.insee_code || '-' || l.lang, 'p-bench-' || c.insee_code || '-' || l.lang, l.lang
FROM geo_commune c CROSS JOIN (VALUES ('fr'), ('en')) AS l(lang)
ON CONFLICT DO NOTHING;

INSERT INTO push_audienceprofile_communes (audienceprofile_id, commune_id)
SELECT p.id, c.id
FROM push_audienceprofile p JOIN geo_commune c ON p.key LIKE 'bench-' || c.insee_code || '-%'
WHERE NOT EXISTS (
    SELECT 1 FROM push_audienceprofile_communes x WHERE x.audienceprofile_id = p.id
);

-- Cumulative population shares, to draw each phone's commune by weight.
CREATE TEMP TABLE bench_weights ON COMMIT DROP AS
SELECT id, insee_code,
       sum(coalesce(population, 500)) OVER (ORDER BY id)::float
           / sum(coalesce(population, 500)) OVER () AS upto
FROM geo_commune;

CREATE TEMP TABLE bench_phones ON COMMIT DROP AS
SELECT i, CASE WHEN random() < 0.1 THEN 'en' ELSE 'fr' END AS lang, random() AS r
FROM generate_series(1, :devices) AS i;

INSERT INTO push_device (token, platform, locale, app_version, is_active, deactivated_reason,
                         topic, wanted_topic, created_at, updated_at)
SELECT 'bench-phone-' || p.i,
       CASE WHEN p.i % 3 = 0 THEN 'ios' ELSE 'android' END,
       p.lang, '1.0.0', true, '',
       'p-bench-' || w.insee_code || '-' || p.lang,
       'p-bench-' || w.insee_code || '-' || p.lang,
       now(), now()
FROM bench_phones p
CROSS JOIN LATERAL (
    SELECT insee_code FROM bench_weights WHERE upto >= p.r ORDER BY upto LIMIT 1
) w;

INSERT INTO backend_user (password, is_superuser, email, first_name, last_name, language,
                          is_staff, is_active, date_joined)
SELECT '!', false, 'bench-user-' || i || '@bench.test', 'Bench', 'User ' || i, 'fr', false, true,
       now()
FROM generate_series(1, :users) AS i;

INSERT INTO push_device (token, platform, locale, app_version, is_active, deactivated_reason,
                         topic, wanted_topic, created_at, updated_at, user_id)
SELECT 'bench-user-phone-' || u.id, 'android', 'fr', '1.0.0', true, '', '', '', now(), now(),
       u.id
FROM backend_user u WHERE u.email LIKE 'bench-user-%@bench.test';
COMMIT;

ANALYZE push_device;
ANALYZE backend_user;
