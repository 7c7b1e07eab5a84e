"""Public figures of the territory or a commune come from counts kept by PostgreSQL.

Each test compares the figures read from the kept counts and delay histograms
(``StatsPeriod``, ``StatsDelay``) with the figures computed from the reports themselves,
after one kind of change: counts are equal, delays within the histograms' 0.5 %.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from signalements.filters import StatsFilter
from signalements.models import Category, Signalement, StatsDelay, StatsPeriod, Status
from signalements.selectors import stats as stats_selectors
from tests.signalements.factories import NIMES, SAINT_GILLES, file_report

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the counts are kept by PostgreSQL triggers"
    ),
]

STATUSES = [Status.NEW, Status.ACKNOWLEDGED, Status.RESOLVED, Status.CLOSED, Status.IN_PROGRESS]


@pytest.fixture
def spread(citizen):
    """Reports every 29 hours over about two months, in two communes, with delays from
    seconds to weeks; some resolved late, some never acknowledged."""
    Signalement.objects.all().delete()
    now = timezone.now()
    for index in range(48):
        report = file_report(citizen, at=NIMES if index % 3 else SAINT_GILLES)
        created = now - timedelta(hours=29 * index + 2)
        status = STATUSES[index % len(STATUSES)]
        acknowledged = resolved = None
        if status != Status.NEW:
            acknowledged = created + timedelta(seconds=0.5 + 997 * index**2)
        if status in (Status.RESOLVED, Status.CLOSED):
            resolved = created + timedelta(hours=7 * index + 1)
        Signalement.objects.filter(pk=report.pk).update(
            created_at=created,
            status=status,
            acknowledged_at=acknowledged,
            resolved_at=resolved,
            resolve_due_at=created + timedelta(days=5),
        )
    return now


def figures(query: str = "") -> tuple[dict, dict, list[str]]:
    """(figures as served, figures from the reports, the SQL the served ones ran)."""
    filters = StatsFilter(QueryDict(query), queryset=Signalement.objects.public())
    assert filters.is_valid(), filters.errors
    with CaptureQueriesContext(connection) as queries:
        served = stats_selectors.signalement_figures(
            queryset=filters.qs, filters=filters.form.cleaned_data
        )
    live = stats_selectors.signalement_stats(queryset=filters.qs)
    return served, live, [query["sql"] for query in queries.captured_queries]


def assert_kept_match(query: str = "") -> dict:
    served, live, sql = figures(query)
    assert any(StatsDelay._meta.db_table in statement for statement in sql)
    assert not any("percentile_cont" in statement for statement in sql)
    delays = ("hours_to_acknowledge", "hours_to_resolve")
    assert {k: v for k, v in served.items() if k not in delays} == {
        k: v for k, v in live.items() if k not in delays
    }
    for name in delays:
        for which in ("median", "p90"):
            if live[name][which] is None:
                assert served[name][which] is None
            else:
                assert served[name][which] == pytest.approx(live[name][which], rel=0.005, abs=0.01)
    return served


def _moment(moment) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def test_the_whole_territory_reads_the_kept_counts(spread):
    served = assert_kept_match()
    assert served["total"] == Signalement.objects.public().count() == 48
    assert served["hours_to_acknowledge"]["median"] is not None


@pytest.mark.parametrize(
    ("since_hours", "until_hours"),
    [(None, 5), (24 * 20 + 3, None), (24 * 50 + 7, 24 * 3 + 11), (50, 4), (24 * 70, 24 * 35)],
)
def test_a_period_adds_whole_months_whole_days_and_its_partial_days(
    spread, since_hours, until_hours
):
    parts = []
    if since_hours is not None:
        parts.append(f"since={_moment(spread - timedelta(hours=since_hours))}")
    if until_hours is not None:
        parts.append(f"until={_moment(spread - timedelta(hours=until_hours))}")
    served = assert_kept_match("&".join(parts))
    assert served["total"] > 0


def test_a_commune_reads_its_own_counts(spread):
    nimes = assert_kept_match("commune=30189")
    saint_gilles = assert_kept_match(f"commune=30258&since={_moment(spread - timedelta(days=30))}")
    assert nimes["total"] == 32
    assert 0 < saint_gilles["total"] < 16


def test_a_category_or_an_unknown_commune_is_computed_from_the_reports(spread):
    for query in ("category=chaussee-degradee", "commune=99999"):
        _served, _live, sql = figures(query)
        assert not any(StatsDelay._meta.db_table in statement for statement in sql)


def test_an_acknowledgement_a_resolution_and_a_deletion_count_at_once(spread, citizen):
    before = assert_kept_match()
    report = file_report(citizen)
    assert assert_kept_match()["total"] == before["total"] + 1
    Signalement.objects.filter(pk=report.pk).update(
        status=Status.RESOLVED,
        acknowledged_at=report.created_at + timedelta(minutes=3),
        resolved_at=report.created_at + timedelta(hours=2),
        resolve_due_at=report.created_at + timedelta(hours=1),
    )
    after = assert_kept_match()
    assert after["by_status"][Status.RESOLVED] == before["by_status"][Status.RESOLVED] + 1
    Signalement.objects.filter(pk=report.pk).update(is_public=False)
    assert assert_kept_match()["total"] == before["total"]
    Signalement.objects.filter(status=Status.CLOSED).delete()
    assert assert_kept_match()["by_status"][Status.CLOSED] == 0


def test_a_private_category_leaves_the_figures_and_comes_back(spread, citizen):
    file_report(citizen, slug="abribus-degrade")
    before = assert_kept_match()
    Category.objects.filter(slug="chaussee-degradee").update(is_public=False)
    assert assert_kept_match()["total"] == 1
    Category.objects.filter(slug="chaussee-degradee").update(is_public=True)
    assert assert_kept_match() == before


def test_rebuilding_gives_the_counts_the_triggers_kept(spread):
    def rows() -> tuple[set, set]:
        return (
            set(
                StatsPeriod.objects.exclude(n=0, timed=0, within=0).values_list(
                    "commune_id", "span", "start", "status", "n", "timed", "within"
                )
            ),
            set(
                StatsDelay.objects.exclude(n=0).values_list(
                    "commune_id", "span", "start", "kind", "bucket", "n"
                )
            ),
        )

    kept = rows()
    assert kept[0] and kept[1]
    call_command("stats_rebuild", verbosity=0)
    assert rows() == kept
    assert not StatsDelay.objects.filter(n__lt=0).exists()


def test_the_buckets_hold_their_delays_within_half_a_percent():
    with connection.cursor() as cursor:
        for seconds in (1, 1.7, 59, 3600, 3601.5, 86400 * 3 + 17, 86400 * 400, -7200):
            cursor.execute("SELECT signalements_delay_bucket(%s)", [seconds])
            value = stats_selectors.delay_of_bucket(cursor.fetchone()[0]).total_seconds()
            assert value == pytest.approx(seconds, rel=0.005)
        cursor.execute("SELECT signalements_delay_bucket(0.4)")
        assert stats_selectors.delay_of_bucket(cursor.fetchone()[0]).total_seconds() == 0


def test_the_endpoint_serves_the_kept_figures(api, spread):
    body = api.get("/api/v1/stats/signalements/", {"since": _moment(spread - timedelta(days=9))})
    assert body.status_code == 200
    _served, live, _sql = figures(f"since={_moment(spread - timedelta(days=9))}")
    assert body.json()["total"] == live["total"] > 0
