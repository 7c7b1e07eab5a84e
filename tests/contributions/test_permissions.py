"""Each staff action, for the owner, the organisation's staff, a stranger and the anonymous."""

from __future__ import annotations

import pytest

from contributions.models import Actor, ContactMessage
from contributions.services.actors import actor_register
from contributions.services.contact import contact_message_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def message(citizen):
    return contact_message_create(kind="idea", body="Des bancs !", author=citizen)


@pytest.fixture
def actor(citizen):
    return actor_register(
        owner=citizen, kind=Actor.Kind.CITIZEN, name="Moi", contact_email="moi@example.test"
    )


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("citizen", 403), ("moderator", 200), ("other_citizen", 403), (None, 401)],
)
def test_listing_contact_messages(client_for, request, message, persona, expected):
    user = request.getfixturevalue(persona) if persona else None
    assert client_for(user).get("/api/v1/contact-messages/").status_code == expected


@pytest.mark.parametrize("action", ["redirect", "reply", "close"])
@pytest.mark.parametrize(
    ("persona", "expected"),
    [("citizen", 403), ("moderator", 200), ("org_admin", 200), ("agent_eau", 404), (None, 401)],
)
def test_handling_a_contact_message(client_for, request, message, action, persona, expected):
    user = request.getfixturevalue(persona) if persona else None
    data = {"reply": {"body": "Merci"}, "redirect": {"direction": "nm-espaces-verts"}}
    response = client_for(user).post(
        f"/api/v1/contact-messages/{message.pk}/{action}/", data.get(action, {}), format="json"
    )
    assert response.status_code == expected
    changed = ContactMessage.objects.get(pk=message.pk).status != "new"
    assert changed is (expected == 200)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("citizen", 403), ("moderator", 403), ("org_admin", 200), (None, 401)],
)
def test_validating_an_actor(client_for, request, actor, persona, expected):
    user = request.getfixturevalue(persona) if persona else None
    response = client_for(user).post(f"/api/v1/actors/{actor.pk}/validate/")
    assert response.status_code == expected
    assert (Actor.objects.get(pk=actor.pk).validated_at is not None) is (expected == 200)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("manager_voirie", 403),  # staff of the organisation, not of the owning direction
        ("org_admin", 200),
        ("citizen", 404),  # a draft does not exist for residents
        (None, 401),
    ],
)
def test_publishing_a_draft(client_for, request, make_consultation, persona, expected):
    consultation = make_consultation("brouillon")
    user = request.getfixturevalue(persona) if persona else None
    response = client_for(user).post(f"/api/v1/consultations/{consultation.slug}/publish/")
    assert response.status_code == expected
    consultation.refresh_from_db()
    assert consultation.is_published is (expected == 200)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("moderator", 200), ("agent_voirie", 200), ("citizen", 404), (None, 404)],
)
def test_previewing_a_draft(client_for, request, make_consultation, persona, expected):
    make_consultation("brouillon")
    user = request.getfixturevalue(persona) if persona else None
    assert client_for(user).get("/api/v1/consultations/brouillon/").status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected"), [("citizen", 200), ("other_citizen", 404), (None, 401)]
)
def test_changing_an_actor(client_for, request, actor, persona, expected):
    user = request.getfixturevalue(persona) if persona else None
    response = client_for(user).patch(
        f"/api/v1/actors/{actor.pk}/", {"name": "Nouveau nom"}, format="json"
    )
    assert response.status_code == expected


@pytest.mark.parametrize(("persona", "expected"), [("citizen", 200), (None, 401)])
def test_following_an_organisation(client_for, request, persona, expected):
    user = request.getfixturevalue(persona) if persona else None
    response = client_for(user).post("/api/v1/organisations/nimes-metropole/follow/")
    assert response.status_code == expected
