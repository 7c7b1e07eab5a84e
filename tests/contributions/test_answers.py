"""Official answers of the owning direction; the author and the supporters are told once each."""

from __future__ import annotations

import pytest

from backend.models import Direction
from contributions.models import ContributionSupport
from contributions.services.contributions import contribution_create
from push.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def idea(open_consultation, citizen):
    consultation = open_consultation("eau", direction=Direction.objects.get(slug="nm-eau"))
    return contribution_create(
        consultation=consultation, author=citizen, kind="idea", body="Des fontaines à Nîmes."
    )


def _answer(client_for, user, contribution, **data):
    data = {"status": "under_study", "body": "Nous étudions trois emplacements.", **data}
    return client_for(user).post(
        f"/api/v1/contributions/{contribution.pk}/answer/", data, format="json"
    )


def _answers_to(user) -> int:
    return Notification.objects.filter(user=user, kind="contribution_answers").count()


def test_the_owning_direction_answers(client_for, idea, agent_eau, api):
    response = _answer(client_for, agent_eau, idea)
    assert response.status_code == 200, response.content
    answer = api.get(f"/api/v1/contributions/{idea.pk}/").json()["answer"]
    assert answer["status"] == "under_study"
    assert answer["direction"]["slug"] == "nm-eau"
    listed = api.get("/api/v1/consultations/eau/contributions/").json()["results"]
    assert listed[0]["answer"]["body"] == "Nous étudions trois emplacements."


def test_author_and_supporters_are_told_once_each(
    client_for, idea, agent_eau, citizen, other_citizen
):
    ContributionSupport.objects.create(contribution=idea, user=other_citizen)
    # The author supports their own idea too: still one notification.
    ContributionSupport.objects.create(contribution=idea, user=citizen)
    _answer(client_for, agent_eau, idea)
    assert _answers_to(citizen) == 1
    assert _answers_to(other_citizen) == 1
    assert _answers_to(agent_eau) == 0


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("agent_eau", 200),
        ("agent_voirie", 403),
        ("moderator", 403),
        ("citizen", 403),
        (None, 401),
    ],
)
def test_only_members_of_the_owning_direction_answer(client_for, request, idea, persona, expected):
    user = request.getfixturevalue(persona) if persona else None
    assert _answer(client_for, user, idea).status_code == expected


def test_an_answer_needs_a_known_status(client_for, idea, agent_eau):
    assert _answer(client_for, agent_eau, idea, status="peut-etre").status_code == 400


def test_an_answer_can_be_updated(client_for, idea, agent_eau, api):
    _answer(client_for, agent_eau, idea)
    _answer(client_for, agent_eau, idea, status="retained", body="Retenue !")
    answer = api.get(f"/api/v1/contributions/{idea.pk}/").json()["answer"]
    assert (answer["status"], answer["body"]) == ("retained", "Retenue !")


def test_comments_get_no_official_answer(client_for, idea, agent_eau, other_citizen):
    comment = contribution_create(
        consultation=idea.consultation,
        author=other_citizen,
        kind="comment",
        parent=idea,
        body="Oui !",
    )
    assert _answer(client_for, agent_eau, comment).status_code == 409
