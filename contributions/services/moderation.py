"""Moderators' decisions on contributions, logged and told to the author."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.errors import Conflict
from backend.models import User
from contributions.models import CharterReason, Contribution, ModerationDecision
from push import services as push
from push.models import Kind
from push.texts import bilingual


def _reason_text(reason: CharterReason | None, message: str) -> str:
    parts = [f"{reason.article} – {reason.label}"] if reason else []
    if message:
        parts.append(message)
    return "\n".join(parts)


_DECISIONS: dict[str, tuple[set[str], str]] = {
    ModerationDecision.Action.PUBLISH: ({Contribution.State.PENDING}, Contribution.State.PUBLISHED),
    ModerationDecision.Action.REJECT: ({Contribution.State.PENDING}, Contribution.State.REJECTED),
    ModerationDecision.Action.HIDE: ({Contribution.State.PUBLISHED}, Contribution.State.HIDDEN),
    ModerationDecision.Action.RESTORE: (
        {Contribution.State.HIDDEN, Contribution.State.REJECTED},
        Contribution.State.PUBLISHED,
    ),
}


REASON_REQUIRED = {ModerationDecision.Action.REJECT, ModerationDecision.Action.HIDE}


MODERATION_ACTIONS = list(_DECISIONS)


_DECISION_TITLES = {
    ModerationDecision.Action.PUBLISH: gettext_lazy("Your contribution is published"),
    ModerationDecision.Action.REJECT: gettext_lazy("Your contribution was rejected"),
    ModerationDecision.Action.HIDE: gettext_lazy("Your contribution was hidden"),
    ModerationDecision.Action.RESTORE: gettext_lazy("Your contribution is visible again"),
}


def moderation_decide(
    *,
    contribution_id: int,
    moderator: User,
    action: str,
    reason: CharterReason | None = None,
    message: str = "",
) -> Contribution:
    """Publish, reject, hide or restore; logged, and the author is told why."""
    if action not in _DECISIONS:
        raise ValidationError({"action": _("Unknown moderation action.")})
    with transaction.atomic():
        contribution = (
            Contribution.objects.select_for_update(of=("self",))
            .select_related("consultation", "author")
            .get(pk=contribution_id)
        )
        organisation_id = contribution.consultation.organisation_id
        sources, target = _DECISIONS[action]
        flagged = contribution.flagged_at is not None
        if flagged and action in (
            ModerationDecision.Action.PUBLISH,
            ModerationDecision.Action.HIDE,
        ):
            # Hidden by flags: publishing or restoring keeps it, hiding confirms it.
            sources = sources | {Contribution.State.HIDDEN}
        if contribution.state not in sources:
            raise Conflict(
                _("A contribution that is %(state)s cannot be given this decision.")
                % {"state": contribution.get_state_display()}
            )
        if action in REASON_REQUIRED and reason is None:
            raise ValidationError({"reason": _("Cite the rule of the charter this breaks.")})
        if reason is not None and reason.organisation_id != organisation_id:
            raise ValidationError({"reason": _("Choose a reason of the organisation's charter.")})
        now = timezone.now()
        from_state = contribution.state
        contribution.state = target
        contribution.flagged_at = None
        contribution.reviewed_at = now
        contribution.moderation_reason = reason
        contribution.moderation_message = message
        if target == Contribution.State.PUBLISHED and contribution.published_at is None:
            contribution.published_at = now
        contribution.save(
            update_fields=[
                "state",
                "flagged_at",
                "reviewed_at",
                "moderation_reason",
                "moderation_message",
                "published_at",
            ]
        )
        ModerationDecision.objects.create(
            organisation_id=organisation_id,
            contribution=contribution,
            moderator=moderator,
            action=action,
            from_state=from_state,
            to_state=target,
            reason=reason,
            message=message,
            created_at=now,
        )
        text = _reason_text(reason, message) or contribution.consultation.title
        push.notify(
            users=[contribution.author],
            kind=Kind.MODERATION,
            title=bilingual(_DECISION_TITLES[action]),
            body=bilingual(text),
            link_type="contribution",
            link_id=contribution.pk,
            collapse_key=f"contribution-{contribution.pk}-decision-{now.timestamp()}",
        )
    return contribution
