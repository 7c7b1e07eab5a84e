from __future__ import annotations

import pytest
from django.db.models import Count

from signalements import demo
from signalements.models import Category, Follow, RoutingRule, Signalement, SignalementEvent

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return (
        Category.objects.count(),
        RoutingRule.objects.count(),
        Signalement.objects.count(),
        SignalementEvent.objects.count(),
        Follow.objects.count(),
    )


def test_loading_the_demo_again_changes_nothing():
    before = _counts()
    demo.load()
    assert _counts() == before


def test_the_demo_has_a_few_hundred_reports_denser_in_nimes():
    reports = Signalement.objects.filter(source=Signalement.Source.DEMO)
    assert reports.count() == demo.REPORT_COUNT
    by_commune = dict(reports.values_list("commune__insee_code").annotate(n=Count("id")))
    assert by_commune["30189"] > reports.count() / 2
    assert len(by_commune) > 15
    statuses = set(reports.values_list("status", flat=True))
    assert {"nouveau", "en_cours", "resolu", "rejete"} <= statuses
    assert reports.filter(reporter__email="citoyen@demo.test").exists()


def test_every_demo_report_starts_its_timeline_with_nouveau():
    report = Signalement.objects.filter(source=Signalement.Source.DEMO, status="resolu").first()
    statuses = list(report.events.order_by("created_at", "id").values_list("status", flat=True))
    assert statuses[0] == "nouveau"
    assert statuses[-1] == "resolu"


def test_the_demo_reports_are_drawn_the_same_way_each_time():
    first = list(
        Signalement.objects.filter(source=Signalement.Source.DEMO)
        .order_by("id")
        .values_list("category__slug", "commune__insee_code", "status")
    )
    Signalement.objects.filter(source=Signalement.Source.DEMO).delete()
    demo.load()
    again = list(
        Signalement.objects.filter(source=Signalement.Source.DEMO)
        .order_by("id")
        .values_list("category__slug", "commune__insee_code", "status")
    )
    assert again == first
