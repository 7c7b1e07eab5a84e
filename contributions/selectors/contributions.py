"""Contributions a person may read, with their counts and replies."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from contributions.models import Consultation, Contribution, ContributionSupport
from contributions.selectors._common import _logged_in

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from backend.models import User


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
