"""Relaying the consultations of another platform from its feed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import slugify

from backend.models import Organisation
from contributions.models import Consultation, Theme
from contributions.services._common import sanitize_html
from geo.models import Commune


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list[str] = field(default_factory=list)


def _unique_slug(base: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(base)[:100] or "consultation"
    candidate, index = base, 2
    while Consultation.objects.filter(slug=candidate).exclude(pk=exclude_pk).exists():
        candidate, index = f"{base}-{index}", index + 1
    return candidate


def _required_datetime(item: dict[str, Any], key: str) -> datetime:
    value = parse_datetime(str(item.get(key) or ""))
    if value is None:
        raise ValueError(f"{key} is not an ISO 8601 date-time")
    return value


def _import_item(item: dict[str, Any], *, source: str) -> bool:
    source_id = str(item["id"])
    source_org = item.get("organisation") or {}
    org_slug = slugify(source_org.get("slug") or source_org.get("name") or "")
    if not org_slug:
        raise ValueError("organisation has no slug")
    kinds = set(Organisation.Kind.values)
    organisation, _created = Organisation.objects.get_or_create(
        slug=org_slug,
        defaults={
            "name": str(source_org.get("name") or org_slug)[:200],
            "kind": source_org.get("kind") if source_org.get("kind") in kinds else "autre",
            "insee_code": str(source_org.get("insee_code") or "")[:5],
        },
    )
    opens_at, closes_at = (
        _required_datetime(item, "opens_at"),
        _required_datetime(item, "closes_at"),
    )
    if closes_at <= opens_at:
        raise ValueError("closes_at is not after opens_at")
    url = str(item.get("url") or "")
    if not url.startswith(("http://", "https://")):
        raise ValueError("url is not an http(s) link")
    kind = item.get("kind")
    legal_basis = item.get("legal_basis") or ""
    values = {
        "organisation": organisation,
        "title": str(item.get("title") or "")[:200] or source_id,
        "summary": str(item.get("summary") or ""),
        "body": sanitize_html(str(item.get("body") or "")),
        "kind": kind if kind in Consultation.Kind.values else Consultation.Kind.VOLUNTARY,
        "legal_basis": legal_basis if legal_basis in Consultation.LegalBasis.values else "",
        "opens_at": opens_at,
        "closes_at": closes_at,
        "external_url": url[:200],
        # Participation happens on the platform that owns it.
        "contributions_allowed": False,
        "comments_allowed": False,
        "is_published": True,
    }
    consultation = Consultation.objects.filter(source=source, source_id=source_id).first()
    created = consultation is None
    if created:
        consultation = Consultation(
            source=source,
            source_id=source_id,
            slug=_unique_slug(str(item.get("slug") or values["title"])),
            published_at=timezone.now(),
        )
    for name, value in values.items():
        setattr(consultation, name, value)
    consultation.save()
    themes = []
    for theme in item.get("themes") or []:
        slug = slugify(theme.get("slug") if isinstance(theme, dict) else theme)
        if slug:
            name = theme.get("name", slug) if isinstance(theme, dict) else slug
            themes.append(Theme.objects.get_or_create(slug=slug, defaults={"name": name})[0])
    consultation.themes.set(themes)
    consultation.communes.set(Commune.objects.filter(insee_code__in=item.get("communes") or []))
    return created


def consultations_import(*, feed: dict[str, Any], source: str) -> ImportResult:
    """Relay the consultations of another platform's feed; the same feed twice changes nothing.

    Each item is keyed by (source, id at the source). A bad item is skipped and
    reported, the others are imported.
    """
    if not isinstance(feed, dict) or not isinstance(feed.get("items"), list):
        raise ValueError("not a consultation feed: no items")
    result = ImportResult()
    for index, item in enumerate(feed["items"]):
        try:
            with transaction.atomic():
                created = _import_item(item, source=source)
        except (KeyError, ValueError, TypeError, AttributeError, IntegrityError) as error:
            result.errors.append(f"item {index}: {error}")
            continue
        if created:
            result.created += 1
        else:
            result.updated += 1
    return result
