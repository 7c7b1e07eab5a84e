"""Meetings of published consultations."""

from __future__ import annotations

from django.db.models import QuerySet

from contributions.models import Meeting


def meetings_public() -> QuerySet[Meeting]:
    return Meeting.objects.filter(consultation__is_published=True).select_related("consultation")
