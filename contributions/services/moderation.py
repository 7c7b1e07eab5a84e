"""Moderation of contributions: one state machine.

Its table (``MOVES``) holds the states a contribution goes through, the moves between them,
who makes each move (a moderator, the flags of participants, the author editing) and what a
move does: the fields it sets, the decision it logs and who it tells. Every change of state
leaves a ``ModerationDecision`` in the log.

This module is the only code that writes a contribution's state and the moderation fields
(``MODERATION_FIELDS``): writing a contribution (its first state follows the consultation's
moderation mode), a moderator's decision, the flags reaching the threshold and the author's
edit all come through here, from the API and from the back-office alike.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import PermissionDenied

from backend.errors import Conflict
from backend.models import User
from contributions.models import CharterReason, Consultation, Contribution, ModerationDecision
from contributions.selectors.moderation import flag_threshold, organisation_moderators
from push import services as push
from push.models import Kind
from push.texts import bilingual

State = Contribution.State
Action = ModerationDecision.Action

# The fields only this module writes.
MODERATION_FIELDS = frozenset(
    {
        "state",
        "flagged_at",
        "reviewed_at",
        "moderation_reason",
        "moderation_reason_id",
        "moderation_message",
    }
)


class By(enum.StrEnum):
    """Who makes a move."""

    MODERATOR = "moderator"
    FLAGS = "flags"
    AUTHOR = "author"


@dataclass(frozen=True)
class Move:
    """One move of the machine: from which states, to which, by whom, and what it tells."""

    action: str
    sources: frozenset[str]
    target: str
    by: By
    reason_required: bool = False
    # Also allowed from "hidden" while the flags keep it hidden: publishing or restoring
    # keeps the contribution, hiding confirms the flags.
    from_flagged: bool = False
    tells_author: Promise | None = None
    tells_moderators: Promise | None = None


MOVES: dict[str, Move] = {
    move.action: move
    for move in [
        Move(
            Action.PUBLISH,
            frozenset({State.PENDING}),
            State.PUBLISHED,
            By.MODERATOR,
            from_flagged=True,
            tells_author=gettext_lazy("Your contribution is published"),
        ),
        Move(
            Action.REJECT,
            frozenset({State.PENDING}),
            State.REJECTED,
            By.MODERATOR,
            reason_required=True,
            tells_author=gettext_lazy("Your contribution was rejected"),
        ),
        Move(
            Action.HIDE,
            frozenset({State.PUBLISHED}),
            State.HIDDEN,
            By.MODERATOR,
            reason_required=True,
            from_flagged=True,
            tells_author=gettext_lazy("Your contribution was hidden"),
        ),
        Move(
            Action.RESTORE,
            frozenset({State.HIDDEN, State.REJECTED}),
            State.PUBLISHED,
            By.MODERATOR,
            tells_author=gettext_lazy("Your contribution is visible again"),
        ),
        Move(
            Action.AUTO_HIDE,
            frozenset({State.PUBLISHED}),
            State.HIDDEN,
            By.FLAGS,
            tells_moderators=gettext_lazy("A contribution was hidden after flags"),
        ),
        # Under a priori moderation, what a moderator saw is no longer what would be shown.
        Move(
            Action.RESUBMIT,
            frozenset({State.PUBLISHED, State.REJECTED, State.HIDDEN}),
            State.PENDING,
            By.AUTHOR,
        ),
    ]
}

# A new contribution's state, by the consultation's moderation mode.
INITIAL_STATES: dict[str, str] = {
    Consultation.Moderation.A_PRIORI: State.PENDING,
    Consultation.Moderation.A_POSTERIORI: State.PUBLISHED,
}

MODERATION_ACTIONS = [action for action, move in MOVES.items() if move.by is By.MODERATOR]
REASON_REQUIRED = {action for action, move in MOVES.items() if move.reason_required}


def sources_of(*, move: Move, contribution: Contribution) -> frozenset[str]:
    """The states this contribution may be in for the move."""
    if move.from_flagged and contribution.flagged_at is not None:
        return move.sources | {State.HIDDEN}
    return move.sources


def _check_fits(contribution: Contribution, move: Move) -> None:
    if contribution.state not in sources_of(move=move, contribution=contribution):
        raise Conflict(
            _("A contribution that is %(state)s cannot be given this decision.")
            % {"state": contribution.get_state_display()}
        )


def _reason_text(reason: CharterReason | None, message: str) -> str:
    parts = [f"{reason.article} – {reason.label}"] if reason else []
    if message:
        parts.append(message)
    return "\n".join(parts)


def _tell(contribution: Contribution, move: Move, decision: ModerationDecision) -> None:
    stamp = decision.created_at.timestamp()
    if move.tells_author is not None:
        text = _reason_text(decision.reason, decision.message) or contribution.consultation.title
        push.notify(
            users=[contribution.author],
            kind=Kind.MODERATION,
            title=bilingual(move.tells_author),
            body=bilingual(text),
            link_type="contribution",
            link_id=contribution.pk,
            collapse_key=f"contribution-{contribution.pk}-decision-{stamp}",
        )
    if move.tells_moderators is not None:
        push.notify(
            users=organisation_moderators(organisation_id=decision.organisation_id),
            kind=Kind.MODERATION,
            title=bilingual(move.tells_moderators),
            body=bilingual(contribution.consultation.title),
            link_type="moderation",
            link_id=contribution.pk,
            collapse_key=f"contribution-{contribution.pk}-flagged-{stamp}",
        )


def _make(
    contribution: Contribution,
    move: Move,
    *,
    moderator: User | None = None,
    reason: CharterReason | None = None,
    message: str = "",
) -> ModerationDecision:
    """Make the move on a locked contribution: its fields, the decision logged, the news."""
    _check_fits(contribution, move)
    now = timezone.now()
    from_state = contribution.state
    contribution.state = move.target
    fields = ["state"]
    if move.by is By.MODERATOR:
        # A moderator's decision settles the flags so far; later flags count from now.
        contribution.flagged_at = None
        contribution.reviewed_at = now
        contribution.moderation_reason = reason
        contribution.moderation_message = message
        fields += ["flagged_at", "reviewed_at", "moderation_reason", "moderation_message"]
    elif move.by is By.FLAGS:
        contribution.flagged_at = now
        fields.append("flagged_at")
    if move.target == State.PUBLISHED and contribution.published_at is None:
        contribution.published_at = now
        fields.append("published_at")
    contribution.save(update_fields=fields)
    decision = ModerationDecision.objects.create(
        organisation_id=contribution.consultation.organisation_id,
        contribution=contribution,
        moderator=moderator,
        action=move.action,
        from_state=from_state,
        to_state=move.target,
        reason=reason,
        message=message,
        created_at=now,
    )
    _tell(contribution, move, decision)
    return decision


def _locked(contribution_id: int) -> Contribution:
    return (
        Contribution.objects.select_for_update(of=("self",))
        .select_related("consultation", "author")
        .get(pk=contribution_id)
    )


# Entry points -------------------------------------------------------------------------


def moderation_submit(
    *, consultation: Consultation, created_at: datetime, **values: Any
) -> Contribution:
    """Write a new contribution in its first state: published at once only under a posteriori."""
    state = INITIAL_STATES[consultation.moderation_mode]
    return Contribution.objects.create(
        consultation=consultation,
        state=state,
        published_at=created_at if state == State.PUBLISHED else None,
        created_at=created_at,
        **values,
    )


def moderation_load(
    *,
    consultation: Consultation,
    state: str,
    created_at: datetime,
    flagged_at: datetime | None = None,
    **values: Any,
) -> Contribution:
    """Write a contribution already at the end of its history (the demo): nobody is told."""
    return Contribution.objects.create(
        consultation=consultation,
        state=state,
        flagged_at=flagged_at,
        published_at=created_at if state == State.PUBLISHED else None,
        created_at=created_at,
        **values,
    )


def moderation_decide(
    *,
    contribution_id: int,
    moderator: User,
    action: str,
    reason: CharterReason | None = None,
    message: str = "",
) -> Contribution:
    """Publish, reject, hide or restore; logged, and the author is told why."""
    move = MOVES.get(action)
    if move is None or move.by is not By.MODERATOR:
        raise ValidationError({"action": _("Unknown moderation action.")})
    with transaction.atomic():
        contribution = _locked(contribution_id)
        if not Contribution.objects.moderated_by(moderator).filter(pk=contribution.pk).exists():
            raise PermissionDenied(_("You do not moderate this consultation."))
        _check_fits(contribution, move)
        if move.reason_required and reason is None:
            raise ValidationError({"reason": _("Cite the rule of the charter this breaks.")})
        if (
            reason is not None
            and reason.organisation_id != contribution.consultation.organisation_id
        ):
            raise ValidationError({"reason": _("Choose a reason of the organisation's charter.")})
        _make(contribution, move, moderator=moderator, reason=reason, message=message)
    return contribution


def moderation_count_flags(*, contribution: Contribution) -> bool:
    """Hide a published contribution whose flags reached the threshold; whether it did.

    The caller holds the contribution's row locked, so that two flags crossing the threshold
    at the same time are counted one after the other: it is hidden, and moderators told, once.
    """
    if contribution.state not in MOVES[Action.AUTO_HIDE].sources:
        return False
    flags = contribution.flags.all()
    if contribution.reviewed_at is not None:
        # A moderator kept it: only the flags since then count.
        flags = flags.filter(created_at__gt=contribution.reviewed_at)
    organisation_id = contribution.consultation.organisation_id
    if flags.count() < flag_threshold(organisation_id=organisation_id):
        return False
    _make(contribution, MOVES[Action.AUTO_HIDE])
    return True


def moderation_resubmit(*, contribution: Contribution) -> bool:
    """The author edited: under a priori moderation it waits for a moderator again.

    The caller holds the contribution's row locked and read afresh. Whether it moved.
    """
    if contribution.consultation.moderation_mode != Consultation.Moderation.A_PRIORI:
        return False
    if contribution.state == State.PENDING:
        return False
    _make(contribution, MOVES[Action.RESUBMIT])
    return True
