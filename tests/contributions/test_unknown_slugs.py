"""A slug naming nothing in a filter is a 400 naming the parameter, never an empty list."""

from __future__ import annotations

import pytest

from contributions.services.contact import contact_message_create
from contributions.services.contributions import contribution_create

pytestmark = pytest.mark.django_db

QUEUE = "/api/v1/moderation/contributions/"
LOG = "/api/v1/moderation/log/"
CONTACT = "/api/v1/contact-messages/"
CONSULTATIONS = "/api/v1/consultations/"

MESSAGES = {
    "consultation": (
        "Consultation inconnue : donnez son slug.",
        "Unknown consultation: give its slug.",
    ),
    "organisation": (
        "Organisation inconnue : donnez son slug.",
        "Unknown organisation: give its slug.",
    ),
    "theme": ("Thème inconnu : donnez son slug.", "Unknown theme: give its slug."),
}


@pytest.fixture
def world(open_consultation, citizen, moderator):
    """Two consultations of the agglomeration, each with a pending contribution, a decision
    and a contact message."""
    made = {}
    for slug in ("premiere", "seconde"):
        consultation = open_consultation(slug, moderation_mode="a_priori")
        pending = contribution_create(
            consultation=consultation, author=citizen, kind="idea", body=f"Idée {slug}"
        )
        decided = contribution_create(
            consultation=consultation, author=citizen, kind="idea", body=f"Publiée {slug}"
        )
        message = contact_message_create(
            kind="question", body=f"Question {slug}", author=citizen, consultation=consultation
        )
        made[slug] = {"pending": pending.pk, "decided": decided.pk, "message": message.pk}
    return made


def _decide_all(client_for, moderator, world):
    for ids in world.values():
        response = client_for(moderator).post(
            f"{QUEUE}{ids['decided']}/decision/", {"action": "publish"}, format="json"
        )
        assert response.status_code == 200, response.content


def _ids(response, key: str = "id") -> set:
    assert response.status_code == 200, response.content
    return {row[key] for row in response.json()["results"]}


ENDPOINTS = [
    ("moderator", QUEUE, "consultation"),
    ("moderator", QUEUE, "organisation"),
    ("org_admin", LOG, "consultation"),
    ("org_admin", LOG, "organisation"),
    ("moderator", CONTACT, "consultation"),
    ("moderator", CONTACT, "organisation"),
    (None, CONSULTATIONS, "organisation"),
    (None, CONSULTATIONS, "theme"),
]


@pytest.mark.parametrize(("persona", "path", "field"), ENDPOINTS)
@pytest.mark.parametrize("value", ["nulle-part", "12"])
def test_an_unknown_slug_is_a_400_naming_the_field_in_both_languages(
    client_for, request, world, persona, path, field, value
):
    client = client_for(request.getfixturevalue(persona) if persona else None)
    french, english = MESSAGES[field]
    for language, message in (("fr", french), ("en", english)):
        response = client.get(path, {field: value}, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 400, (path, field, response.content[:300])
        body = response.json()
        assert body["code"] == "invalid"
        assert body["fields"] == {field: [message]}


def test_the_queue_keeps_the_consultation_named(client_for, moderator, world):
    found = _ids(client_for(moderator).get(QUEUE, {"consultation": "premiere"}))
    assert world["premiere"]["pending"] in found
    assert world["seconde"]["pending"] not in found


def test_the_queue_keeps_the_organisation_named(client_for, moderator, world):
    client = client_for(moderator)
    pending = {ids["pending"] for ids in world.values()}
    assert pending <= _ids(client.get(QUEUE, {"organisation": "nimes-metropole"}))
    # Known, but moderated by others: a filter narrows the queue, it never widens it.
    assert _ids(client.get(QUEUE, {"organisation": "departement-du-gard"})) == set()


def test_the_log_keeps_the_consultation_named(client_for, moderator, org_admin, world):
    _decide_all(client_for, moderator, world)
    client = client_for(org_admin)
    found = _ids(client.get(LOG, {"consultation": "premiere"}), "contribution")
    assert found == {world["premiere"]["decided"]}
    found = _ids(client.get(LOG, {"organisation": "nimes-metropole"}), "contribution")
    assert {ids["decided"] for ids in world.values()} <= found
    assert _ids(client.get(LOG, {"organisation": "departement-du-gard"})) == set()


def test_contact_messages_keep_the_consultation_named(client_for, moderator, world):
    client = client_for(moderator)
    found = _ids(client.get(CONTACT, {"consultation": "seconde"}))
    assert world["seconde"]["message"] in found
    assert world["premiere"]["message"] not in found
    found = _ids(client.get(CONTACT, {"organisation": "nimes-metropole"}))
    assert {ids["message"] for ids in world.values()} <= found


def test_the_consultations_keep_the_organisation_and_theme_named(api, open_consultation):
    open_consultation("eau-et-velo", themes=["eau"])
    by_theme = {row["slug"] for row in api.get(CONSULTATIONS, {"theme": "eau"}).json()["results"]}
    assert "eau-et-velo" in by_theme
    assert "plan-de-mobilite-2035" not in by_theme
    by_organisation = {
        row["slug"]
        for row in api.get(CONSULTATIONS, {"organisation": "nimes-metropole"}).json()["results"]
    }
    assert "eau-et-velo" in by_organisation
    assert "revision-plu-caveirac" not in by_organisation
