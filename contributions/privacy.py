"""What the contributions app holds about a person: export, erasure, retention."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings

from backend.models import User
from contributions.models import (
    Actor,
    ConsultationFollow,
    ContactMessage,
    Contribution,
    ContributionFlag,
    ContributionSupport,
    MeetingRegistration,
    OrganisationFollow,
)


def export(user: User) -> dict[str, Any]:
    return {
        "contributions": [
            {
                "id": c.pk,
                "consultation": c.consultation.slug,
                "kind": c.kind,
                "body": c.body,
                "created_at": c.created_at.isoformat(),
            }
            for c in Contribution.objects.filter(author=user).select_related("consultation")
        ],
        "supports": list(
            ContributionSupport.objects.filter(user=user).values_list("contribution_id", flat=True)
        ),
        "flags": list(
            ContributionFlag.objects.filter(user=user).values_list("contribution_id", flat=True)
        ),
        "meeting_registrations": list(
            MeetingRegistration.objects.filter(user=user).values_list("meeting_id", flat=True)
        ),
        "followed_consultations": list(
            ConsultationFollow.objects.filter(user=user).values_list(
                "consultation__slug", flat=True
            )
        ),
        "followed_organisations": list(
            OrganisationFollow.objects.filter(user=user).values_list(
                "organisation__slug", flat=True
            )
        ),
        "actors": [
            {"name": a.name, "kind": a.kind, "contact_email": a.contact_email}
            for a in Actor.objects.filter(owner=user)
        ],
        "contact_messages": [
            {"kind": m.kind, "body": m.body, "created_at": m.created_at.isoformat()}
            for m in ContactMessage.objects.filter(author=user)
        ],
    }


def erase(user: User) -> None:
    """Contributions stay (their author shows as deleted); what only served the person goes."""
    MeetingRegistration.objects.filter(user=user).delete()
    ConsultationFollow.objects.filter(user=user).delete()
    OrganisationFollow.objects.filter(user=user).delete()
    ContactMessage.objects.filter(author=user).delete()
    Actor.objects.filter(owner=user).update(contact_email="", email_consent=False)


def apply_retention(now: datetime) -> dict[str, int]:
    limit = now - timedelta(days=settings.RETENTION_CONTACT_DAYS)
    deleted, _ = ContactMessage.objects.filter(created_at__lt=limit).delete()
    return {"contact messages deleted": deleted}
