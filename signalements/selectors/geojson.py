"""Public reports as GeoJSON, written by the database."""

from __future__ import annotations

import json

from django.db import connection
from django.utils import timezone

from backend.object_storage import public_prefix
from backend.translation import english_wanted, translated
from signalements.models import Category, Status


def _timestamp(column: str) -> str:
    """SQL rendering a timestamptz as DRF does: ISO 8601 in the zone %(tz)s, µs if any."""
    local = f"({column} AT TIME ZONE %(tz)s)"
    offset = f"({local} - ({column} AT TIME ZONE 'UTC'))"
    return (
        f"to_char({local}, 'YYYY-MM-DD\"T\"HH24:MI:SS') "
        f"|| CASE WHEN extract(microseconds FROM {column})::bigint %% 1000000 <> 0 "
        f"THEN to_char({column}, '.US') ELSE '' END "
        f"|| CASE WHEN {offset} = interval '0' THEN 'Z' "
        f"WHEN {offset} < interval '0' THEN '-' || to_char(-{offset}, 'HH24:MI') "
        f"ELSE '+' || to_char({offset}, 'HH24:MI') END"
    )


def signalement_features_sql() -> str:
    """The statement writing the GeoJSON features of the given report ids, in their order.

    Same document as ``SignalementGeoSerializer`` (tests/signalements/test_geojson.py
    compares them); the texts that depend on the language and the media URL prefix are
    parameters: status labels, category names, deleted-user and resident labels, media
    prefix, zone, ids.
    """
    photo = (
        "json_build_object('id', p.id, 'position', p.position, 'status', p.status, "
        "'large_url', CASE WHEN p.status = 'ready' AND p.large <> '' "
        "THEN prefix.value || p.large END, "
        "'thumbnail_url', CASE WHEN p.status = 'ready' AND p.thumbnail <> '' "
        "THEN prefix.value || p.thumbnail END, "
        "'width', p.width, 'height', p.height)"
    )
    reporter_name = (
        "CASE WHEN s.anonymous OR u.id IS NULL THEN NULL "
        "WHEN NOT u.is_active THEN %(deleted)s "
        "ELSE coalesce(nullif(trim(u.first_name || CASE WHEN u.last_name <> '' "
        "THEN ' ' || left(u.last_name, 1) || '.' ELSE '' END), ''), %(resident)s) END"
    )
    properties = (
        "json_build_object("
        "'category', json_build_object('id', c.id, 'slug', c.slug, "
        "'name', coalesce(names.value ->> c.id::text, c.name), "
        "'theme', t.slug, 'icon', c.icon), "
        "'description', s.description, 'status', s.status, "
        "'status_label', labels.value ->> s.status, 'address', s.address, "
        "'commune', json_build_object('insee_code', g.insee_code, 'name', g.name), "
        "'direction', CASE WHEN d.id IS NULL THEN NULL "
        "ELSE json_build_object('slug', d.slug, 'name', d.name) END, "
        f"'reporter_name', {reporter_name}, "
        "'supporters_count', (SELECT count(*) FROM signalements_follow f "
        "WHERE f.signalement_id = s.id), "
        f"'photos', coalesce((SELECT json_agg({photo} ORDER BY p.position, p.id) "
        "FROM signalements_photo p WHERE p.signalement_id = s.id), '[]'), "
        f"'created_at', {_timestamp('s.created_at')}, "
        f"'updated_at', {_timestamp('s.updated_at')})"
    )
    feature = (
        "json_build_object('id', s.id, 'type', 'Feature', 'geometry', "
        "json_build_object('type', 'Point', 'coordinates', "
        "json_build_array(ST_X(s.location), ST_Y(s.location))), "
        f"'properties', {properties})"
    )
    return (
        f"SELECT coalesce(json_agg({feature} ORDER BY page.n), '[]')::text "
        "FROM unnest(%(ids)s::bigint[]) WITH ORDINALITY AS page (id, n) "
        "JOIN signalements_signalement s ON s.id = page.id "
        "JOIN signalements_category c ON c.id = s.category_id "
        "JOIN signalements_theme t ON t.id = c.theme_id "
        "JOIN geo_commune g ON g.id = s.commune_id "
        "LEFT JOIN backend_direction d ON d.id = s.direction_id "
        "LEFT JOIN backend_user u ON u.id = s.reporter_id "
        "CROSS JOIN (SELECT %(labels)s::jsonb AS value) labels "
        "CROSS JOIN (SELECT %(names)s::jsonb AS value) names "
        "CROSS JOIN (SELECT %(prefix)s::text AS value) prefix"
    )


def features_in_database() -> bool:
    """Whether the database can write the GeoJSON features: PostGIS, and photo URLs made of
    a prefix and the file's name (local files, an unsigned bucket)."""
    return connection.vendor == "postgresql" and public_prefix() is not None


def signalement_features(*, ids: list[int], media_prefix: str) -> str:
    """The GeoJSON features of these reports (a JSON array, as text), in the order given.

    Labels and names follow the active language; ``media_prefix`` is the absolute URL that
    public files' names follow (``backend.object_storage.public_prefix``).
    """
    from backend.models import User as UserModel

    # A handful of categories, named by the one rule of translated texts; in French the
    # statement reads the name itself.
    names = (
        {
            str(category.pk): translated(category, "name")
            for category in Category.objects.only("pk", "name", "name_en")
        }
        if english_wanted()
        else {}
    )
    params = {
        "ids": ids,
        "labels": json.dumps({str(value): str(label) for value, label in Status.choices}),
        "names": json.dumps(names),
        "deleted": UserModel(is_active=False).display_name,
        "resident": UserModel(first_name="", last_name="").display_name,
        "prefix": media_prefix,
        "tz": timezone.get_current_timezone_name(),
    }
    with connection.cursor() as cursor:
        cursor.execute(signalement_features_sql(), params)
        return cursor.fetchone()[0]
