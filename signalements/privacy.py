"""What the signalements app holds about a person, for the data export."""

from __future__ import annotations

from typing import Any

from backend.models import User
from signalements.models import Follow, Signalement


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
