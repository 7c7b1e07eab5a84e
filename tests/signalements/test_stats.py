from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from signalements.models import Signalement, Status

pytestmark = pytest.mark.django_db
URL = "/api/v1/stats/signalements/"


@pytest.fixture
def known():
    """Ten public reports of one category in Saint-Gilles with known delays."""
    Signalement.objects.all().delete()
    from backend.models import User
    from tests.signalements.factories import file_report

    reporter = User.objects.get(email="citoyen@demo.test")
    now = timezone.now()
    for hours in range(1, 11):
        report = file_report(reporter, at=(43.67861, 4.43167))
        Signalement.objects.filter(pk=report.pk).update(
            created_at=now - timedelta(days=10),
            acknowledged_at=now - timedelta(days=10) + timedelta(hours=hours),
            resolved_at=now - timedelta(days=10) + timedelta(days=hours) if hours <= 4 else None,
            resolve_due_at=now - timedelta(days=10) + timedelta(days=3),
            status=Status.RESOLVED if hours <= 4 else Status.ACKNOWLEDGED,
        )


def test_figures_on_a_known_data_set(api, known):
    body = api.get(URL).json()
    assert body["total"] == 10
    assert body["by_status"]["resolu"] == 4
    assert body["by_status"]["pris_en_compte"] == 6
    assert body["hours_to_acknowledge"]["median"] == pytest.approx(5.5, abs=0.6)
    assert body["hours_to_acknowledge"]["p90"] == pytest.approx(9.1, abs=1)
    assert body["resolved"] == 4
    assert body["resolved_within_target_share"] == 0.75


def test_filters_apply(api, known):
    assert api.get(URL, {"commune": "30189"}).json()["total"] == 0
    assert api.get(URL, {"commune": "30258"}).json()["total"] == 10


def test_a_bad_filter_is_a_400(api):
    response = api.get(URL, {"since": "yesterday"})
    assert response.status_code == 400
    assert "since" in response.json()["fields"]


def test_figures_are_kept_for_a_while_and_say_when_they_were_computed(
    api, known, settings, django_assert_num_queries
):
    settings.STATS_CACHE_SECONDS = 300
    first = api.get(URL, {"commune": "30258"}).json()
    Signalement.objects.filter(commune__insee_code="30258").delete()
    with django_assert_num_queries(0):
        again = api.get(URL, {"commune": "30258"}).json()
    assert again == first
    assert again["computed_at"]
    other_filters = api.get(URL, {"commune": "30258", "category": 1}).json()
    assert other_filters["total"] == 0
