"""Meetings of published consultations."""

from __future__ import annotations

from django.db.models import QuerySet

from contributions.models import Meeting


def meetings_public() -> QuerySet[Meeting]:
    """Meetings of the public consultations (a panel's meetings are its members' only)."""
    return Meeting.objects.filter(
        consultation__is_published=True, consultation__panel__isnull=True
    ).select_related("consultation")
