"""Reads shared by views, feeds and commands."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from backend.models import Membership, OrganisationRole
from contributions.models import Actor, Consultation, ContactMessage, Meeting

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from backend.models import User

LAMBERT_93 = 2154
FEED_VERSION = "1.0"


def _logged_in(user: User | AnonymousUser | None) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def is_organisation_staff(*, user: User | AnonymousUser | None, organisation_id: int) -> bool:
    """Anyone who works for the organisation: a role in it or a seat in one of its directions."""
    if not _logged_in(user):
        return False
    if user.is_superuser:
        return True
    return (
        OrganisationRole.objects.filter(user=user, organisation_id=organisation_id).exists()
        or Membership.objects.filter(user=user, direction__organisation_id=organisation_id).exists()
    )


def is_organisation_moderator(*, user: User | AnonymousUser | None, organisation_id: int) -> bool:
    """Moderators and admins of the organisation (they answer the contact form)."""
    if not _logged_in(user):
        return False
    if user.is_superuser:
        return True
    return (
        OrganisationRole.objects.moderators()
        .filter(user=user, organisation_id=organisation_id)
        .exists()
    )


def can_publish(*, user: User | AnonymousUser | None, consultation: Consultation) -> bool:
    """Admins of the owning organisation, and managers of the owning direction."""
    if not _logged_in(user):
        return False
    if user.is_superuser:
        return True
    if OrganisationRole.objects.filter(
        user=user, organisation_id=consultation.organisation_id, role=OrganisationRole.Role.ADMIN
    ).exists():
        return True
    return (
        consultation.direction_id is not None
        and Membership.objects.filter(
            user=user, direction_id=consultation.direction_id, role=Membership.Role.MANAGER
        ).exists()
    )


def can_validate_actors(*, user: User | AnonymousUser | None) -> bool:
    if not _logged_in(user):
        return False
    return (
        user.is_superuser
        or OrganisationRole.objects.filter(user=user, role=OrganisationRole.Role.ADMIN).exists()
    )


def consultation_list(*, user: User | AnonymousUser | None) -> QuerySet[Consultation]:
    """Consultations a person may read, with what list pages show."""
    return (
        Consultation.objects.visible_to(user)
        .select_related("organisation", "direction")
        .prefetch_related("themes", "communes")
    )


def consultation_detail(*, user: User | AnonymousUser | None) -> QuerySet[Consultation]:
    return consultation_list(user=user).prefetch_related(
        "phases",
        "documents",
        Prefetch(
            "meetings",
            queryset=Meeting.objects.prefetch_related("registrations").order_by("starts_at"),
        ),
    )


def circle(*, latitude: float, longitude: float, radius_m: float) -> GEOSGeometry:
    """A disc of ``radius_m`` metres around the point, in WGS84 (buffered in Lambert-93)."""
    centre = Point(longitude, latitude, srid=4326).transform(LAMBERT_93, clone=True)
    return centre.buffer(radius_m, quadsegs=16).transform(4326, clone=True)


def consultations_near(
    queryset: QuerySet[Consultation], *, latitude: float, longitude: float, radius_m: float
) -> QuerySet[Consultation]:
    """Consultations whose perimeter or communes come within the radius of the point."""
    disc = circle(latitude=latitude, longitude=longitude, radius_m=radius_m)
    return queryset.filter(
        Q(area__intersects=disc) | Q(communes__geometry__intersects=disc)
    ).distinct()


def consultation_scope(consultation: Consultation) -> GEOSGeometry | None:
    """The perimeter shown on the map: its own area, else the union of its communes."""
    if consultation.area is not None:
        return consultation.area
    shapes = [c.geometry_simplified or c.geometry for c in consultation.communes.all()]
    if not shapes:
        return None
    union = shapes[0]
    for shape in shapes[1:]:
        union = union.union(shape)
    if union.geom_type == "Polygon":
        union = MultiPolygon(union, srid=4326)
    return union


def meetings_public() -> QuerySet[Meeting]:
    return Meeting.objects.filter(consultation__is_published=True).select_related("consultation")


def public_url(consultation: Consultation) -> str:
    """Where residents read the consultation: here, or on the platform that owns it."""
    return consultation.external_url or (
        f"{settings.FRONTEND_URL.rstrip('/')}/consultation/{consultation.slug}"
    )


def consultation_feed(*, feed_url: str) -> dict[str, Any]:
    """The public JSON feed: this platform's own published consultations (never the relayed).

    Relayed ones are left out so two platforms that import each other never loop.
    """
    consultations = (
        Consultation.objects.published()
        .filter(external_url="")
        .select_related("organisation")
        .prefetch_related("themes", "communes", "meetings")
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


def actors_visible(*, user: User | AnonymousUser | None) -> QuerySet[Actor]:
    """The public directory; plus one's own actors; everything for those who validate."""
    queryset = Actor.objects.prefetch_related("communes", "themes")
    if can_validate_actors(user=user):
        return queryset
    if _logged_in(user):
        return queryset.filter(Q(validated_at__isnull=False, is_public=True) | Q(owner=user))
    return queryset.listed()


def contact_messages_for(*, user: User | AnonymousUser | None) -> QuerySet[ContactMessage]:
    """Messages of organisations the user moderates, and those sent to their direction."""
    queryset = ContactMessage.objects.select_related("consultation", "direction", "organisation")
    if not _logged_in(user):
        return queryset.none()
    if user.is_superuser:
        return queryset
    moderated = OrganisationRole.objects.moderators().filter(user=user).values("organisation")
    directions = Membership.objects.filter(user=user).values("direction")
    return queryset.filter(Q(organisation__in=moderated) | Q(direction__in=directions))


def is_contact_staff(*, user: User | AnonymousUser | None) -> bool:
    """Whoever may have contact messages to handle: moderators and members of directions."""
    if not _logged_in(user):
        return False
    return (
        user.is_superuser
        or OrganisationRole.objects.moderators().filter(user=user).exists()
        or Membership.objects.filter(user=user).exists()
    )
