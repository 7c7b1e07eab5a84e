"""Who sees a contribution at each step: the author, another resident, the public, a moderator."""

from __future__ import annotations

import pytest

from contributions.models import Contribution

pytestmark = pytest.mark.django_db


@pytest.fixture
def sees(client_for):
    """Whether the user finds the contribution in the list and on its own page."""

    def check(user, contribution_id: int, slug: str) -> tuple[bool, bool]:
        client = client_for(user)
        listed = client.get(f"/api/v1/consultations/{slug}/contributions/").json()["results"]
        detail = client.get(f"/api/v1/contributions/{contribution_id}/")
        return any(item["id"] == contribution_id for item in listed), detail.status_code == 200

    return check


def _decide(client_for, moderator, contribution_id: int, action: str, reason=None):
    data = {"action": action}
    if reason is not None:
        data["reason"] = reason.pk
    return client_for(moderator).post(
        f"/api/v1/moderation/contributions/{contribution_id}/decision/", data, format="json"
    )


def test_a_priori_a_contribution_waits_for_a_moderator(
    open_consultation, contribute, client_for, sees, citizen, other_citizen, moderator
):
    open_consultation("a-priori", moderation_mode="a_priori")
    created = contribute(citizen, "a-priori").json()
    assert created["state"] == "pending"
    pk = created["id"]
    assert sees(citizen, pk, "a-priori") == (True, True)
    assert sees(other_citizen, pk, "a-priori") == (False, False)
    assert sees(None, pk, "a-priori") == (False, False)
    assert sees(moderator, pk, "a-priori") == (True, True)
    queue = client_for(moderator).get("/api/v1/moderation/contributions/").json()["results"]
    assert pk in [item["id"] for item in queue]

    assert _decide(client_for, moderator, pk, "publish").status_code == 200
    for user in (citizen, other_citizen, None, moderator):
        assert sees(user, pk, "a-priori") == (True, True)
    queue = client_for(moderator).get("/api/v1/moderation/contributions/").json()["results"]
    assert pk not in [item["id"] for item in queue]


def test_a_priori_an_edit_goes_back_to_the_queue(
    open_consultation, contribute, client_for, sees, citizen, other_citizen, moderator
):
    open_consultation("a-priori", moderation_mode="a_priori")
    pk = contribute(citizen, "a-priori").json()["id"]
    _decide(client_for, moderator, pk, "publish")
    response = client_for(citizen).patch(
        f"/api/v1/contributions/{pk}/", {"body": "Texte modifié"}, format="json"
    )
    assert response.json()["state"] == "pending"
    assert sees(citizen, pk, "a-priori") == (True, True)
    assert sees(other_citizen, pk, "a-priori") == (False, False)
    queue = client_for(moderator).get("/api/v1/moderation/contributions/").json()["results"]
    assert pk in [item["id"] for item in queue]


def test_a_posteriori_a_contribution_is_published_at_once_and_can_be_hidden(
    open_consultation, contribute, client_for, sees, citizen, other_citizen, moderator, reason
):
    open_consultation("a-posteriori")
    pk = contribute(citizen, "a-posteriori").json()["id"]
    for user in (citizen, other_citizen, None, moderator):
        assert sees(user, pk, "a-posteriori") == (True, True)
    client_for(citizen).patch(f"/api/v1/contributions/{pk}/", {"body": "Édité"}, format="json")
    assert Contribution.objects.get(pk=pk).state == "published"

    assert _decide(client_for, moderator, pk, "hide", reason).status_code == 200
    assert sees(citizen, pk, "a-posteriori") == (True, True)
    assert sees(other_citizen, pk, "a-posteriori") == (False, False)
    assert sees(None, pk, "a-posteriori") == (False, False)
    assert sees(moderator, pk, "a-posteriori") == (True, True)

    assert _decide(client_for, moderator, pk, "restore").status_code == 200
    assert sees(other_citizen, pk, "a-posteriori") == (True, True)


def test_a_rejected_contribution_stays_with_its_author(
    open_consultation, contribute, client_for, sees, citizen, other_citizen, moderator, reason
):
    open_consultation("a-priori", moderation_mode="a_priori")
    pk = contribute(citizen, "a-priori").json()["id"]
    _decide(client_for, moderator, pk, "reject", reason)
    assert sees(citizen, pk, "a-priori") == (True, True)
    assert sees(other_citizen, pk, "a-priori") == (False, False)
    assert client_for(citizen).get(f"/api/v1/contributions/{pk}/").json()["state"] == "rejected"


def test_a_hidden_reply_is_left_out_of_the_thread(
    open_consultation, contribute, client_for, citizen, other_citizen, moderator, reason
):
    open_consultation("a-posteriori")
    idea = contribute(citizen, "a-posteriori").json()["id"]
    reply = contribute(other_citizen, "a-posteriori", "Hors sujet", kind="comment", parent=idea)
    _decide(client_for, moderator, reply.json()["id"], "hide", reason)
    replies = f"/api/v1/contributions/{idea}/replies/"
    assert client_for(None).get(replies).json()["results"] == []
    assert client_for(None).get(f"/api/v1/contributions/{idea}/").json()["reply_count"] == 0
    own = client_for(other_citizen).get(replies).json()["results"]
    assert [item["state"] for item in own] == ["hidden"]


def test_visible_to_is_a_queryset_method(
    open_consultation, contribute, citizen, other_citizen, moderator
):
    open_consultation("a-priori", moderation_mode="a_priori")
    pk = contribute(citizen, "a-priori").json()["id"]
    assert Contribution.objects.visible_to(citizen).filter(pk=pk).exists()
    assert Contribution.objects.visible_to(moderator).filter(pk=pk).exists()
    assert not Contribution.objects.visible_to(other_citizen).filter(pk=pk).exists()
    assert not Contribution.objects.visible_to(None).filter(pk=pk).exists()


def test_the_demo_citizen_sees_their_pending_contribution(client_for, citizen, other_citizen):
    pending = Contribution.objects.filter(author=citizen, state="pending").first()
    assert pending is not None
    assert client_for(citizen).get(f"/api/v1/contributions/{pending.pk}/").status_code == 200
    assert client_for(other_citizen).get(f"/api/v1/contributions/{pending.pk}/").status_code == 404
