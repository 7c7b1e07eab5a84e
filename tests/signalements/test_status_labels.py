"""A status label reads as a label in the reader's language, in JSON and in GeoJSON alike."""

from __future__ import annotations

import pytest
from django.db import connection

from signalements.models import Signalement, Status
from tests.signalements.factories import file_report

URL = "/api/v1/signalements/"
pytestmark = pytest.mark.django_db

LABELS = {
    "fr": {
        Status.NEW: "Nouveau",
        Status.ACKNOWLEDGED: "Pris en compte",
        Status.SCHEDULED: "Programmé",
        Status.IN_PROGRESS: "En cours",
        Status.RESOLVED: "Résolu",
        Status.CLOSED: "Clos",
        Status.REJECTED: "Rejeté",
        Status.REOPENED: "Réouvert",
    },
    "en": {
        Status.NEW: "New",
        Status.ACKNOWLEDGED: "Acknowledged",
        Status.SCHEDULED: "Scheduled",
        Status.IN_PROGRESS: "In progress",
        Status.RESOLVED: "Resolved",
        Status.CLOSED: "Closed",
        Status.REJECTED: "Rejected",
        Status.REOPENED: "Reopened",
    },
}


@pytest.fixture
def one_report_per_status(citizen) -> dict[int, str]:
    reports = {}
    for status in Status:
        report = file_report(citizen)
        Signalement.objects.filter(pk=report.pk).update(status=status)
        reports[report.pk] = status
    return reports


def _since(reports: dict[int, str]) -> str:
    return Signalement.objects.get(pk=min(reports)).created_at.isoformat()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_status_has_its_label(api, one_report_per_status, language):
    api.credentials(HTTP_ACCEPT_LANGUAGE=language)
    page = api.get(URL, {"created_since": _since(one_report_per_status)}).json()
    shown = {item["id"]: item["status_label"] for item in page["results"]}
    expected = {pk: LABELS[language][status] for pk, status in one_report_per_status.items()}
    assert shown == expected
    some = next(iter(one_report_per_status))
    assert api.get(f"{URL}{some}/").json()["status_label"] == expected[some]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_geojson_written_by_the_database_has_the_same_labels(
    api, one_report_per_status, language
):
    from signalements.selectors.geojson import features_in_database

    if connection.vendor != "postgresql":
        pytest.skip("the database writes GeoJSON on PostgreSQL only")
    assert features_in_database()
    api.credentials(HTTP_ACCEPT_LANGUAGE=language)
    since = {"created_since": _since(one_report_per_status)}
    json_page = api.get(URL, since).json()
    geojson_page = api.get(URL, {**since, "format": "geojson"}).json()
    assert {f["id"]: f["properties"]["status_label"] for f in geojson_page["features"]} == {
        item["id"]: item["status_label"] for item in json_page["results"]
    }
    assert {f["properties"]["status_label"] for f in geojson_page["features"]} == set(
        LABELS[language].values()
    )
