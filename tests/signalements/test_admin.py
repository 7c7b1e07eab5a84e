from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.utils.html import escape

from backend.models import Membership
from push.models import Notification
from signalements.models import RoutingRule, Signalement, SignalementEvent, Status
from tests.helpers import admin_form_data
from tests.signalements.factories import SAINT_GILLES, file_report

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


# The workflow in the back-office --------------------------------------------------------------


@pytest.fixture
def road(citizen) -> Signalement:
    return file_report(citizen, at=SAINT_GILLES)


def _change_url(report: Signalement) -> str:
    return f"/admin/signalements/signalement/{report.pk}/change/"


def test_the_change_form_does_not_change_the_workflow_fields(admin_client_for, road, agent_eau):
    page = admin_client_for.get(_change_url(road))
    data = admin_form_data(page)
    other = Membership.objects.filter(user=agent_eau).first().direction
    data.update(
        status=Status.RESOLVED,
        direction=str(other.pk),
        resolved_at_0="01/01/2026",
        resolved_at_1="10:00:00",
        description="Un trou, vu par l'accueil.",
    )

    response = admin_client_for.post(_change_url(road), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    road.refresh_from_db()
    assert road.description == "Un trou, vu par l'accueil."
    assert road.status == Status.NEW
    assert road.direction_id != other.pk
    assert road.resolved_at is None
    assert list(road.events.values_list("status", flat=True)) == [Status.NEW]


def test_the_status_action_moves_the_report_through_the_workflow(
    admin_client_for, org_admin, road, citizen
):
    Notification.objects.all().delete()

    response = admin_client_for.post(
        "/admin/signalements/signalement/",
        {
            "action": "transition",
            ACTION_CHECKBOX_NAME: [road.pk],
            "apply": "1",
            "status": Status.ACKNOWLEDGED,
            "public_message": "Une équipe passe jeudi.",
        },
    )

    assert response.status_code == 302
    road.refresh_from_db()
    assert road.status == Status.ACKNOWLEDGED
    assert road.acknowledged_at is not None
    event = road.events.get(status=Status.ACKNOWLEDGED)
    assert (event.message, event.author, event.is_public) == (
        "Une équipe passe jeudi.",
        org_admin,
        True,
    )
    told = Notification.objects.get(user=citizen)
    assert told.title_fr == "Votre signalement a été pris en compte"
    assert told.body_fr == "Une équipe passe jeudi."


def test_the_status_action_first_asks_for_the_message(admin_client_for, road):
    response = admin_client_for.post(
        "/admin/signalements/signalement/",
        {"action": "transition", ACTION_CHECKBOX_NAME: [road.pk]},
    )

    assert response.status_code == 200
    assert b'name="public_message"' in response.content
    road.refresh_from_db()
    assert road.status == Status.NEW


def test_the_status_action_refuses_a_move_the_workflow_forbids(admin_client_for, road):
    response = admin_client_for.post(
        "/admin/signalements/signalement/",
        {
            "action": "transition",
            ACTION_CHECKBOX_NAME: [road.pk],
            "apply": "1",
            "status": Status.CLOSED,
        },
        follow=True,
    )

    assert response.status_code == 200
    assert "ne peut pas passer" in response.content.decode()
    road.refresh_from_db()
    assert road.status == Status.NEW
    assert road.events.count() == 1


def test_the_transfer_action_hands_the_report_over_with_its_history(
    admin_client_for, road, agent_eau
):
    other = Membership.objects.filter(user=agent_eau).first().direction

    response = admin_client_for.post(
        "/admin/signalements/signalement/",
        {
            "action": "transfer",
            ACTION_CHECKBOX_NAME: [road.pk],
            "apply": "1",
            "direction": other.pk,
            "reason": "Réseau d'eau.",
        },
    )

    assert response.status_code == 302
    road.refresh_from_db()
    assert road.direction_id == other.pk
    event = road.events.get(kind=SignalementEvent.Kind.TRANSFER)
    assert (event.internal_note, event.direction_id) == ("Réseau d'eau.", other.pk)


def test_timeline_events_cannot_be_added_edited_or_deleted(admin_client_for, road):
    page = admin_client_for.get(_change_url(road))
    data = admin_form_data(page)
    prefix = next(
        inline.formset.prefix
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is SignalementEvent
    )
    first = road.events.get()
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "2",
            f"{prefix}-0-id": str(first.pk),
            f"{prefix}-0-message": "Réécrit après coup",
            f"{prefix}-0-is_public": "",
            f"{prefix}-0-DELETE": "on",
            f"{prefix}-1-kind": SignalementEvent.Kind.STATUS,
            f"{prefix}-1-status": Status.RESOLVED,
            f"{prefix}-1-message": "Inventé",
            f"{prefix}-1-is_public": "on",
        }
    )

    admin_client_for.post(_change_url(road), data)

    assert list(road.events.values_list("pk", "message", "is_public")) == [
        (first.pk, first.message, True)
    ]
    inline = next(
        inline
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is SignalementEvent
    )
    assert not inline.has_add_permission
    assert not inline.has_change_permission
    assert not inline.has_delete_permission
