"""The public JSON feed other platforms import."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from contributions.models import Consultation
from contributions.selectors.consultations import public_url
from geo.models import Commune

FEED_VERSION = "1.0"


def consultation_feed(*, feed_url: str) -> dict[str, Any]:
    """The public JSON feed: this platform's own published consultations (never the relayed).

    Relayed ones are left out so two platforms that import each other never loop.
    """
    consultations = (
        Consultation.objects.published()
        .filter(external_url="")
        .select_related("organisation")
        .prefetch_related(
            "themes",
            Prefetch("communes", queryset=Commune.objects.without_boundaries()),
            "meetings",
        )
        .order_by("-opens_at", "pk")
    )
    items = []
    for consultation in consultations:
        organisation = consultation.organisation
        items.append(
            {
                "id": str(consultation.pk),
                "slug": consultation.slug,
                "url": public_url(consultation),
                "title": consultation.title,
                "summary": consultation.summary,
                "body": consultation.body,
                "organisation": {
                    "slug": organisation.slug,
                    "name": organisation.name,
                    "kind": organisation.kind,
                    "insee_code": organisation.insee_code,
                },
                "kind": consultation.kind,
                "legal_basis": consultation.legal_basis,
                "themes": [{"slug": t.slug, "name": t.name} for t in consultation.themes.all()],
                "communes": sorted(c.insee_code for c in consultation.communes.all()),
                "opens_at": consultation.opens_at.isoformat(),
                "closes_at": consultation.closes_at.isoformat(),
                "status": consultation.status,
                "updated_at": consultation.updated_at.isoformat(),
                "meetings": [
                    {
                        "title": meeting.title,
                        "starts_at": meeting.starts_at.isoformat(),
                        "ends_at": meeting.ends_at.isoformat(),
                        "place_name": meeting.place_name,
                        "address": meeting.address,
                        "online_url": meeting.online_url,
                    }
                    for meeting in consultation.meetings.all()
                ],
            }
        )
    return {
        "version": FEED_VERSION,
        "title": settings.TERRITORY_NAME,
        "home_page_url": settings.FRONTEND_URL,
        "feed_url": feed_url,
        "generated_at": timezone.now().isoformat(),
        "items": items,
    }
