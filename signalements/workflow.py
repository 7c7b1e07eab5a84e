"""The ticket workflow of a report: its states, the moves between them, who may make each
move, and what a move records and tells.

This module is the only code that writes a report's status and the dates the workflow keeps
(acknowledged, resolved, closed, and the due dates). Filing, staff moves, the reporter's
reopening, duplicates, transfers, the back-office and Open311 updates all come through here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.errors import Conflict
from backend.models import Direction, User
from push import services as push_services
from push.models import Kind as PushKind
from push.texts import bilingual
from signalements.models import (
    OPEN_STATUSES,
    Follow,
    RejectReason,
    Signalement,
    SignalementEvent,
    Status,
)

# The fields only this module writes.
WORKFLOW_FIELDS = frozenset(
    {
        "status",
        "acknowledged_at",
        "resolved_at",
        "closed_at",
        "acknowledge_due_at",
        "resolve_due_at",
    }
)


@dataclass(frozen=True)
class State:
    """One state of a report: whether it is open, where staff and the reporter may take it,
    and the title of the notification that announces it."""

    status: Status
    staff_moves: frozenset[str]
    reporter_moves: frozenset[str] = frozenset()
    title: Promise | None = None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


STATES: dict[str, State] = {
    state.status: state
    for state in [
        State(
            Status.NEW,
            staff_moves=frozenset({Status.ACKNOWLEDGED, Status.REJECTED}),
        ),
        State(
            Status.ACKNOWLEDGED,
            staff_moves=frozenset(
                {Status.SCHEDULED, Status.IN_PROGRESS, Status.RESOLVED, Status.REJECTED}
            ),
            title=gettext_lazy("Your report was acknowledged"),
        ),
        State(
            Status.SCHEDULED,
            staff_moves=frozenset({Status.IN_PROGRESS, Status.RESOLVED, Status.REJECTED}),
            title=gettext_lazy("Work on your report is scheduled"),
        ),
        State(
            Status.IN_PROGRESS,
            staff_moves=frozenset({Status.SCHEDULED, Status.RESOLVED, Status.REJECTED}),
            title=gettext_lazy("Work on your report is in progress"),
        ),
        State(
            Status.RESOLVED,
            staff_moves=frozenset({Status.CLOSED}),
            # The reporter may reopen a resolved report while the problem is fresh.
            reporter_moves=frozenset({Status.REOPENED}),
            title=gettext_lazy("The problem is resolved"),
        ),
        State(
            Status.CLOSED,
            staff_moves=frozenset(),
            title=gettext_lazy("Your report is closed"),
        ),
        State(
            Status.REJECTED,
            staff_moves=frozenset(),
            title=gettext_lazy("Your report was not accepted"),
        ),
        State(
            Status.REOPENED,
            staff_moves=frozenset(
                {
                    Status.ACKNOWLEDGED,
                    Status.SCHEDULED,
                    Status.IN_PROGRESS,
                    Status.RESOLVED,
                    Status.REJECTED,
                }
            ),
            title=gettext_lazy("The report was reopened"),
        ),
    ]
}

# Read-only views of the table, for tests and screens.
STAFF_TRANSITIONS: dict[str, set[str]] = {s: set(st.staff_moves) for s, st in STATES.items()}
REPORTER_TRANSITIONS: dict[str, set[str]] = {
    s: set(st.reporter_moves) for s, st in STATES.items() if st.reporter_moves
}
STATUS_TITLES: dict[str, Promise] = {
    s: st.title for s, st in STATES.items() if st.title is not None
}
REOPEN_WINDOW = timedelta(days=30)
INITIAL = Status.NEW


def is_open(status: str) -> bool:
    """Whether a report in this status still waits for the city."""
    return STATES[status].is_open


def allowed(*, current: str, target: str, as_reporter: bool) -> bool:
    state = STATES[current]
    return target in (state.reporter_moves if as_reporter else state.staff_moves)


def reopen_in_time(*, resolved_at: datetime | None, now: datetime) -> bool:
    """Whether a reporter's reopening comes within REOPEN_WINDOW of the resolution."""
    return resolved_at is None or now - resolved_at <= REOPEN_WINDOW


def reporter_may_reopen(*, status: str, resolved_at: datetime | None, now: datetime) -> bool:
    """The reporter's reopening rule that ``transition`` enforces, for screens to show it."""
    return allowed(current=status, target=Status.REOPENED, as_reporter=True) and reopen_in_time(
        resolved_at=resolved_at, now=now
    )


# Who -----------------------------------------------------------------------------------------


def is_staff_of(*, user: User | None, signalement: Signalement) -> bool:
    """Whether the user handles the report (``Signalement.objects.staffed_by``)."""
    return Signalement.objects.staffed_by(user).filter(pk=signalement.pk).exists()


def locked(signalement: Signalement) -> Signalement:
    """The report, read again under a row lock for the rest of the transaction."""
    return (
        Signalement.objects.select_for_update(of=("self",))
        .select_related("category", "reporter")
        .get(pk=signalement.pk)
    )


# What a move tells ---------------------------------------------------------------------------


def audience(signalement: Signalement) -> list[User]:
    """The reporter and the followers (the reporters of duplicates follow the original)."""
    users = {f.user_id: f.user for f in signalement.follows.select_related("user")}
    if signalement.reporter_id:
        users[signalement.reporter_id] = signalement.reporter
    return [user for user in users.values() if user is not None]


def _tell_public(signalement: Signalement, *, title: Promise, message: str) -> None:
    push_services.notify(
        users=audience(signalement),
        kind=PushKind.MY_REPORTS,
        title=bilingual(title),
        body=bilingual(message or signalement.category.name),
        link_type="signalement",
        link_id=signalement.pk,
        collapse_key=f"signalement-{signalement.pk}",
    )


def tell_assignee(signalement: Signalement, title: dict[str, str]) -> None:
    """Tell the agent in charge; ``title`` in both languages (``push.texts.bilingual``)."""
    push_services.notify(
        users=[signalement.assigned_to],
        kind=PushKind.STAFF,
        title=title,
        body=bilingual(signalement.category.name),
        link_type="agent-signalement",
        link_id=signalement.pk,
        collapse_key=f"agent-signalement-{signalement.pk}",
    )


# What a move records -------------------------------------------------------------------------


def due_dates_set(*, signalement: Signalement, start: datetime | None = None) -> None:
    """Set the dates by which the report must be acknowledged and resolved (calendar hours)."""
    start = start or signalement.created_at or timezone.now()
    category = signalement.category
    hours, days = category.hours_to_acknowledge, category.days_to_resolve
    signalement.acknowledge_due_at = start + timedelta(hours=hours) if hours else None
    signalement.resolve_due_at = start + timedelta(days=days) if days else None


def _enter(signalement: Signalement, status: str, now: datetime) -> None:
    """Put the report in ``status`` with the dates that state keeps (unsaved)."""
    signalement.status = status
    if status == Status.ACKNOWLEDGED and signalement.acknowledged_at is None:
        signalement.acknowledged_at = now
    if status == Status.RESOLVED:
        signalement.resolved_at = now
        if signalement.acknowledged_at is None:
            signalement.acknowledged_at = now
    if status == Status.CLOSED:
        signalement.closed_at = now
    if status == Status.REOPENED:
        signalement.resolved_at = None
        due_dates_set(signalement=signalement, start=now)


# The moves -----------------------------------------------------------------------------------


def filed(*, signalement: Signalement, reporter: User | None) -> SignalementEvent:
    """Start a report just saved by the filing service: its first state and due dates."""
    if signalement.status != INITIAL:
        raise ValueError("A report is filed in its initial state.")
    due_dates_set(signalement=signalement)
    signalement.save(update_fields=["acknowledge_due_at", "resolve_due_at"])
    return SignalementEvent.objects.create(
        signalement=signalement,
        kind=SignalementEvent.Kind.STATUS,
        status=INITIAL,
        author=reporter,
        is_public=True,
    )


@transaction.atomic
def transition(
    *,
    signalement: Signalement,
    actor: User | None = None,
    status: str,
    public_message: str = "",
    internal_note: str = "",
    reject_reason: str = "",
    external: bool = False,
    kind: str = SignalementEvent.Kind.STATUS,
    duplicate_of: Signalement | None = None,
) -> SignalementEvent:
    """Move a report to another status by the table above, and record and announce it.

    ``external`` is a city system pushing its own status change (Open311), held to
    the same table as staff. Raises Conflict (409) for a move the table forbids.
    """
    signalement = locked(signalement)
    if status not in Status.values:
        raise ValidationError({"status": [_("Unknown status.")]})
    as_reporter = False
    if not external and not is_staff_of(user=actor, signalement=signalement):
        if actor is None or actor.pk != signalement.reporter_id:
            raise PermissionDenied(
                _("Only the staff in charge of the report or its reporter may move it.")
            )
        as_reporter = True
    if not allowed(current=signalement.status, target=status, as_reporter=as_reporter):
        raise Conflict(
            _("A report cannot go from “%(current)s” to “%(target)s”.")
            % {
                "current": Status(signalement.status).label,
                "target": Status(status).label,
            }
        )
    now = timezone.now()
    late = not reopen_in_time(resolved_at=signalement.resolved_at, now=now)
    if as_reporter and status == Status.REOPENED and late:
        raise Conflict(_("A report can only be reopened within 30 days of its resolution."))
    if status == Status.REJECTED:
        if reject_reason not in RejectReason.values:
            raise ValidationError(
                {"reject_reason": [_("Give the reason for rejecting the report.")]}
            )
        signalement.reject_reason = reject_reason
    if duplicate_of is not None:
        signalement.duplicate_of = duplicate_of

    _enter(signalement, status, now)
    signalement.save()
    message = public_message.strip()
    event = SignalementEvent.objects.create(
        signalement=signalement,
        kind=kind,
        status=status,
        message=message,
        internal_note=internal_note.strip(),
        direction_id=signalement.direction_id,
        author=actor,
        is_public=True,
    )
    title = STATES[status].title
    if not (as_reporter and status == Status.REOPENED):
        _tell_public(signalement, title=title, message=message)
    if signalement.assigned_to_id and signalement.assigned_to_id != getattr(actor, "pk", None):
        tell_assignee(
            signalement,
            bilingual(gettext_lazy("%(title)s (#%(number)s)"), title=title, number=signalement.pk),
        )
    return event


@transaction.atomic
def mark_duplicate(
    *, signalement: Signalement, actor: User, original: Signalement
) -> SignalementEvent:
    """Reject a report as a duplicate; its reporter and followers follow the original.

    The public timeline names the original and its public messages reach the
    duplicate's followers: it must be a report of the agent's own queue, and a
    public report may only duplicate a public one.
    """
    signalement = locked(signalement)
    if original.pk == signalement.pk or original.duplicate_of_id == signalement.pk:
        raise ValidationError({"original": [_("A report cannot duplicate itself.")]})
    if not Signalement.objects.for_agent(actor).filter(pk=original.pk).exists():
        raise ValidationError(
            {"original": [_("The original must be a report of your directions' queue.")]}
        )
    public = Signalement.objects.public()
    if public.filter(pk=signalement.pk).exists() and not public.filter(pk=original.pk).exists():
        raise ValidationError(
            {"original": [_("A public report cannot be a duplicate of a private report.")]}
        )
    if not is_open(signalement.status):
        raise Conflict(_("Only an open report can be marked as a duplicate."))
    for user in audience(signalement):
        if user.pk != original.reporter_id:
            Follow.objects.get_or_create(signalement=original, user=user)
    return transition(
        signalement=signalement,
        actor=actor,
        status=Status.REJECTED,
        reject_reason=RejectReason.DUPLICATE,
        public_message=_("This problem was already reported: follow report #%(id)s.")
        % {"id": original.pk},
        kind=SignalementEvent.Kind.DUPLICATE,
        duplicate_of=original,
    )


@transaction.atomic
def transfer(
    *, signalement: Signalement, actor: User, direction: Direction, reason: str
) -> Signalement:
    """Hand the report to another direction (of this or another organisation)."""
    signalement = locked(signalement)
    if direction.pk == signalement.direction_id:
        raise ValidationError({"direction": [_("The report is already with this direction.")]})
    if not direction.is_active:
        raise ValidationError({"direction": [_("This direction is not active.")]})
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the report is transferred.")]})
    previous = signalement.direction
    signalement.direction = direction
    signalement.assigned_to = None
    signalement.routing_rule = None
    signalement.routing_reason = ""
    signalement.routing_explanation = (
        f"Transféré par {actor.display_name} depuis {previous.name if previous else '—'} : "
        f"{reason.strip()}"
    )[:300]
    signalement.save()
    SignalementEvent.objects.create(
        signalement=signalement,
        kind=SignalementEvent.Kind.TRANSFER,
        message=_("The report was handed to %(direction)s.") % {"direction": direction.name},
        internal_note=reason.strip(),
        direction=direction,
        author=actor,
        is_public=True,
    )
    return signalement


def state_load(*, signalement: Signalement, status: str) -> None:
    """Give a report built in memory for a bulk load (the demo) the state its history ends in."""
    signalement.status = status


# What ``history_load`` sets, for the bulk update that saves it.
HISTORY_FIELDS = [
    "status",
    "acknowledge_due_at",
    "resolve_due_at",
    "acknowledged_at",
    "resolved_at",
    "closed_at",
]


def history_load(*, signalement: Signalement, steps: list[tuple[str, datetime]]) -> None:
    """Give a report loaded in bulk (the demo) the due dates and the dates of each state its
    history went through, as the moves would have set them (unsaved)."""
    due_dates_set(signalement=signalement, start=steps[0][1])
    for status, moment in steps:
        _enter(signalement, status, moment)
