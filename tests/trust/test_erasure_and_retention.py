"""Right to erasure and retention: personal data goes, the public record stays anonymous."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework_simplejwt.tokens import RefreshToken

from backend.models import User
from push import services as push_services
from push.models import Device
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
