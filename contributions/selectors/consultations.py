"""Consultations a person may read or publish, near a point, and their perimeter."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon, Point
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)

from backend.models import Membership, OrganisationRole
from contributions.models import Consultation, ConsultationFollow, Meeting, MeetingRegistration
from contributions.selectors._common import _logged_in
from geo.models import Commune

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from backend.models import User


LAMBERT_93 = 2154


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


def consultation_list(
    *, user: User | AnonymousUser | None, boundaries: bool = False
) -> QuerySet[Consultation]:
    """Consultations a person may read, with what list pages show and whether they follow.

    ``boundaries``: with their communes' outlines, for a map of their perimeters.
    """
    if _logged_in(user):
        following = Exists(
            ConsultationFollow.objects.filter(consultation=OuterRef("pk"), user=user)
        )
    else:
        following = Value(False, output_field=BooleanField())
    # Pages name a consultation's communes by INSEE code: nothing else of them is read
    # (a consultation over the whole territory brings 39 of them).
    communes = Commune.objects.all() if boundaries else Commune.objects.only("id", "insee_code")
    return (
        Consultation.objects.visible_to(user)
        .select_related("organisation", "direction", "panel")
        .prefetch_related("themes", Prefetch("communes", queryset=communes))
        .annotate(following=following)
    )


def meetings_with_seats(*, user: User | AnonymousUser | None) -> QuerySet[Meeting]:
    """Meetings with their confirmed seats and the viewer's registration status (or None)."""
    if _logged_in(user):
        mine = Subquery(
            MeetingRegistration.objects.filter(meeting=OuterRef("pk"), user=user).values("status")[
                :1
            ]
        )
    else:
        mine = Value(None, output_field=CharField())
    return Meeting.objects.annotate(
        seats_taken=Count(
            "registrations",
            filter=Q(registrations__status=MeetingRegistration.Status.CONFIRMED),
        ),
        my_registration=mine,
    ).order_by("starts_at", "pk")


def consultation_detail(*, user: User | AnonymousUser | None) -> QuerySet[Consultation]:
    return consultation_list(user=user).prefetch_related(
        "phases",
        "documents",
        Prefetch("meetings", queryset=meetings_with_seats(user=user)),
    )


def circle(*, latitude: float, longitude: float, radius_m: float) -> GEOSGeometry:
    """A disc of ``radius_m`` metres around the point, in WGS84 (buffered in Lambert-93)."""
    centre = Point(longitude, latitude, srid=4326).transform(LAMBERT_93, clone=True)
    return centre.buffer(radius_m, quadsegs=16).transform(4326, clone=True)


def consultations_near(
    queryset: QuerySet[Consultation], *, latitude: float, longitude: float, radius_m: float
) -> QuerySet[Consultation]:
    """Consultations whose perimeter or communes come within the radius of the point."""
    try:
        disc = circle(latitude=latitude, longitude=longitude, radius_m=radius_m)
    except (GDALException, GEOSException):
        # A point Lambert-93 cannot project (the poles...) is near no consultation.
        return queryset.none()
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


def public_url(consultation: Consultation) -> str:
    """Where residents read the consultation: here, or on the platform that owns it."""
    return consultation.external_url or (
        f"{settings.FRONTEND_URL.rstrip('/')}/consultation/{consultation.slug}"
    )
