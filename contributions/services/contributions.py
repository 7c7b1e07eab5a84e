"""Writing, editing, supporting and flagging contributions."""

from __future__ import annotations

from typing import Any

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import PermissionDenied

from backend.errors import Conflict
from backend.models import User
from contributions.models import (
    CharterReason,
    Consultation,
    Contribution,
    ContributionFlag,
    ContributionSupport,
    Theme,
)
from contributions.services.consultations import consultation_check_participation
from contributions.services.moderation import (
    moderation_count_flags,
    moderation_resubmit,
    moderation_submit,
)
from geo.models import Commune
from geo.services import commune_locate

MAX_CONTRIBUTION_LENGTH = 5000


class _Unset:
    """Marks an argument the caller left out (None means "remove")."""


UNSET: Any = _Unset()


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("The text is empty.")})
    if len(body) > MAX_CONTRIBUTION_LENGTH:
        raise ValidationError(
            {
                "body": _("The text is limited to %(max)d characters.")
                % {"max": MAX_CONTRIBUTION_LENGTH}
            }
        )
    return body


def _place(consultation: Consultation, location: Point | None) -> Commune | None:
    """Check the point lies within the consultation's scope; return its commune."""
    if location is None:
        return None
    scoped = consultation.area is not None or consultation.communes.exists()
    if scoped and not (
        Consultation.objects.filter(pk=consultation.pk)
        .filter(Q(area__intersects=location) | Q(communes__geometry__intersects=location))
        .exists()
    ):
        raise ValidationError(
            {"location": _("This place is outside the perimeter of the consultation.")}
        )
    return commune_locate(point=location)


def _check_theme(consultation: Consultation, theme: Theme | None) -> None:
    if theme is not None and not consultation.themes.filter(pk=theme.pk).exists():
        raise ValidationError({"theme": _("This theme is not one of the consultation's.")})


@transaction.atomic
def contribution_create(
    *,
    consultation: Consultation,
    author: User,
    kind: str,
    body: str,
    parent: Contribution | None = None,
    location: Point | None = None,
    theme: Theme | None = None,
) -> Contribution:
    """Write an idea, a question or a comment; published at once only under a posteriori."""
    consultation_check_participation(consultation=consultation)
    if kind == Contribution.Kind.COMMENT:
        if not consultation.comments_allowed:
            raise ValidationError({"kind": _("Comments are not enabled on this consultation.")})
        if parent is None:
            raise ValidationError({"parent": _("A comment replies to a contribution.")})
        if parent.consultation_id != consultation.pk:
            raise ValidationError(
                {"parent": _("This contribution belongs to another consultation.")}
            )
        if parent.state != Contribution.State.PUBLISHED:
            raise Conflict(_("Only published contributions can be answered with a comment."))
        if parent.depth + 1 > Contribution.MAX_DEPTH:
            raise ValidationError({"parent": _("Replies go two levels deep at most.")})
    else:
        if parent is not None:
            raise ValidationError({"parent": _("Only comments reply to a contribution.")})
        if not consultation.contributions_allowed:
            raise ValidationError({"kind": _("This consultation takes no contributions.")})
        if kind == Contribution.Kind.QUESTION and not consultation.questions_allowed:
            raise ValidationError({"kind": _("Questions are not enabled on this consultation.")})
    _check_theme(consultation, theme)
    return moderation_submit(
        consultation=consultation,
        created_at=timezone.now(),
        author=author,
        kind=kind,
        parent=parent,
        depth=parent.depth + 1 if parent else 0,
        body=_clean_body(body),
        location=location,
        commune=_place(consultation, location),
        theme=theme,
    )


@transaction.atomic
def contribution_update(
    *,
    contribution: Contribution,
    body: str | None = None,
    location: Point | None = UNSET,
    theme: Theme | None = UNSET,
) -> Contribution:
    """The author edits; under a priori moderation the text goes back to the queue."""
    # Locked and read afresh: the edit starts from any decision a moderator made meanwhile.
    contribution.refresh_from_db(from_queryset=Contribution.objects.select_for_update())
    consultation = contribution.consultation
    consultation_check_participation(consultation=consultation)
    if body is not None:
        contribution.body = _clean_body(body)
    if location is not UNSET:
        contribution.commune = _place(consultation, location)
        contribution.location = location
    if theme is not UNSET:
        _check_theme(consultation, theme)
        contribution.theme = theme
    contribution.edited_at = timezone.now()
    contribution.save(update_fields=["body", "location", "commune", "theme", "edited_at"])
    moderation_resubmit(contribution=contribution)
    return contribution


def contribution_support(*, contribution: Contribution, user: User) -> ContributionSupport:
    consultation_check_participation(consultation=contribution.consultation)
    if contribution.state != Contribution.State.PUBLISHED:
        raise Conflict(_("Only published contributions can be supported."))
    support, _created = ContributionSupport.objects.get_or_create(
        contribution=contribution, user=user
    )
    return support


def contribution_unsupport(*, contribution: Contribution, user: User) -> None:
    # The supports of a closed consultation are its record (key figures): they stay.
    consultation_check_participation(consultation=contribution.consultation)
    ContributionSupport.objects.filter(contribution=contribution, user=user).delete()


def contribution_flag(
    *, contribution_id: int, user: User, reason: CharterReason, comment: str = ""
) -> ContributionFlag:
    """Flag a published contribution; at the threshold it is hidden pending review."""
    with transaction.atomic():
        contribution = (
            Contribution.objects.select_for_update(of=("self",))
            .select_related("consultation")
            .get(pk=contribution_id)
        )
        organisation_id = contribution.consultation.organisation_id
        if contribution.author_id == user.pk:
            raise PermissionDenied(_("You cannot flag your own contribution."))
        if contribution.state != Contribution.State.PUBLISHED:
            raise Conflict(_("Only published contributions can be flagged."))
        if reason.organisation_id != organisation_id or not reason.is_active:
            raise ValidationError({"reason": _("Choose a reason of the organisation's charter.")})
        if ContributionFlag.objects.filter(contribution=contribution, user=user).exists():
            raise Conflict(_("You already flagged this contribution."))
        flag = ContributionFlag.objects.create(
            contribution=contribution, user=user, reason=reason, comment=comment
        )
        moderation_count_flags(contribution=contribution)
        return flag
