"""Each role on each moderation endpoint."""

from __future__ import annotations

import pytest

from backend.models import OrganisationRole, User
from contributions.models import Consultation, Contribution
from contributions.services.contributions import contribution_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(open_consultation, citizen):
    consultation = open_consultation("a-priori", moderation_mode="a_priori")
    return contribution_create(
        consultation=consultation, author=citizen, kind="idea", body="À valider"
    )


@pytest.fixture
def foreign_moderator(db):
    """A moderator of Caveirac, a commune: not of the agglomeration."""
    user = User.objects.create_user("moderation@caveirac.example.test", None)
    caveirac = Consultation.objects.get(slug="revision-plu-caveirac").organisation
    OrganisationRole.objects.create(
        user=user, organisation=caveirac, role=OrganisationRole.Role.MODERATOR
    )
    return user


PERSONAS = [
    ("moderator", 200),
    ("org_admin", 200),
    ("citizen", 403),
    ("agent_voirie", 403),
    ("manager_voirie", 403),
    (None, 401),
]


@pytest.mark.parametrize(("persona", "expected"), PERSONAS)
def test_reading_the_queue(client_for, request, pending, persona, expected):
    user = request.getfixturevalue(persona) if persona else None
    assert client_for(user).get("/api/v1/moderation/contributions/").status_code == expected


@pytest.mark.parametrize(("persona", "expected"), [*PERSONAS, ("foreign_moderator", 404)])
def test_deciding(client_for, request, pending, persona, expected):
    user = request.getfixturevalue(persona) if persona else None
    response = client_for(user).post(
        f"/api/v1/moderation/contributions/{pending.pk}/decision/",
        {"action": "publish"},
        format="json",
    )
    assert response.status_code == expected
    published = Contribution.objects.get(pk=pending.pk).state == "published"
    assert published is (expected == 200)


def test_a_foreign_moderator_sees_none_of_the_queue(client_for, pending, foreign_moderator):
    queue = client_for(foreign_moderator).get("/api/v1/moderation/contributions/").json()
    assert pending.pk not in [item["id"] for item in queue["results"]]


def test_reject_and_hide_cite_the_charter(client_for, pending, moderator):
    response = client_for(moderator).post(
        f"/api/v1/moderation/contributions/{pending.pk}/decision/",
        {"action": "reject"},
        format="json",
    )
    assert response.status_code == 400
    assert "reason" in response.json()["fields"]


def test_a_decision_must_fit_the_state(client_for, pending, moderator):
    response = client_for(moderator).post(
        f"/api/v1/moderation/contributions/{pending.pk}/decision/",
        {"action": "restore"},
        format="json",
    )
    assert response.status_code == 409


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("moderator", 200), ("manager_voirie", 200), ("citizen", 403), (None, 401)],
)
def test_the_staff_list_of_restitutions(client_for, request, persona, expected):
    user = request.getfixturevalue(persona) if persona else None
    assert client_for(user).get("/api/v1/staff/restitutions/").status_code == expected
