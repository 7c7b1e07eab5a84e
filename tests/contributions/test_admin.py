"""The back-office is one more caller of the services: what it adds is announced, what it
refuses is shown on the form, and contributions change state only by the moderation actions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from contributions.models import (
    ConsultationFollow,
    Contribution,
    Document,
    Meeting,
    ModerationDecision,
    Phase,
)
from contributions.services.contributions import contribution_create
from contributions.services.moderation import MODERATION_FIELDS
from push.models import Notification
from tests.helpers import admin_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def back_office(org_admin) -> Client:
    assert org_admin.is_superuser
    client = Client()
    client.force_login(org_admin)
    return client


@pytest.fixture
def followed(open_consultation, other_citizen):
    """A published, open consultation that a resident follows."""
    consultation = open_consultation("suivie")
    ConsultationFollow.objects.create(consultation=consultation, user=other_citizen)
    Notification.objects.all().delete()
    return consultation


def _change_url(consultation) -> str:
    return f"/admin/contributions/consultation/{consultation.pk}/change/"


def _with_row(back_office, consultation, prefix: str, row: dict[str, object]) -> dict:
    """The change form as shown, with one new row in the inline ``prefix``."""
    data = admin_form_data(back_office.get(_change_url(consultation)))
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def _meeting_row(**values: object) -> dict[str, object]:
    starts = timezone.localtime(timezone.now() + timedelta(days=10))
    return {
        "title": "Atelier mobilité",
        "starts_at_0": starts.strftime("%d/%m/%Y"),
        "starts_at_1": "18:00:00",
        "ends_at_0": starts.strftime("%d/%m/%Y"),
        "ends_at_1": "20:00:00",
        "registration": "closed",
        **values,
    }


def test_a_meeting_added_in_the_back_office_is_announced_by_the_service(
    back_office, followed, other_citizen
):
    data = _with_row(back_office, followed, "meetings", _meeting_row())

    response = back_office.post(_change_url(followed), data)

    assert response.status_code == 302
    meeting = Meeting.objects.get(consultation=followed)
    assert meeting.title == "Atelier mobilité"
    told = Notification.objects.get(user=other_citizen)
    assert told.title_fr.startswith("Nouvelle réunion le ")
    assert told.title_fr.endswith(": Atelier mobilité")
    assert told.collapse_key == f"meeting-{meeting.pk}"


def test_a_meeting_the_service_refuses_is_shown_on_the_form(back_office, followed):
    row = _meeting_row(registration="external", registration_url="")
    data = _with_row(back_office, followed, "meetings", row)

    response = back_office.post(_change_url(followed), data)

    assert response.status_code == 200
    errors = [form.errors for form in response.context["inline_admin_formsets"][1].formset]
    assert {"registration_url": ["Une inscription externe demande un lien."]} in errors
    assert not Meeting.objects.filter(consultation=followed).exists()
    assert not Notification.objects.exists()


def test_a_phase_added_in_the_back_office_is_announced_by_the_service(
    back_office, followed, other_citizen
):
    today = timezone.localdate()
    row = {"name": "Ateliers", "starts_on": today.strftime("%d/%m/%Y"), "position": "1"}
    data = _with_row(back_office, followed, "phases", row)

    response = back_office.post(_change_url(followed), data)

    assert response.status_code == 302
    phase = Phase.objects.get(consultation=followed)
    told = Notification.objects.get(user=other_citizen)
    assert told.title_fr == "Nouvelle étape : Ateliers"
    assert told.collapse_key == f"phase-{phase.pk}"


def test_a_phase_ending_before_it_starts_is_refused_on_the_form(back_office, followed):
    today = timezone.localdate()
    row = {
        "name": "Ateliers",
        "starts_on": today.strftime("%d/%m/%Y"),
        "ends_on": (today - timedelta(days=3)).strftime("%d/%m/%Y"),
        "position": "1",
    }
    data = _with_row(back_office, followed, "phases", row)

    response = back_office.post(_change_url(followed), data)

    assert response.status_code == 200
    errors = [form.errors for form in response.context["inline_admin_formsets"][0].formset]
    assert {"ends_on": ["Une étape ne peut pas finir avant de commencer."]} in errors
    assert not Phase.objects.filter(consultation=followed).exists()


def test_a_document_added_in_the_back_office_is_added_by_the_service(back_office, followed):
    pdf = SimpleUploadedFile("dossier.pdf", b"%PDF-1.4\n" + b"x" * 100, "application/pdf")
    row = {"title": "Dossier", "file": pdf, "position": "0"}
    data = _with_row(back_office, followed, "documents", row)

    response = back_office.post(_change_url(followed), data)

    assert response.status_code == 302
    document = Document.objects.get(consultation=followed)
    assert document.size == 109


# Contributions: the state moves only through the moderation machine -------------------


@pytest.fixture
def published(open_consultation, citizen) -> Contribution:
    consultation = open_consultation("moderee")
    return contribution_create(
        consultation=consultation, author=citizen, kind="idea", body="Des bancs place du marché"
    )


def test_a_state_posted_in_the_contribution_change_form_is_ignored(back_office, published):
    url = f"/admin/contributions/contribution/{published.pk}/change/"
    data = admin_form_data(back_office.get(url))
    data.update(state="hidden", flagged_at_0="01/01/2026", flagged_at_1="10:00:00")

    back_office.post(url, data)

    published.refresh_from_db()
    assert published.state == Contribution.State.PUBLISHED
    assert published.flagged_at is None
    assert not published.decisions.exists()


def test_the_hide_action_logs_a_decision_citing_the_charter(
    back_office, org_admin, published, reason, citizen
):
    Notification.objects.all().delete()

    response = back_office.post(
        "/admin/contributions/contribution/",
        {
            "action": "hide",
            ACTION_CHECKBOX_NAME: [published.pk],
            "reason": reason.pk,
            "message": "Merci de rester sur le sujet.",
        },
    )

    assert response.status_code == 302
    published.refresh_from_db()
    assert published.state == Contribution.State.HIDDEN
    decision = published.decisions.get()
    assert (decision.action, decision.moderator, decision.reason) == (
        ModerationDecision.Action.HIDE,
        org_admin,
        reason,
    )
    assert (decision.from_state, decision.to_state) == ("published", "hidden")
    assert Notification.objects.get(user=citizen).title_fr == "Votre contribution a été masquée"


def test_the_hide_action_without_a_reason_changes_nothing_and_says_why(back_office, published):
    response = back_office.post(
        "/admin/contributions/contribution/",
        {"action": "hide", ACTION_CHECKBOX_NAME: [published.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert "Citez la règle de la charte" in response.content.decode()
    published.refresh_from_db()
    assert published.state == Contribution.State.PUBLISHED
    assert not published.decisions.exists()


def test_the_contribution_change_form_offers_no_moderation_field(back_office, published):
    response = back_office.get(f"/admin/contributions/contribution/{published.pk}/change/")

    assert response.status_code == 200
    assert not MODERATION_FIELDS & set(response.context["adminform"].form.fields)
