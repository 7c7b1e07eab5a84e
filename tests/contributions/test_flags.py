"""Flags: once per person, never one's own, hidden at the threshold, moderators told once."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from backend.models import Organisation, OrganisationRole, User
from contributions.models import (
    CharterReason,
    Consultation,
    Contribution,
    ModerationDecision,
    ModerationSettings,
)
from contributions.services.contributions import contribution_create, contribution_flag
from push.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(open_consultation, citizen):
    consultation = open_consultation("a-posteriori")
    return contribution_create(
        consultation=consultation, author=citizen, kind="idea", body="Des bancs à l'ombre."
    )


@pytest.fixture
def flaggers(db):
    return [
        User.objects.create_user(f"voisin{index}@example.test", None, first_name=f"V{index}")
        for index in range(4)
    ]


def _flag(client_for, user, contribution, reason):
    return client_for(user).post(
        f"/api/v1/contributions/{contribution.pk}/flag/", {"reason": reason.pk}, format="json"
    )


def _moderation_alerts(moderator) -> int:
    return Notification.objects.filter(user=moderator, kind="moderation").count()


def test_the_threshold_hides_and_tells_the_moderators_once(
    client_for, published, flaggers, reason, moderator, org_admin
):
    for user in flaggers[:2]:
        assert _flag(client_for, user, published, reason).status_code == 201
    assert Contribution.objects.get(pk=published.pk).state == "published"
    assert _moderation_alerts(moderator) == 0
    assert _flag(client_for, flaggers[2], published, reason).status_code == 201
    hidden = Contribution.objects.get(pk=published.pk)
    assert hidden.state == "hidden"
    assert hidden.flagged_at is not None
    assert _moderation_alerts(moderator) == 1
    assert _moderation_alerts(org_admin) == 1
    assert client_for(None).get(f"/api/v1/contributions/{published.pk}/").status_code == 404
    queue = client_for(moderator).get("/api/v1/moderation/contributions/?state=flagged").json()
    mine = [item for item in queue["results"] if item["id"] == published.pk]
    assert mine[0]["flag_count"] == 3
    assert queue["results"][-1]["id"] == published.pk, "oldest first"
    # Hidden: no more flags to take.
    assert _flag(client_for, flaggers[3], published, reason).status_code == 404


def test_the_threshold_is_an_organisation_setting(client_for, published, flaggers, reason):
    ModerationSettings.objects.update_or_create(
        organisation=published.consultation.organisation, defaults={"flag_threshold": 1}
    )
    _flag(client_for, flaggers[0], published, reason)
    assert Contribution.objects.get(pk=published.pk).state == "hidden"


def test_one_cannot_flag_ones_own_contribution(client_for, published, citizen, reason):
    response = _flag(client_for, citizen, published, reason)
    assert response.status_code == 403
    assert "propre contribution" in response.json()["detail"]


def test_a_second_flag_by_the_same_person_is_refused(client_for, published, flaggers, reason):
    assert _flag(client_for, flaggers[0], published, reason).status_code == 201
    assert _flag(client_for, flaggers[0], published, reason).status_code == 409


def test_flagging_needs_an_account_and_a_reason_of_the_charter(
    client_for, published, flaggers, reason
):
    assert _flag(client_for, None, published, reason).status_code == 401
    gard = Organisation.objects.get(slug="departement-du-gard")
    foreign = CharterReason.objects.create(
        organisation=gard, code="autre", label="Autre", article="1"
    )
    assert _flag(client_for, flaggers[0], published, foreign).status_code == 400


def test_after_a_review_only_new_flags_count(client_for, published, flaggers, reason, moderator):
    for user in flaggers[:3]:
        _flag(client_for, user, published, reason)
    response = client_for(moderator).post(
        f"/api/v1/moderation/contributions/{published.pk}/decision/",
        {"action": "restore"},
        format="json",
    )
    assert response.status_code == 200
    assert Contribution.objects.get(pk=published.pk).flagged_at is None
    _flag(client_for, flaggers[3], published, reason)
    assert Contribution.objects.get(pk=published.pk).state == "published"


def test_a_moderator_confirms_a_flagged_contribution_by_hiding_it(
    client_for, published, flaggers, reason, moderator
):
    for user in flaggers[:3]:
        _flag(client_for, user, published, reason)
    response = client_for(moderator).post(
        f"/api/v1/moderation/contributions/{published.pk}/decision/",
        {"action": "hide", "reason": reason.pk},
        format="json",
    )
    assert response.status_code == 200
    queue = client_for(moderator).get("/api/v1/moderation/contributions/").json()["results"]
    assert published.pk not in [item["id"] for item in queue]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL; SQLite serialises"
)
def test_two_flags_crossing_the_threshold_at_once_hide_it_once(committed_db):
    citizen = User.objects.get(email="citoyen@demo.test")
    moderator = User.objects.get(email="moderation@demo.test")
    consultation = Consultation.objects.get(slug="plan-de-mobilite-2035")
    contribution = contribution_create(
        consultation=consultation, author=citizen, kind="idea", body="Course aux signalements"
    )
    reason = CharterReason.objects.get(organisation=consultation.organisation, code="spam")
    ModerationSettings.objects.update_or_create(
        organisation=consultation.organisation, defaults={"flag_threshold": 2}
    )
    users = [User.objects.create_user(f"course{index}@example.test", None) for index in range(2)]
    before = Notification.objects.filter(user=moderator, kind="moderation").count()
    barrier = threading.Barrier(len(users))
    errors: list[BaseException] = []

    def flag(user: User) -> None:
        try:
            barrier.wait(timeout=10)
            contribution_flag(contribution_id=contribution.pk, user=user, reason=reason)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=flag, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert Contribution.objects.get(pk=contribution.pk).state == "hidden"
    assert (
        ModerationDecision.objects.filter(contribution=contribution, action="auto_hide").count()
        == 1
    )
    after = Notification.objects.filter(user=moderator, kind="moderation").count()
    assert after - before == 1
    assert OrganisationRole.objects.filter(user=moderator).exists()
