"""Every decision is logged (who, when, what, why); admins read the log; nobody changes it."""

from __future__ import annotations

import pytest
from django.contrib import admin

from backend.models import Organisation, OrganisationRole, User
from contributions.models import ModerationDecision
from contributions.services.contributions import contribution_create
from push.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(open_consultation, citizen):
    consultation = open_consultation("a-priori", moderation_mode="a_priori")
    return contribution_create(
        consultation=consultation, author=citizen, kind="idea", body="Publicité déguisée"
    )


def _decide(client_for, user, contribution, **data):
    return client_for(user).post(
        f"/api/v1/moderation/contributions/{contribution.pk}/decision/", data, format="json"
    )


def test_each_decision_is_logged(client_for, pending, moderator, reason):
    _decide(client_for, moderator, pending, action="reject", reason=reason.pk, message="Désolé")
    decision = ModerationDecision.objects.get(contribution=pending)
    assert decision.moderator == moderator
    assert (decision.action, decision.from_state, decision.to_state) == (
        "reject",
        "pending",
        "rejected",
    )
    assert decision.reason == reason
    assert decision.message == "Désolé"
    assert decision.created_at is not None


def test_the_author_is_told_the_reason_and_the_message(
    client_for, pending, moderator, citizen, reason
):
    _decide(client_for, moderator, pending, action="reject", reason=reason.pk, message="Désolé")
    notification = Notification.objects.get(user=citizen, kind="moderation")
    assert reason.article in notification.body_fr
    assert "Désolé" in notification.body_fr


def test_organisation_admins_read_the_log(client_for, pending, moderator, org_admin, reason):
    _decide(client_for, moderator, pending, action="reject", reason=reason.pk)
    entries = client_for(org_admin).get("/api/v1/moderation/log/").json()["results"]
    entry = next(entry for entry in entries if entry["contribution"] == pending.pk)
    assert entry["moderator"] == moderator.email
    assert entry["action"] == "reject"
    assert entry["reason"]["code"] == reason.code


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("org_admin", 200),
        ("moderator", 200),
        ("citizen", 403),
        ("manager_voirie", 403),
        (None, 401),
    ],
)
def test_who_reads_the_log(client_for, request, persona, expected):
    user = request.getfixturevalue(persona) if persona else None
    assert client_for(user).get("/api/v1/moderation/log/").status_code == expected


def test_admins_of_another_organisation_do_not_read_it(client_for, pending, moderator, reason):
    _decide(client_for, moderator, pending, action="reject", reason=reason.pk)
    stranger = User.objects.create_user("admin@gard.example.test", None)
    OrganisationRole.objects.create(
        user=stranger,
        organisation=Organisation.objects.get(slug="departement-du-gard"),
        role=OrganisationRole.Role.ADMIN,
    )
    assert client_for(stranger).get("/api/v1/moderation/log/").json()["results"] == []


def test_moderators_of_another_organisation_do_not_read_it(client_for, pending, moderator, reason):
    _decide(client_for, moderator, pending, action="reject", reason=reason.pk)
    assert client_for(moderator).get("/api/v1/moderation/log/").json()["results"]
    stranger = User.objects.create_user("moderation@gard.example.test", None)
    OrganisationRole.objects.create(
        user=stranger,
        organisation=Organisation.objects.get(slug="departement-du-gard"),
        role=OrganisationRole.Role.MODERATOR,
    )
    assert client_for(stranger).get("/api/v1/moderation/log/").json()["results"] == []


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_there_is_no_api_to_change_it(client_for, org_admin, method):
    response = getattr(client_for(org_admin), method)("/api/v1/moderation/log/", {}, format="json")
    assert response.status_code == 405


def test_the_back_office_cannot_change_it(rf, org_admin):
    model_admin = admin.site._registry[ModerationDecision]
    request = rf.get("/")
    request.user = User.objects.create_superuser("root@example.test", None)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
