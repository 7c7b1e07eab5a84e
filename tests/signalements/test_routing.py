from __future__ import annotations

import pytest
from django.contrib.gis.geos import MultiPolygon, Point
from django.test import override_settings

from backend.models import Direction
from geo.models import Commune
from signalements.models import Category, RoutingReason, RoutingRule
from signalements.services import signalement_route
from tests.signalements.factories import NIMES, category

pytestmark = pytest.mark.django_db


def _place(insee: str) -> tuple[Point, Commune]:
    commune = Commune.objects.get(insee_code=insee)
    return commune.geometry.point_on_surface, commune


def _nimes() -> tuple[Point, Commune]:
    return Point(NIMES[1], NIMES[0], srid=4326), Commune.objects.get(insee_code="30189")


def test_an_agglomeration_competence_goes_to_the_default_direction():
    point, commune = _place("30156")  # Marguerittes
    decision = signalement_route(category=category("fuite-d-eau"), point=point, commune=commune)
    assert decision.direction.slug == "nm-eau"
    assert decision.reason == RoutingReason.COMPETENCE_AGGLOMERATION
    assert decision.rule is None


def test_a_communal_competence_goes_to_the_services_of_the_commune():
    point, commune = _place("30156")
    decision = signalement_route(
        category=category("eclairage-public-en-panne"), point=point, commune=commune
    )
    assert decision.direction.slug == "services-techniques-marguerittes"
    assert decision.reason == RoutingReason.COMPETENCE_COMMUNE
    assert "Marguerittes" in decision.explanation


def test_a_commune_rule_wins_over_the_competence():
    point, commune = _nimes()
    decision = signalement_route(
        category=category("chaussee-degradee"), point=point, commune=commune
    )
    assert decision.direction.slug == "services-techniques-nimes"
    assert decision.reason == RoutingReason.RULE_COMMUNE
    assert decision.rule is not None


def test_an_area_rule_wins_over_a_commune_rule():
    point, commune = _nimes()
    roads = category("chaussee-degradee")
    area = MultiPolygon(point.buffer(0.001), srid=4326)
    rule = RoutingRule.objects.create(
        category=roads, area=area, direction=Direction.objects.get(slug="nm-transports")
    )
    decision = signalement_route(category=roads, point=point, commune=commune)
    assert decision.rule == rule
    assert decision.direction.slug == "nm-transports"
    assert decision.reason == RoutingReason.RULE_AREA


def test_among_area_rules_the_highest_priority_wins():
    point, commune = _nimes()
    roads = category("chaussee-degradee")
    area = MultiPolygon(point.buffer(0.001), srid=4326)
    RoutingRule.objects.create(
        category=roads, area=area, direction=Direction.objects.get(slug="nm-eau"), priority=1
    )
    RoutingRule.objects.create(
        category=roads, area=area, direction=Direction.objects.get(slug="nm-dechets"), priority=5
    )
    decision = signalement_route(category=roads, point=point, commune=commune)
    assert decision.direction.slug == "nm-dechets"


def test_an_area_elsewhere_does_not_apply():
    point, commune = _nimes()
    roads = category("chaussee-degradee")
    far = Point(4.2, 43.9, srid=4326).buffer(0.001)
    RoutingRule.objects.create(
        category=roads,
        area=MultiPolygon(far, srid=4326),
        direction=Direction.objects.get(slug="nm-eau"),
    )
    decision = signalement_route(category=roads, point=point, commune=commune)
    assert decision.reason == RoutingReason.RULE_COMMUNE


def test_rules_to_an_inactive_direction_are_skipped():
    point, commune = _nimes()
    Direction.objects.filter(slug="services-techniques-nimes").update(is_active=False)
    decision = signalement_route(
        category=category("chaussee-degradee"), point=point, commune=commune
    )
    assert decision.direction.slug == "nm-voirie"
    assert decision.reason == RoutingReason.COMPETENCE_AGGLOMERATION


def test_without_a_default_direction_the_report_goes_to_triage():
    point, commune = _place("30156")
    orphan = Category.objects.create(
        theme=category("fuite-d-eau").theme, name="Autre", slug="autre", default_direction=None
    )
    decision = signalement_route(category=orphan, point=point, commune=commune)
    assert decision.direction.slug == "nm-developpement-durable"
    assert decision.reason == RoutingReason.TRIAGE


def test_a_commune_without_an_active_direction_goes_to_triage():
    point, commune = _place("30156")
    Direction.objects.filter(organisation=commune.organisation).update(is_active=False)
    decision = signalement_route(
        category=category("espace-vert-mal-entretenu"), point=point, commune=commune
    )
    assert decision.reason == RoutingReason.TRIAGE
    assert decision.direction.slug == "nm-developpement-durable"


@override_settings(SIGNALEMENT_TRIAGE_DIRECTION="nm-voirie")
def test_the_triage_direction_is_a_setting():
    point, commune = _place("30156")
    orphan = Category.objects.create(
        theme=category("fuite-d-eau").theme, name="Autre", slug="autre", default_direction=None
    )
    decision = signalement_route(category=orphan, point=point, commune=commune)
    assert decision.direction.slug == "nm-voirie"


def test_the_explanation_is_written_in_french_for_staff_whatever_the_language():
    from django.utils import translation

    point, commune = _place("30156")
    with translation.override("en"):
        decision = signalement_route(category=category("fuite-d-eau"), point=point, commune=commune)
    assert decision.explanation.startswith("Compétence")
