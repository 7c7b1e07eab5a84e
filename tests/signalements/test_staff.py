"""Who is staff of a report: one definition, ``Signalement.objects.staffed_by``."""

from __future__ import annotations

import pytest

from signalements import workflow
from signalements.models import Signalement, Status
from tests.signalements.factories import SAINT_GILLES, file_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(citizen) -> Signalement:
    """A report of the roads direction (nm-voirie), made private so only staff see it."""
    signalement = file_report(citizen, at=SAINT_GILLES)
    assert signalement.direction.slug == "nm-voirie"
    Signalement.objects.filter(pk=signalement.pk).update(is_public=False)
    return signalement


def test_members_of_the_direction_are_its_staff(report, agent_voirie, manager_voirie):
    assert Signalement.objects.staffed_by(agent_voirie).filter(pk=report.pk).exists()
    assert Signalement.objects.staffed_by(manager_voirie).filter(pk=report.pk).exists()


def test_members_of_another_direction_and_residents_are_not(
    report, agent_eau, citizen, other_citizen
):
    for user in (agent_eau, citizen, other_citizen, None):
        assert not Signalement.objects.staffed_by(user).filter(pk=report.pk).exists()


def test_a_back_office_superuser_is_staff_of_every_report(report, org_admin):
    assert org_admin.is_superuser
    assert Signalement.objects.staffed_by(org_admin).count() == Signalement.objects.count()


def test_an_account_with_back_office_access_only_is_not(report, other_citizen):
    other_citizen.is_staff = True
    other_citizen.save(update_fields=["is_staff"])
    assert not Signalement.objects.staffed_by(other_citizen).filter(pk=report.pk).exists()
    assert not Signalement.objects.visible_to(other_citizen).filter(pk=report.pk).exists()


def test_the_staff_view_moves_and_private_reports_follow_it(
    report, client_for, agent_voirie, agent_eau, org_admin
):
    for user, staff in ((agent_voirie, True), (org_admin, True), (agent_eau, False)):
        assert workflow.is_staff_of(user=user, signalement=report) is staff
        assert Signalement.objects.visible_to(user).filter(pk=report.pk).exists() is staff
        response = client_for(user).get(f"/api/v1/signalements/{report.pk}/")
        assert response.status_code == (200 if staff else 404)
        if staff:
            assert "routing" in response.json()


def test_the_reporter_sees_a_private_report_without_being_its_staff(report, citizen):
    assert Signalement.objects.visible_to(citizen).filter(pk=report.pk).exists()
    assert not workflow.is_staff_of(user=citizen, signalement=report)
    assert report.status == Status.NEW
