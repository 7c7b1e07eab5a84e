"""What the signalements app holds about a person, for the data export."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q

from backend.models import User
from signalements.models import Follow, Photo, Signalement, Status


def export(user: User) -> dict[str, Any]:
    reports = (
        Signalement.objects.filter(reporter=user)
        .select_related("category", "commune")
        .prefetch_related("photos")
        .order_by("created_at", "id")
    )
    return {
        "reports": [
            {
                "id": report.pk,
                "category": report.category.name,
                "description": report.description,
                "latitude": report.location.y,
                "longitude": report.location.x,
                "accuracy_m": report.accuracy_m,
                "address": report.address,
                "commune": report.commune.name,
                "status": report.status,
                "anonymous": report.anonymous,
                "answers": report.answers,
                "photos": len(report.photos.all()),
                "created_at": report.created_at.isoformat(),
            }
            for report in reports
        ],
        "supported_reports": list(
            Follow.objects.filter(user=user)
            .order_by("created_at")
            .values_list("signalement_id", flat=True)
        ),
    }


def erase(user: User) -> None:
    """The account is erased: its reports stay, anonymous, without their private originals."""
    reports = Signalement.objects.filter(reporter=user)
    for photo in Photo.objects.filter(signalement__in=reports).exclude(original=""):
        photo.original.delete(save=False)
        photo.original = ""
        photo.save(update_fields=["original"])
    reports.update(anonymous=True)
    Follow.objects.filter(user=user).delete()


def apply_retention(now: datetime) -> dict[str, int]:
    """Reports closed for longer than the retention period lose their reporter."""
    limit = now - timedelta(days=settings.RETENTION_REPORTER_DAYS)
    ended = Q(status=Status.CLOSED, closed_at__lt=limit) | Q(
        status=Status.REJECTED, updated_at__lt=limit
    )
    stale = Signalement.objects.filter(ended, reporter__isnull=False)
    for photo in Photo.objects.filter(signalement__in=stale).exclude(original=""):
        photo.original.delete(save=False)
        Photo.objects.filter(pk=photo.pk).update(original="")
    count = stale.update(reporter=None, anonymous=True)
    return {"reports anonymised": count}
