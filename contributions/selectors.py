"""Reads shared by views, feeds and commands."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon, Point
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from backend.models import Membership, OrganisationRole
from contributions.models import (
    Actor,
    CharterReason,
    Consultation,
    ConsultationFollow,
    ContactMessage,
    Contribution,
    ContributionSupport,
    Meeting,
    MeetingRegistration,
    ModerationDecision,
    ModerationSettings,
    OfficialAnswer,
    Restitution,
)

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


# Contributions and moderation --------------------------------------------------------

RESTITUTION_DELAY = timedelta(days=30)


def _with_counts(
    queryset: QuerySet[Contribution], *, user: User | AnonymousUser | None
) -> QuerySet[Contribution]:
    queryset = queryset.select_related(
        "author", "theme", "commune", "consultation", "answer", "answer__direction"
    ).annotate(
        support_count=Count("supports", distinct=True),
        reply_count=Count(
            "replies", filter=Q(replies__state=Contribution.State.PUBLISHED), distinct=True
        ),
    )
    if _logged_in(user):
        queryset = queryset.annotate(
            supported_by_me=Exists(
                ContributionSupport.objects.filter(contribution=OuterRef("pk"), user=user)
            )
        )
    return queryset


def contributions_of(
    *, consultation: Consultation, user: User | AnonymousUser | None
) -> QuerySet[Contribution]:
    """The top-level contributions of a consultation the user may read, oldest first."""
    return _with_counts(
        Contribution.objects.visible_to(user).filter(consultation=consultation, parent=None),
        user=user,
    ).order_by("created_at", "pk")


def contribution_detail(*, user: User | AnonymousUser | None) -> QuerySet[Contribution]:
    """Contributions with their visible replies, two levels deep."""
    second_level = _with_counts(Contribution.objects.visible_to(user), user=user).order_by(
        "created_at", "pk"
    )
    first_level = second_level.prefetch_related(
        Prefetch("replies", queryset=second_level, to_attr="visible_replies")
    )
    return _with_counts(Contribution.objects.visible_to(user), user=user).prefetch_related(
        Prefetch("replies", queryset=first_level, to_attr="visible_replies")
    )


def my_contributions(*, user: User) -> QuerySet[Contribution]:
    return _with_counts(
        Contribution.objects.filter(author=user).select_related("moderation_reason"), user=user
    ).order_by("-created_at", "-pk")


def is_any_moderator(*, user: User | AnonymousUser | None) -> bool:
    if not _logged_in(user):
        return False
    return user.is_superuser or OrganisationRole.objects.moderators().filter(user=user).exists()


def is_any_organisation_admin(*, user: User | AnonymousUser | None) -> bool:
    return can_validate_actors(user=user)


def is_any_staff(*, user: User | AnonymousUser | None) -> bool:
    if not _logged_in(user):
        return False
    return (
        user.is_superuser
        or OrganisationRole.objects.filter(user=user).exists()
        or Membership.objects.filter(user=user).exists()
    )


def moderation_queue(*, user: User) -> QuerySet[Contribution]:
    """Pending and flagged contributions of the organisations the user moderates, oldest first."""
    return (
        Contribution.objects.moderated_by(user)
        .awaiting_moderation()
        .select_related("author", "consultation", "parent")
        .annotate(flag_count=Count("flags", distinct=True))
        .order_by("created_at", "pk")
    )


def moderatable(*, user: User) -> QuerySet[Contribution]:
    """Every contribution a moderator may decide on (not only the queue: hide, restore)."""
    return Contribution.objects.moderated_by(user).annotate(
        flag_count=Count("flags", distinct=True)
    )


def moderation_log(*, user: User) -> QuerySet[ModerationDecision]:
    """Decisions of the organisations the user administers, newest first."""
    queryset = ModerationDecision.objects.select_related(
        "moderator", "reason", "contribution__consultation", "organisation"
    )
    if user.is_superuser:
        return queryset
    administered = OrganisationRole.objects.filter(user=user, role=OrganisationRole.Role.ADMIN)
    return queryset.filter(organisation__in=administered.values("organisation"))


def charter_of(*, organisation_id: int) -> QuerySet[CharterReason]:
    return CharterReason.objects.filter(organisation_id=organisation_id, is_active=True)


def flag_threshold(*, organisation_id: int) -> int:
    settings_row = ModerationSettings.objects.filter(organisation_id=organisation_id).first()
    return settings_row.flag_threshold if settings_row else settings.MODERATION_FLAG_THRESHOLD


def organisation_moderators(*, organisation_id: int) -> list[User]:
    roles = OrganisationRole.objects.moderators().filter(organisation_id=organisation_id)
    return list({role.user_id: role.user for role in roles.select_related("user")}.values())


def can_answer(*, user: User | AnonymousUser | None, contribution: Contribution) -> bool:
    """Members of the direction owning the consultation."""
    if not _logged_in(user):
        return False
    if user.is_superuser:
        return True
    direction_id = contribution.consultation.direction_id
    return (
        direction_id is not None
        and Membership.objects.filter(user=user, direction_id=direction_id).exists()
    )


def participant_ids(consultation: Consultation) -> set[int]:
    """Who took part: authors, supporters and people registered to a meeting."""
    authors = Contribution.objects.filter(consultation=consultation).values_list(
        "author_id", flat=True
    )
    supporters = ContributionSupport.objects.filter(
        contribution__consultation=consultation
    ).values_list("user_id", flat=True)
    registrants = MeetingRegistration.objects.filter(
        meeting__consultation=consultation
    ).values_list("user_id", flat=True)
    return {*authors, *supporters, *registrants}


def restitution_audience_ids(consultation: Consultation) -> set[int]:
    """Who hears of the restitution: the participants and the followers."""
    followers = ConsultationFollow.objects.filter(consultation=consultation).values_list(
        "user_id", flat=True
    )
    return participant_ids(consultation) | set(followers)


def restitution_key_figures(consultation: Consultation) -> dict[str, Any]:
    """Computed on each read so that they always match the published contributions."""
    published = Contribution.objects.filter(
        consultation=consultation, state=Contribution.State.PUBLISHED
    )
    by_kind = {kind: 0 for kind in Contribution.Kind.values}
    for row in published.values("kind").annotate(count=Count("pk")):
        by_kind[row["kind"]] = row["count"]
    by_theme = [
        {"slug": row["theme__slug"], "name": row["theme__name"], "count": row["count"]}
        for row in published.filter(theme__isnull=False)
        .values("theme__slug", "theme__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "theme__slug")
    ]
    by_commune = [
        {
            "insee_code": row["commune__insee_code"],
            "name": row["commune__name"],
            "count": row["count"],
        }
        for row in published.filter(commune__isnull=False)
        .values("commune__insee_code", "commune__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "commune__insee_code")
    ]
    answerable = published.exclude(kind=Contribution.Kind.COMMENT)
    total = answerable.count()
    answered = OfficialAnswer.objects.filter(contribution__in=answerable).count()
    return {
        "participants": len(participant_ids(consultation)),
        "contributions": sum(by_kind.values()),
        "by_kind": by_kind,
        "by_theme": by_theme,
        "by_commune": by_commune,
        "answered_share": round(answered / total, 3) if total else 0.0,
    }


def can_read_restitution(*, user: User | AnonymousUser | None, restitution: Restitution) -> bool:
    consultation = restitution.consultation
    if is_organisation_staff(user=user, organisation_id=consultation.organisation_id):
        return True
    if restitution.published_at is None:
        return False
    if restitution.visibility == Restitution.Visibility.PUBLIC:
        return True
    return _logged_in(user) and user.pk in participant_ids(consultation)


def restitution_overdue(*, consultation: Consultation, now: datetime | None = None) -> bool:
    """A regulatory consultation closed for 30 days without a published restitution."""
    now = now or timezone.now()
    return (
        consultation.kind == Consultation.Kind.REGULATORY
        and not consultation.is_relayed
        and consultation.restitution_published_at is None
        and consultation.closes_at <= now - RESTITUTION_DELAY
    )


def consultations_restitution_overdue(now: datetime | None = None) -> QuerySet[Consultation]:
    now = now or timezone.now()
    return Consultation.objects.published().filter(
        kind=Consultation.Kind.REGULATORY,
        external_url="",
        restitution_published_at__isnull=True,
        closes_at__lte=now - RESTITUTION_DELAY,
    )


def staff_closed_consultations(*, user: User) -> QuerySet[Consultation]:
    """Closed consultations of the organisations the user works for, oldest closing first."""
    queryset = Consultation.objects.filter(closes_at__lte=timezone.now(), external_url="")
    if not user.is_superuser:
        queryset = queryset.filter(
            Q(organisation__roles__user=user) | Q(organisation__directions__memberships__user=user)
        ).distinct()
    return queryset.select_related("organisation").order_by("closes_at", "pk")


def allowed_kinds(consultation: Consultation) -> list[str]:
    """What the consultation's settings let people write (relayed ones take nothing here)."""
    if consultation.is_relayed:
        return []
    kinds = []
    if consultation.contributions_allowed:
        kinds.append(Contribution.Kind.IDEA.value)
        if consultation.questions_allowed:
            kinds.append(Contribution.Kind.QUESTION.value)
    if consultation.comments_allowed:
        kinds.append(Contribution.Kind.COMMENT.value)
    return kinds
