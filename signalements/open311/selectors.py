"""Open311 reads: services, public requests and public status changes, as plain documents.

A document is a dict or a list of dicts of strings, numbers, booleans and None, that the
renderers turn into JSON or XML. Only what the app's public API shows goes in: public reports
of public categories, never a reporter's email, name or phone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.contrib.gis.geos import Polygon
from django.db.models import Max, Prefetch
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.parsers import parse_int
from geo.models import BOUNDARIES
from signalements.models import (
    Category,
    Photo,
    Signalement,
    SignalementEvent,
    SignalementQuerySet,
    Theme,
)
from signalements.open311.services import (
    CLOSED_STATUSES,
    PHOTO_ATTRIBUTE,
    bad_parameter,
    open311_status,
    param,
    param_datetime,
    param_float,
    param_ids,
    param_int,
    param_list,
    service_get,
    service_notice,
    update_word,
    window,
)

MAX_RESULTS = 1000
SPEC_URL = "http://wiki.open311.org/GeoReport_v2"

Absolute = Callable[[str], str]


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 with the offset of the territory's time zone."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


# Discovery and services ---------------------------------------------------------------------


def discovery(*, endpoint_url: str, contact: str) -> dict[str, Any]:
    changed = [
        Category.objects.aggregate(at=Max("updated_at"))["at"],
        Theme.objects.aggregate(at=Max("updated_at"))["at"],
    ]
    changeset = max((moment for moment in changed if moment), default=None)
    return {
        "changeset": iso(changeset),
        "contact": contact,
        "key_service": _("API keys are issued by the administrators of %(contact)s.")
        % {"contact": contact},
        "endpoints": [
            {
                "specification": SPEC_URL,
                "url": endpoint_url,
                "changeset": iso(changeset),
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


def _keywords(category: Category) -> str:
    words = [category.theme.slug, *category.slug.split("-")]
    return ",".join(dict.fromkeys(word for word in words if len(word) > 2))


def services() -> list[dict[str, Any]]:
    categories = (
        Category.objects.filter(is_active=True, is_public=True, theme__is_active=True)
        .select_related("theme")
        .prefetch_related("questions")
    )
    return [
        {
            "service_code": category.slug,
            "service_name": category.name,
            "description": category.description,
            "metadata": category.photo_required or len(category.questions.all()) > 0,
            "type": "realtime",
            "keywords": _keywords(category),
            "group": category.theme.name,
        }
        for category in categories
    ]


def service_definition(*, service_code: str) -> dict[str, Any] | None:
    category = service_get(service_code=service_code)
    if category is None:
        return None
    return {
        "service_code": category.slug,
        "attributes": [
            {
                "variable": question.variable,
                "code": question.code,
                "datatype": question.datatype,
                "required": question.required,
                "datatype_description": question.datatype_description,
                "order": question.order,
                "description": question.description,
                "values": [
                    {"key": str(item.get("key", "")), "name": str(item.get("name", ""))}
                    for item in question.values
                    if isinstance(item, dict)
                ],
            }
            for question in category.questions.all()
        ]
        + (
            [_photo_attribute(order=len(category.questions.all()) + 1)]
            if category.photo_required
            else []
        ),
    }


def _photo_attribute(*, order: int) -> dict[str, Any]:
    """A required photo, in the spec's shape of an attribute: its value is ``media_url``."""
    return {
        "variable": True,
        "code": PHOTO_ATTRIBUTE,
        "datatype": "string",
        "required": True,
        "datatype_description": _("An http or https URL of a photo of the problem."),
        "order": order,
        "description": _(
            "This service needs a photo: give its URL as media_url (or as attribute[media_url])."
        ),
        "values": [],
    }


# Requests -----------------------------------------------------------------------------------


def _public_requests() -> SignalementQuerySet:
    return (
        Signalement.objects.public()
        .select_related("category", "commune", "direction")
        .defer(*(f"commune__{name}" for name in BOUNDARIES))
        .prefetch_related(
            Prefetch(
                "photos",
                queryset=Photo.objects.filter(status=Photo.Status.READY).order_by("position", "id"),
                to_attr="open311_photos",
            ),
            Prefetch(
                "events",
                queryset=SignalementEvent.objects.public()
                .exclude(message="")
                .order_by("created_at", "id"),
                to_attr="open311_notes",
            ),
        )
    )


def request_document(signalement: Signalement, *, absolute: Absolute) -> dict[str, Any]:
    photos = getattr(signalement, "open311_photos", None)
    if photos is None:
        photos = list(signalement.photos.filter(status=Photo.Status.READY))
    notes = getattr(signalement, "open311_notes", None)
    if notes is None:
        notes = list(signalement.events.public().exclude(message=""))
    first_photo = next((photo for photo in photos if photo.large), None)
    postcodes = signalement.commune.postcodes or []
    return {
        "service_request_id": str(signalement.pk),
        "status": open311_status(signalement.status),
        "status_notes": notes[-1].message if notes else None,
        "service_name": signalement.category.name,
        "service_code": signalement.category.slug,
        "description": signalement.description,
        "agency_responsible": signalement.direction.name if signalement.direction else None,
        "service_notice": service_notice(signalement.category) or None,
        "requested_datetime": iso(signalement.created_at),
        "updated_datetime": iso(signalement.updated_at),
        "expected_datetime": iso(getattr(signalement, "resolve_due_at", None)),
        "address": signalement.address or None,
        "address_id": None,
        "zipcode": str(postcodes[0]) if postcodes else None,
        "lat": signalement.location.y,
        "long": signalement.location.x,
        "media_url": absolute(first_photo.large.url) if first_photo else None,
    }


def _bbox(data: QueryDict) -> Polygon | None:
    value = param(data, "bbox")
    if value is None:
        return None
    parts = value.split(",")
    if len(parts) != 4:
        raise bad_parameter(_("bbox must be minlon,minlat,maxlon,maxlat."))
    query = QueryDict(mutable=True)
    for name, part in zip(("minlon", "minlat", "maxlon", "maxlat"), parts, strict=True):
        query[name] = part
    min_lon = param_float(query, "minlon", low=-180, high=180)
    min_lat = param_float(query, "minlat", low=-90, high=90)
    max_lon = param_float(query, "maxlon", low=-180, high=180)
    max_lat = param_float(query, "maxlat", low=-90, high=90)
    if None in (min_lon, min_lat, max_lon, max_lat) or min_lon >= max_lon or min_lat >= max_lat:
        raise bad_parameter(_("bbox must be minlon,minlat,maxlon,maxlat."))
    polygon = Polygon.from_bbox((min_lon, min_lat, max_lon, max_lat))
    polygon.srid = 4326
    return polygon


def requests_search(*, data: QueryDict, absolute: Absolute) -> list[dict[str, Any]]:
    """GET requests: the spec's filters, its 90-day window, plus page, bbox, updated_after."""
    page = param_int(data, "page", default=1, low=1, high=100_000)
    page_size = param_int(data, "page_size", default=MAX_RESULTS, low=1, high=MAX_RESULTS)
    queryset = _public_requests().order_by("-created_at", "-id")
    ids = param_ids(data, "service_request_id")
    if ids is not None:
        # The spec: ids override every other parameter.
        found = queryset.filter(pk__in=ids[:MAX_RESULTS])
        return [request_document(s, absolute=absolute) for s in found]

    codes = param_list(data, "service_code")
    if codes is not None:
        queryset = queryset.filter(category__slug__in=codes)
    statuses = param_list(data, "status")
    if statuses is not None:
        statuses = [status.lower() for status in statuses]
        if not set(statuses) <= {"open", "closed"}:
            raise bad_parameter(_("status must be open, closed or both."))
        if "open" not in statuses:
            queryset = queryset.filter(status__in=CLOSED_STATUSES)
        elif "closed" not in statuses:
            queryset = queryset.exclude(status__in=CLOSED_STATUSES)
    updated_after = param_datetime(data, "updated_after")
    if updated_after is not None:
        queryset = queryset.filter(updated_at__gt=updated_after)
    # A client syncing with updated_after sets its own window; otherwise the spec's applies.
    start, end = window(
        start=param_datetime(data, "start_date"),
        end=param_datetime(data, "end_date"),
        default=updated_after is None,
    )
    if start is not None:
        queryset = queryset.filter(created_at__gte=start)
    if end is not None:
        queryset = queryset.filter(created_at__lte=end)
    bbox = _bbox(data)
    if bbox is not None:
        queryset = queryset.filter(location__intersects=bbox)
    offset = (page - 1) * page_size
    return [request_document(s, absolute=absolute) for s in queryset[offset : offset + page_size]]


def request_get(*, request_id: str, absolute: Absolute) -> dict[str, Any] | None:
    if (pk := parse_int(request_id, low=1)) is None:
        return None
    signalement = _public_requests().filter(pk=pk).first()
    return request_document(signalement, absolute=absolute) if signalement else None


# Updates ------------------------------------------------------------------------------------


def update_document(event: SignalementEvent, *, absolute: Absolute) -> dict[str, Any]:
    photos = [p for p in event.photos.all() if p.status == Photo.Status.READY and p.large]
    return {
        "update_id": str(event.pk),
        "service_request_id": str(event.signalement_id),
        "status": update_word(
            status=event.status,
            reject_reason=event.signalement.reject_reason,
            kind=event.kind,
        ),
        "updated_datetime": iso(event.created_at),
        "description": event.message,
        "media_url": absolute(photos[0].large.url) if photos else None,
    }


def updates_search(*, data: QueryDict, absolute: Absolute) -> list[dict[str, Any]]:
    """Public status changes of public reports, oldest first, in the spec's window."""
    start, end = window(
        start=param_datetime(data, "start_date"), end=param_datetime(data, "end_date")
    )
    events = (
        SignalementEvent.objects.public()
        .exclude(status="")
        .filter(
            signalement__is_public=True,
            signalement__category__is_public=True,
            created_at__gte=start,
        )
        .select_related("signalement")
        .prefetch_related("photos")
        .order_by("created_at", "id")
    )
    if end is not None:
        events = events.filter(created_at__lte=end)
    return [update_document(event, absolute=absolute) for event in events[:MAX_RESULTS]]
