"""Taking part (contributing, supporting, registering) only while a consultation is open.

Whoever took part may read a restitution kept for participants: supporting an idea
of a closed consultation must not open that door.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.errors import Conflict
from contributions.models import (
    Consultation,
    Contribution,
    ContributionSupport,
    Meeting,
    MeetingRegistration,
)
from contributions.selectors.restitution import participant_ids
from contributions.services.contributions import contribution_create, contribution_support
from tests.contributions.conftest import NIMES

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(open_consultation) -> Consultation:
    return open_consultation("avenue")


@pytest.fixture
def idea(consultation, citizen) -> Contribution:
    """The owner's idea, written while the consultation was open."""
    return contribution_create(
        consultation=consultation, author=citizen, kind="idea", body="Plus d'arbres."
    )


@pytest.fixture
def meeting(consultation) -> Meeting:
    start = timezone.now() + timedelta(days=40)
    return Meeting.objects.create(
        consultation=consultation,
        title="Réunion publique",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        registration=Meeting.Registration.PLATFORM,
    )


def _close(consultation: Consultation) -> None:
    consultation.closes_at = timezone.now() - timedelta(days=1)
    consultation.opens_at = consultation.closes_at - timedelta(days=30)
    consultation.save()


def _not_open_yet(consultation: Consultation) -> None:
    consultation.opens_at = timezone.now() + timedelta(days=2)
    consultation.closes_at = consultation.opens_at + timedelta(days=30)
    consultation.save()


def _restitution_for_participants(client_for, org_admin, consultation: Consultation) -> None:
    url = f"/api/v1/consultations/{consultation.slug}/restitution/"
    written = client_for(org_admin).put(
        url, {"body": "<p>Synthèse</p>", "visibility": "participants"}, format="json"
    )
    assert written.status_code == 200, written.content
    assert client_for(org_admin).post(f"{url}publish/").status_code == 200


def _read_restitution(client_for, user, consultation: Consultation) -> int:
    return (
        client_for(user).get(f"/api/v1/consultations/{consultation.slug}/restitution/").status_code
    )


def _support(client_for, user, contribution: Contribution, **headers):
    return client_for(user).post(f"/api/v1/contributions/{contribution.pk}/support/", **headers)


def test_supporting_an_idea_of_a_closed_consultation_is_refused_and_opens_no_restitution(
    client_for, consultation, idea, citizen, other_citizen, manager_voirie, org_admin
):
    _close(consultation)
    _restitution_for_participants(client_for, org_admin, consultation)

    response = _support(client_for, other_citizen, idea)

    assert response.status_code == 409
    assert "est close" in response.json()["detail"]
    assert not ContributionSupport.objects.filter(contribution=idea, user=other_citizen).exists()
    assert other_citizen.pk not in participant_ids(consultation)
    assert _read_restitution(client_for, other_citizen, consultation) == 403
    # The owner took part while it was open; the owning direction wrote it.
    assert _read_restitution(client_for, citizen, consultation) == 200
    assert _read_restitution(client_for, manager_voirie, consultation) == 200


def test_the_refusal_is_in_english_on_request(client_for, consultation, idea, other_citizen):
    _close(consultation)
    response = _support(client_for, other_citizen, idea, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "This consultation is closed: contributions, supports and meeting registrations "
        "are no longer possible."
    )


def test_supporting_while_open_makes_a_participant(client_for, consultation, idea, other_citizen):
    response = _support(client_for, other_citizen, idea)
    assert response.status_code == 200, response.content
    assert response.json() == {"supported": True, "support_count": 1}
    assert other_citizen.pk in participant_ids(consultation)


def test_the_supports_of_a_closed_consultation_are_its_record(
    client_for, consultation, idea, other_citizen
):
    assert _support(client_for, other_citizen, idea).status_code == 200
    _close(consultation)
    response = client_for(other_citizen).delete(f"/api/v1/contributions/{idea.pk}/support/")
    assert response.status_code == 409
    assert ContributionSupport.objects.filter(contribution=idea, user=other_citizen).exists()


def test_supporting_before_the_opening_is_refused(client_for, consultation, idea, other_citizen):
    _not_open_yet(consultation)
    response = _support(client_for, other_citizen, idea)
    assert response.status_code == 409
    assert "pas encore ouverte" in response.json()["detail"]


def test_supporting_in_an_unpublished_consultation_is_refused_even_to_its_staff(
    consultation, idea, manager_voirie
):
    Consultation.objects.filter(pk=consultation.pk).update(is_published=False)
    idea.refresh_from_db()
    with pytest.raises(Conflict, match="sur cette plateforme"):
        contribution_support(contribution=idea, user=manager_voirie)


def test_commenting_a_closed_consultation_is_refused(
    client_for, contribute, consultation, idea, other_citizen
):
    _close(consultation)
    response = contribute(other_citizen, consultation.slug, kind="comment", parent=idea.pk)
    assert response.status_code == 409
    assert other_citizen.pk not in participant_ids(consultation)


def test_contributing_to_a_closed_consultation_is_refused(contribute, consultation, other_citizen):
    _close(consultation)
    response = contribute(other_citizen, consultation.slug, location=NIMES)
    assert response.status_code == 409
    assert "est close" in response.json()["detail"]


@pytest.mark.parametrize(
    ("change", "word"), [(_close, "est close"), (_not_open_yet, "pas encore ouverte")]
)
def test_registering_to_a_meeting_outside_the_opening_is_refused(
    client_for, consultation, meeting, other_citizen, change, word
):
    change(consultation)
    response = client_for(other_citizen).post(
        f"/api/v1/consultations/{consultation.slug}/meetings/{meeting.pk}/registration/"
    )
    assert response.status_code == 409
    assert word in response.json()["detail"]
    assert not MeetingRegistration.objects.filter(meeting=meeting, user=other_citizen).exists()
    assert other_citizen.pk not in participant_ids(consultation)


def test_a_seat_taken_while_open_can_still_be_given_up(
    client_for, consultation, meeting, other_citizen
):
    url = f"/api/v1/consultations/{consultation.slug}/meetings/{meeting.pk}/registration/"
    assert client_for(other_citizen).post(url).status_code == 201
    _close(consultation)
    assert client_for(other_citizen).delete(url).status_code == 204


def test_flagging_is_no_participation_and_stays_possible_once_closed(
    client_for, consultation, idea, other_citizen, reason
):
    # Published contributions stay viewable forever: the charter still applies to them.
    _close(consultation)
    response = client_for(other_citizen).post(
        f"/api/v1/contributions/{idea.pk}/flag/", {"reason": reason.pk}, format="json"
    )
    assert response.status_code == 201
    assert other_citizen.pk not in participant_ids(consultation)
