"""A validated actor who changes who it is goes back to validation."""

from __future__ import annotations

import pytest
from django.core import mail

from contributions.models import Actor
from contributions.services.actors import actor_register, actor_update, actor_validate
from contributions.services.consultations import consultation_publish
from geo.models import Commune
from push import outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor(citizen, org_admin) -> Actor:
    """The owner's actor, validated by an organisation admin."""
    actor = actor_register(
        owner=citizen,
        kind=Actor.Kind.ASSOCIATION,
        name="Nîmes à vélo",
        contact_email="bureau@velo.example.org",
        website="https://velo.example.org",
        description="Pour des pistes cyclables continues.",
        communes=list(Commune.objects.filter(insee_code="30189")),
        email_consent=True,
    )
    return actor_validate(actor=actor, by=org_admin)


def url(actor: Actor) -> str:
    return f"/api/v1/actors/{actor.pk}/"


def listed(client) -> dict[int, str]:
    results = client.get("/api/v1/actors/", {"page_size": 200}).json()["results"]
    return {item["id"]: item["name"] for item in results}


@pytest.mark.parametrize(
    "change",
    [
        {"name": "Nîmes en voiture"},
        {"website": "https://autre.example.org"},
        {"contact_email": "autre@example.org"},
        {"kind": "entreprise"},
        {"description": "Tout autre chose."},
    ],
)
def test_a_material_change_sends_the_actor_back_to_validation(
    client_for, api, citizen, actor, change
):
    response = client_for(citizen).patch(url(actor), change, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["is_validated"] is False
    actor.refresh_from_db()
    assert (actor.validated_at, actor.validated_by) == (None, None)
    assert actor.pk not in listed(api)


def test_the_admin_validates_the_new_version_and_it_is_listed_again(
    client_for, api, citizen, org_admin, actor
):
    client_for(citizen).patch(url(actor), {"name": "Nîmes en selle"}, format="json")
    response = client_for(org_admin).post(f"{url(actor)}validate/")
    assert response.status_code == 200
    assert listed(api)[actor.pk] == "Nîmes en selle"


def test_a_new_address_gets_no_consultation_email_before_validation(actor, make_consultation):
    actor_update(actor=actor, contact_email="inconnu@example.org")
    assert consultation_publish(consultation=make_consultation()) is True
    while outbox.deliver_due():
        pass
    assert not [message for message in mail.outbox if "inconnu@example.org" in message.to]


@pytest.mark.parametrize(
    "change",
    [
        {"is_public": False},
        {"email_consent": False},
        {"communes": ["30258"]},
        {"themes": ["transports"]},
        {"name": "Nîmes à vélo", "website": "https://velo.example.org"},
    ],
)
def test_preferences_and_unchanged_values_keep_the_validation(client_for, citizen, actor, change):
    response = client_for(citizen).patch(url(actor), change, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["is_validated"] is True


def test_a_stranger_cannot_change_the_actor(client_for, other_citizen, actor):
    response = client_for(other_citizen).patch(url(actor), {"name": "Piraté"}, format="json")
    assert response.status_code in (403, 404)
    actor.refresh_from_db()
    assert (actor.name, actor.validated_at is not None) == ("Nîmes à vélo", True)
