from __future__ import annotations

import pytest
from django.test import Client
from django.utils.html import escape

from signalements.models import RoutingRule, Signalement

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_for(org_admin) -> Client:
    client = Client()
    client.force_login(org_admin)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/signalements/category/",
        "/admin/signalements/category/add/",
        "/admin/signalements/routingrule/",
        "/admin/signalements/signalement/",
    ],
)
def test_the_back_office_screens_open(admin_client_for, url):
    assert admin_client_for.get(url).status_code == 200


def test_a_routing_rule_is_drawn_on_a_map(admin_client_for):
    rule = RoutingRule.objects.exclude(area=None).first()
    response = admin_client_for.get(f"/admin/signalements/routingrule/{rule.pk}/change/")
    assert response.status_code == 200
    assert b"ol.js" in response.content or b"OpenLayers" in response.content
    assert b"MapWidget" in response.content or b"mapwidget" in response.content.lower()


def test_a_report_shows_its_routing_to_staff(admin_client_for):
    report = Signalement.objects.first()
    response = admin_client_for.get(f"/admin/signalements/signalement/{report.pk}/change/")
    assert response.status_code == 200
    assert escape(report.routing_explanation).encode() in response.content
