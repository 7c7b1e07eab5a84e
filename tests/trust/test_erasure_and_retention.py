"""Right to erasure and retention: personal data goes, the public record stays anonymous."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from rest_framework_simplejwt.tokens import RefreshToken

from backend.models import User
from push import outbox
from push import services as push_services
from push.models import Delivery, Device, Kind, Notification, OutgoingEmail, Preferences
from push.models import Status as OutboxStatus
from signalements import services
from signalements.models import Photo, Signalement, Status
from tests.signalements.factories import SAINT_GILLES, category, jpeg_upload

pytestmark = pytest.mark.django_db


def file_with_photo(user: User) -> Signalement:
    return services.signalement_create(
        reporter=user,
        category=category("chaussee-degradee"),
        latitude=SAINT_GILLES[0],
        longitude=SAINT_GILLES[1],
        description="Trou",
        photos=[jpeg_upload(gps=SAINT_GILLES, serial="SN-123")],
    )


def test_erasure_keeps_the_report_anonymous_and_deletes_everything_personal(
    client_for, other_citizen, settings
):
    report = file_with_photo(other_citizen)
    original = Path(Photo.objects.get(signalement=report).original.path)
    assert original.exists()
    push_services.device_register(token="tok-erase", platform="ios", user=other_citizen)
    refresh = RefreshToken.for_user(other_citizen)

    assert client_for(other_citizen).delete("/api/v1/me/").status_code == 204

    report.refresh_from_db()
    public = client_for(None).get(f"/api/v1/signalements/{report.pk}/").json()
    assert public["reporter_name"] is None
    assert "voisin" not in str(public).lower()
    assert not original.exists(), "the private original is deleted"
    assert not Device.objects.filter(token="tok-erase", is_active=True).exists()
    response = client_for(None).post("/api/v1/auth/token/refresh/", {"refresh": str(refresh)})
    assert response.status_code == 401
    user = User.objects.get(pk=other_citizen.pk)
    assert user.display_name == "Utilisateur supprimé"


def test_retention_anonymises_reporters_of_long_closed_reports(citizen, other_citizen):
    old = file_with_photo(other_citizen)
    recent = file_with_photo(citizen)
    long_ago = timezone.now() - timedelta(days=800)
    Signalement.objects.filter(pk=old.pk).update(status=Status.CLOSED, closed_at=long_ago)
    Signalement.objects.filter(pk=recent.pk).update(status=Status.CLOSED, closed_at=timezone.now())
    call_command("apply_retention", verbosity=0)
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.reporter, old.anonymous) == (None, True)
    assert not Photo.objects.get(signalement=old).original
    assert recent.reporter == citizen


def test_retention_deletes_old_contact_messages():
    from contributions.models import ContactMessage

    organisation = ContactMessage._meta.get_field("organisation").related_model.objects.get(
        slug="nimes-metropole"
    )
    old = ContactMessage.objects.create(
        kind="question", body="Ancien", email="a@example.test", organisation=organisation
    )
    ContactMessage.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    fresh = ContactMessage.objects.create(
        kind="question", body="Récent", email="b@example.test", organisation=organisation
    )
    call_command("apply_retention", verbosity=0)
    assert list(ContactMessage.objects.filter(pk__in=[old.pk, fresh.pk])) == [fresh]


def test_erasure_removes_the_inbox_and_every_email_to_the_address(client_for, other_citizen):
    push_services.preferences_update(
        preferences=push_services.preferences_of(user=other_citizen),
        channels={Kind.MY_REPORTS: ["push", "email"]},
    )
    push_services.device_register(token="tok-inbox", platform="ios", user=other_citizen)
    push_services.notify(
        users=[other_citizen], kind=Kind.MY_REPORTS, title={"fr": "Votre trou"}, body={"fr": "x"}
    )
    push_services.email_queue(to="Voisin@Example.test", subject="En attente", body_text="Jean")
    sent = push_services.email_queue(to="voisin@example.test", subject="Parti", body_text="Jean")
    OutgoingEmail.objects.filter(pk=sent.pk).update(status=OutboxStatus.SENT)
    kept = push_services.email_queue(to="autre@example.test", subject="Autre", body_text="x")

    assert client_for(other_citizen).delete("/api/v1/me/").status_code == 204

    assert not Notification.objects.filter(user=other_citizen).exists()
    assert not Delivery.objects.filter(notification__user=other_citizen).exists()
    assert list(OutgoingEmail.objects.all()) == [kept]
    assert not Preferences.objects.filter(user=other_citizen).exists()
    outbox.deliver_due()
    assert [m.to for m in mail.outbox] == [["autre@example.test"]]


def test_retention_deletes_finished_emails_and_deliveries_after_the_period(citizen, settings):
    settings.RETENTION_EMAIL_DAYS = 30
    settings.RETENTION_NOTIFICATION_DAYS = 365
    long_ago = timezone.now() - timedelta(days=31)
    emails = {
        status: push_services.email_queue(to=f"{status}@example.test", subject="s", body_text="b")
        for status in [OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.PENDING]
    }
    for status, email in emails.items():
        OutgoingEmail.objects.filter(pk=email.pk).update(status=status, created_at=long_ago)
    recent = push_services.email_queue(to="recent@example.test", subject="s", body_text="b")
    OutgoingEmail.objects.filter(pk=recent.pk).update(status=OutboxStatus.SENT)
    push_services.device_register(token="tok-retention", platform="ios", user=citizen)
    [notification] = push_services.notify(
        users=[citizen], kind=Kind.MY_REPORTS, title={"fr": "T"}, body={"fr": "B"}
    )
    Delivery.objects.update(status=OutboxStatus.SENT, created_at=long_ago)

    call_command("apply_retention", verbosity=0)

    assert set(OutgoingEmail.objects.all()) == {emails[OutboxStatus.PENDING], recent}
    assert not Delivery.objects.exists()
    assert Notification.objects.filter(pk=notification.pk).exists(), "the inbox keeps it"


def test_retention_deletes_notifications_read_long_ago(citizen, settings):
    settings.RETENTION_NOTIFICATION_DAYS = 365
    old_read, old_unread, recent_read = [
        push_services.notify(
            users=[citizen], kind=Kind.MY_REPORTS, title={"fr": f"T{n}"}, body={"fr": "B"}
        )[0]
        for n in range(3)
    ]
    long_ago = timezone.now() - timedelta(days=400)
    Notification.objects.filter(pk=old_read.pk).update(created_at=long_ago, read_at=long_ago)
    Notification.objects.filter(pk=old_unread.pk).update(created_at=long_ago)
    Notification.objects.filter(pk=recent_read.pk).update(read_at=timezone.now())

    call_command("apply_retention", verbosity=0)

    remaining = Notification.objects.filter(pk__in=[old_read.pk, old_unread.pk, recent_read.pk])
    assert set(remaining) == {old_unread, recent_read}


def test_the_export_holds_the_notifications_and_the_subjects_of_emails(client_for, citizen):
    push_services.notify(
        users=[citizen], kind=Kind.MY_REPORTS, title={"fr": "Pris en compte"}, body={"fr": "x"}
    )
    push_services.email_queue(
        to="citoyen@demo.test", subject="Réinitialisation", body_text="https://x.test/reset/abc"
    )
    archive = client_for(citizen).get("/api/v1/me/export/").json()
    assert [n["title"] for n in archive["push"]["notifications"]] == ["Pris en compte"]
    assert [e["subject"] for e in archive["push"]["emails"]] == ["Réinitialisation"]
    assert "reset/abc" not in str(archive), "no live link in an archive"
