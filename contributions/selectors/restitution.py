"""Participants, the audience and key figures of a restitution, and overdue ones."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from backend.translation import pick
from contributions.models import (
    Consultation,
    ConsultationFollow,
    Contribution,
    ContributionSupport,
    MeetingRegistration,
    OfficialAnswer,
    Restitution,
)
from contributions.selectors._common import _logged_in, is_organisation_staff

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from backend.models import User


RESTITUTION_DELAY = timedelta(days=30)


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
        {
            "slug": row["theme__slug"],
            "name": pick(row["theme__name"], row["theme__name_en"]),
            "count": row["count"],
        }
        for row in published.filter(theme__isnull=False)
        .values("theme__slug", "theme__name", "theme__name_en")
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
