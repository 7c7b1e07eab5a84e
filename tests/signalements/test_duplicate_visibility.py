"""A report is marked a duplicate only of a report the agent may see, of a compatible visibility."""

from __future__ import annotations

import pytest

from signalements.models import Follow, Signalement, Status
from tests.signalements.factories import SAINT_GILLES, file_report

pytestmark = pytest.mark.django_db
QUEUE = "/api/v1/agent/signalements/"


@pytest.fixture
def copy(other_citizen, citizen, client_for) -> Signalement:
    """A public road report of the roads direction, followed by the owner."""
    report = file_report(other_citizen, at=SAINT_GILLES)
    client_for(citizen).post(f"/api/v1/signalements/{report.pk}/follow/")
    return report


@pytest.fixture
def private_elsewhere(citizen) -> Signalement:
    """A private report of another direction (dangerous behaviour: sustainable development)."""
    return file_report(citizen, slug="comportement-dangereux", at=SAINT_GILLES)


def _private(report: Signalement) -> Signalement:
    """The reporter chose not to publish it."""
    Signalement.objects.filter(pk=report.pk).update(is_public=False)
    report.refresh_from_db()
    return report


def _duplicate(client_for, user, copy: Signalement, original: Signalement, **headers):
    return client_for(user).post(
        f"{QUEUE}{copy.pk}/duplicate/", {"original": original.pk}, format="json", **headers
    )


def _untouched(copy: Signalement, original: Signalement) -> None:
    copy.refresh_from_db()
    assert (copy.status, copy.duplicate_of_id) == (Status.NEW, None)
    assert not Follow.objects.filter(signalement=original).exclude(user=original.reporter).exists()


def test_a_private_report_of_another_direction_cannot_be_the_original(
    client_for, api, agent_voirie, copy, private_elsewhere
):
    response = _duplicate(client_for, agent_voirie, copy, private_elsewhere)

    assert response.status_code == 400
    body = response.json()
    assert list(body["fields"]) == ["original"]
    assert "file de vos directions" in body["fields"]["original"][0]
    _untouched(copy, private_elsewhere)
    timeline = api.get(f"/api/v1/signalements/{copy.pk}/").json()["timeline"]
    assert str(private_elsewhere.pk) not in str(timeline)


def test_the_refusal_is_in_english_on_request(client_for, agent_voirie, copy, private_elsewhere):
    response = _duplicate(
        client_for, agent_voirie, copy, private_elsewhere, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.json()["fields"]["original"] == [
        "The original must be a report of your directions' queue."
    ]


def test_a_public_report_of_another_direction_is_refused_too(client_for, agent_voirie, copy):
    leak = file_report(copy.reporter, slug="fuite-d-eau", at=SAINT_GILLES)
    response = _duplicate(client_for, agent_voirie, copy, leak)
    assert response.status_code == 400
    assert "original" in response.json()["fields"]
    _untouched(copy, leak)


def test_a_public_report_cannot_duplicate_a_private_one_of_the_same_queue(
    client_for, agent_voirie, copy, citizen
):
    private = _private(file_report(citizen, at=SAINT_GILLES))
    assert not Signalement.objects.public().filter(pk=private.pk).exists()
    response = _duplicate(client_for, agent_voirie, copy, private, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json()["fields"]["original"] == [
        "A public report cannot be a duplicate of a private report."
    ]
    _untouched(copy, private)


def test_a_private_report_may_duplicate_a_public_one(client_for, agent_voirie, citizen, copy):
    private = _private(file_report(citizen, at=SAINT_GILLES))
    response = _duplicate(client_for, agent_voirie, private, copy)
    assert response.status_code == 200, response.content
    private.refresh_from_db()
    assert private.duplicate_of_id == copy.pk


def test_a_report_of_the_same_queue_is_a_fine_original(
    client_for, agent_voirie, copy, other_citizen
):
    original = file_report(other_citizen, at=SAINT_GILLES)
    response = _duplicate(client_for, agent_voirie, copy, original)
    assert response.status_code == 200, response.content
    copy.refresh_from_db()
    assert (copy.status, copy.duplicate_of_id) == (Status.REJECTED, original.pk)


def test_the_reporter_and_an_agent_of_another_direction_cannot_mark_it(
    client_for, citizen, agent_eau, copy, other_citizen
):
    original = file_report(other_citizen, at=SAINT_GILLES)
    assert _duplicate(client_for, copy.reporter, copy, original).status_code == 403
    assert _duplicate(client_for, agent_eau, copy, original).status_code == 404
    _untouched(copy, original)
