"""Contributions a person may read, with their counts, replies and the viewer's state."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Value,
)

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
    # The viewer's state, annotated so that a page costs the same queries whatever its size.
    if _logged_in(user):
        return queryset.annotate(
            supported=Exists(
                ContributionSupport.objects.filter(contribution=OuterRef("pk"), user=user)
            ),
            mine=ExpressionWrapper(Q(author=user), output_field=BooleanField()),
        )
    return queryset.annotate(
        supported=Value(False, output_field=BooleanField()),
        mine=Value(False, output_field=BooleanField()),
    )


def contributions_of(
    *, consultation: Consultation, user: User | AnonymousUser | None
) -> QuerySet[Contribution]:
    """The top-level contributions of a consultation the user may read, oldest first."""
    return _with_counts(
        Contribution.objects.visible_to(user).filter(consultation=consultation, parent=None),
        user=user,
    ).order_by("created_at", "pk")


def contribution_detail(*, user: User | AnonymousUser | None) -> QuerySet[Contribution]:
    """Contributions the user may read, one at a time; their replies are a list of their own."""
    return _with_counts(Contribution.objects.visible_to(user), user=user)


def contribution_replies(
    *, contribution: Contribution, user: User | AnonymousUser | None
) -> QuerySet[Contribution]:
    """The direct replies to a contribution that the user may read, oldest first."""
    return _with_counts(
        Contribution.objects.visible_to(user).filter(parent=contribution), user=user
    ).order_by("created_at", "pk")


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
