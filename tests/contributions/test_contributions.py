"""Writing, reading and editing contributions; support."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from contributions.models import Contribution, Theme
from tests.contributions.conftest import NIMES, PARIS

pytestmark = pytest.mark.django_db


def test_a_resident_contributes_an_idea(open_consultation, contribute, citizen, api):
    open_consultation("ouverte")
    response = contribute(citizen, "ouverte")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "published"
    assert body["author_name"] == "Camille M."
    assert "citoyen@demo.test" not in response.content.decode()
    listed = api.get("/api/v1/consultations/ouverte/contributions/").json()["results"]
    assert [item["id"] for item in listed] == [body["id"]]
    assert "citoyen@demo.test" not in str(listed)


def test_an_account_is_needed_to_contribute(open_consultation, contribute):
    open_consultation("ouverte")
    assert contribute(None, "ouverte").status_code == 401


@pytest.mark.parametrize(
    ("opens", "closes", "word"), [(1, 10, "pas encore ouverte"), (-10, -1, "est close")]
)
def test_it_refuses_contributions_outside_the_opening(
    open_consultation, contribute, citizen, opens, closes, word
):
    now = timezone.now()
    open_consultation(
        "hors-delai", opens_at=now + timedelta(days=opens), closes_at=now + timedelta(days=closes)
    )
    response = contribute(citizen, "hors-delai")
    assert response.status_code == 409
    assert word in response.json()["detail"]


def test_it_refuses_editing_once_closed(open_consultation, contribute, client_for, citizen):
    consultation = open_consultation("ouverte")
    created = contribute(citizen, "ouverte").json()
    consultation.closes_at = timezone.now() - timedelta(minutes=1)
    consultation.save()
    response = client_for(citizen).patch(
        f"/api/v1/contributions/{created['id']}/", {"body": "Changé"}, format="json"
    )
    assert response.status_code == 409


def test_kinds_follow_the_settings_of_the_consultation(open_consultation, contribute, citizen):
    open_consultation("sans-questions", questions_allowed=False, comments_allowed=False)
    assert contribute(citizen, "sans-questions", kind="question").status_code == 400
    idea = contribute(citizen, "sans-questions").json()
    response = contribute(citizen, "sans-questions", kind="comment", parent=idea["id"])
    assert response.status_code == 400
    assert "kind" in response.json()["fields"]
    open_consultation("fermee-aux-idees", contributions_allowed=False)
    assert contribute(citizen, "fermee-aux-idees").status_code == 400


def test_comments_go_two_levels_deep_at_most(
    open_consultation, contribute, citizen, other_citizen, api
):
    open_consultation("ouverte")
    idea = contribute(citizen, "ouverte").json()
    first = contribute(other_citizen, "ouverte", "D'accord", kind="comment", parent=idea["id"])
    assert first.status_code == 201
    second = contribute(citizen, "ouverte", "Merci", kind="comment", parent=first.json()["id"])
    assert second.status_code == 201
    third = contribute(other_citizen, "ouverte", "!", kind="comment", parent=second.json()["id"])
    assert third.status_code == 400
    replies = api.get(f"/api/v1/contributions/{idea['id']}/replies/").json()["results"]
    assert [reply["body"] for reply in replies] == ["D'accord"]
    deeper = api.get(f"/api/v1/contributions/{first.json()['id']}/replies/").json()["results"]
    assert [reply["body"] for reply in deeper] == ["Merci"]
    assert api.get(f"/api/v1/contributions/{idea['id']}/").json()["reply_count"] == 1


def test_a_comment_needs_a_parent_and_an_idea_none(open_consultation, contribute, citizen):
    open_consultation("ouverte")
    assert contribute(citizen, "ouverte", kind="comment").status_code == 400
    idea = contribute(citizen, "ouverte").json()
    assert contribute(citizen, "ouverte", parent=idea["id"]).status_code == 400


def test_the_text_is_limited_to_5000_characters(open_consultation, contribute, citizen):
    open_consultation("ouverte")
    assert contribute(citizen, "ouverte", "a" * 5001).status_code == 400
    assert contribute(citizen, "ouverte", "a" * 5000).status_code == 201
    assert contribute(citizen, "ouverte", "   ").status_code == 400


def test_a_point_must_lie_within_the_scope(open_consultation, contribute, citizen):
    open_consultation("ouverte")
    outside = contribute(citizen, "ouverte", location=PARIS)
    assert outside.status_code == 400
    assert "location" in outside.json()["fields"]
    inside = contribute(citizen, "ouverte", location=NIMES)
    assert inside.status_code == 201
    assert inside.json()["commune"] == "30189"


def test_a_theme_must_be_one_of_the_consultation(open_consultation, contribute, citizen):
    open_consultation("ouverte", themes=["transports"])
    assert contribute(citizen, "ouverte", theme="dechets").status_code == 400
    assert contribute(citizen, "ouverte", theme="transports").json()["theme"] == "transports"


def test_the_author_edits_and_nobody_else(
    open_consultation, contribute, client_for, citizen, other_citizen
):
    open_consultation("ouverte")
    created = contribute(citizen, "ouverte").json()
    url = f"/api/v1/contributions/{created['id']}/"
    assert client_for(None).patch(url, {"body": "x"}, format="json").status_code == 401
    assert client_for(other_citizen).patch(url, {"body": "x"}, format="json").status_code == 403
    response = client_for(citizen).patch(url, {"body": "Plus d'ombre."}, format="json")
    assert response.status_code == 200
    assert response.json()["body"] == "Plus d'ombre."
    assert response.json()["edited_at"] is not None


def test_supporting_once_per_person(
    open_consultation, contribute, client_for, citizen, other_citizen
):
    open_consultation("ouverte")
    created = contribute(citizen, "ouverte").json()
    url = f"/api/v1/contributions/{created['id']}/support/"
    assert client_for(None).post(url).status_code == 401
    assert client_for(other_citizen).post(url).json() == {"supported": True, "support_count": 1}
    assert client_for(other_citizen).post(url).json()["support_count"] == 1
    detail = client_for(other_citizen).get(f"/api/v1/contributions/{created['id']}/").json()
    assert detail["support_count"] == 1
    assert detail["supported"] is True
    assert (
        client_for(None).get(f"/api/v1/contributions/{created['id']}/").json()["support_count"] == 1
    )
    assert client_for(other_citizen).delete(url).json() == {"supported": False, "support_count": 0}


def test_a_pending_contribution_cannot_be_supported(
    open_consultation, contribute, client_for, citizen
):
    open_consultation("a-priori", moderation_mode="a_priori")
    created = contribute(citizen, "a-priori").json()
    response = client_for(citizen).post(f"/api/v1/contributions/{created['id']}/support/")
    assert response.status_code == 409


def test_my_contributions_show_their_moderation_state(
    open_consultation, contribute, client_for, citizen, moderator, reason
):
    open_consultation("a-priori", moderation_mode="a_priori")
    created = contribute(citizen, "a-priori").json()
    client_for(moderator).post(
        f"/api/v1/moderation/contributions/{created['id']}/decision/",
        {"action": "reject", "reason": reason.pk, "message": "Merci de rester sur le sujet."},
        format="json",
    )
    mine = client_for(citizen).get("/api/v1/me/contributions/").json()["results"]
    item = next(item for item in mine if item["id"] == created["id"])
    assert item["state"] == "rejected"
    assert item["moderation_reason"]["article"] == reason.article
    assert item["moderation_message"] == "Merci de rester sur le sujet."
    assert client_for(None).get("/api/v1/me/contributions/").status_code == 401


def test_the_charter_is_public(api):
    response = api.get("/api/v1/organisations/nimes-metropole/charter/")
    assert response.status_code == 200
    assert "hors-sujet" in [reason["code"] for reason in response.json()]


def test_theme_exists_in_the_demo():
    assert Theme.objects.filter(slug="transports").exists()
    assert Contribution.objects.filter(state="pending").exists()
