"""Moderation is one state machine: its moves, who makes them, and a decision for each."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.exceptions import PermissionDenied

from backend.errors import Conflict
from contributions.models import Contribution, ModerationDecision, ModerationSettings
from contributions.services.contributions import (
    contribution_create,
    contribution_flag,
    contribution_update,
)
from contributions.services.moderation import (
    INITIAL_STATES,
    MODERATION_ACTIONS,
    moderation_decide,
    moderation_load,
)

pytestmark = pytest.mark.django_db

STATES = ["pending", "published", "rejected", "hidden"]

# Where a moderator's decision takes a contribution from each state; absent: refused.
MODERATOR_MOVES = {
    ("publish", "pending"): "published",
    ("reject", "pending"): "rejected",
    ("hide", "published"): "hidden",
    ("restore", "hidden"): "published",
    ("restore", "rejected"): "published",
}


def test_the_moderators_actions_are_the_four_decisions():
    assert sorted(MODERATION_ACTIONS) == ["hide", "publish", "reject", "restore"]


def test_a_new_contribution_starts_as_its_consultation_moderation_mode_says():
    assert INITIAL_STATES == {"a_priori": "pending", "a_posteriori": "published"}


@pytest.mark.parametrize("action", ["publish", "reject", "hide", "restore"])
@pytest.mark.parametrize("state", STATES)
def test_a_decision_moves_only_where_the_table_allows_and_is_logged(
    open_consultation, citizen, moderator, reason, action, state
):
    consultation = open_consultation("table")
    contribution = moderation_load(
        consultation=consultation,
        author=citizen,
        kind="idea",
        body="Une idée",
        state=state,
        created_at=timezone.now(),
    )
    target = MODERATOR_MOVES.get((action, state))

    if target is None:
        with pytest.raises(Conflict):
            moderation_decide(
                contribution_id=contribution.pk, moderator=moderator, action=action, reason=reason
            )
        contribution.refresh_from_db()
        assert contribution.state == state
        assert not contribution.decisions.exists()
        return

    moderation_decide(
        contribution_id=contribution.pk, moderator=moderator, action=action, reason=reason
    )
    contribution.refresh_from_db()
    assert contribution.state == target
    decision = contribution.decisions.get()
    assert (decision.action, decision.from_state, decision.to_state) == (action, state, target)
    assert decision.moderator == moderator


@pytest.mark.parametrize(("action", "target"), [("publish", "published"), ("hide", "hidden")])
def test_a_contribution_hidden_by_flags_is_kept_or_confirmed(
    open_consultation, citizen, moderator, reason, action, target
):
    contribution = moderation_load(
        consultation=open_consultation("signalee"),
        author=citizen,
        kind="idea",
        body="Une idée",
        state="hidden",
        flagged_at=timezone.now(),
        created_at=timezone.now(),
    )

    moderation_decide(
        contribution_id=contribution.pk, moderator=moderator, action=action, reason=reason
    )

    contribution.refresh_from_db()
    assert (contribution.state, contribution.flagged_at) == (target, None)
    assert contribution.decisions.get().from_state == "hidden"


def test_only_a_moderator_of_the_organisation_decides(open_consultation, citizen, other_citizen):
    contribution = contribution_create(
        consultation=open_consultation("a-priori", moderation_mode="a_priori"),
        author=citizen,
        kind="idea",
        body="Une idée",
    )

    with pytest.raises(PermissionDenied):
        moderation_decide(
            contribution_id=contribution.pk, moderator=other_citizen, action="publish"
        )

    contribution.refresh_from_db()
    assert contribution.state == "pending"
    assert not contribution.decisions.exists()


@pytest.mark.parametrize("decision", ["publish", "reject", "hide"])
def test_an_author_edit_under_a_priori_goes_back_to_the_queue_with_a_logged_decision(
    open_consultation, citizen, moderator, reason, decision
):
    contribution = contribution_create(
        consultation=open_consultation("a-priori", moderation_mode="a_priori"),
        author=citizen,
        kind="idea",
        body="Une idée",
    )
    if decision == "hide":
        moderation_decide(contribution_id=contribution.pk, moderator=moderator, action="publish")
    moderation_decide(
        contribution_id=contribution.pk, moderator=moderator, action=decision, reason=reason
    )
    contribution.refresh_from_db()
    before = contribution.state

    contribution_update(contribution=contribution, body="Une idée, mieux dite")

    contribution.refresh_from_db()
    assert contribution.state == "pending"
    resubmitted = contribution.decisions.order_by("-pk").first()
    assert (resubmitted.action, resubmitted.from_state, resubmitted.to_state) == (
        ModerationDecision.Action.RESUBMIT,
        before,
        "pending",
    )
    assert resubmitted.moderator is None
    assert contribution.body == "Une idée, mieux dite"


def test_an_edit_of_a_pending_contribution_or_under_a_posteriori_changes_no_state(
    open_consultation, citizen
):
    pending = contribution_create(
        consultation=open_consultation("a-priori", moderation_mode="a_priori"),
        author=citizen,
        kind="idea",
        body="Une idée",
    )
    published = contribution_create(
        consultation=open_consultation("a-posteriori"), author=citizen, kind="idea", body="Idée"
    )

    contribution_update(contribution=pending, body="Une idée modifiée")
    contribution_update(contribution=published, body="Idée modifiée")

    assert Contribution.objects.get(pk=pending.pk).state == "pending"
    assert Contribution.objects.get(pk=published.pk).state == "published"
    assert not ModerationDecision.objects.filter(contribution__in=[pending, published]).exists()


def test_an_edit_does_not_undo_a_decision_made_since_the_author_opened_it(
    open_consultation, citizen, moderator, reason
):
    contribution = contribution_create(
        consultation=open_consultation("a-posteriori"), author=citizen, kind="idea", body="Idée"
    )
    opened = Contribution.objects.get(pk=contribution.pk)
    moderation_decide(
        contribution_id=contribution.pk, moderator=moderator, action="hide", reason=reason
    )

    contribution_update(contribution=opened, body="Idée modifiée")

    contribution.refresh_from_db()
    assert (contribution.state, contribution.body) == ("hidden", "Idée modifiée")


def _replays(contribution: Contribution) -> bool:
    """Whether the log, read from the first state, ends in the contribution's state."""
    state = INITIAL_STATES[contribution.consultation.moderation_mode]
    for decision in contribution.decisions.order_by("created_at", "pk"):
        if decision.from_state != state:
            return False
        state = decision.to_state
    return state == contribution.state


def test_every_change_of_state_leaves_a_decision_in_the_log(
    open_consultation, agglomeration, citizen, other_citizen, moderator, reason
):
    ModerationSettings.objects.update_or_create(
        organisation=agglomeration, defaults={"flag_threshold": 1}
    )
    a_priori = open_consultation("a-priori", moderation_mode="a_priori")
    a_posteriori = open_consultation("a-posteriori")

    def decide(contribution: Contribution, action: str) -> None:
        moderation_decide(
            contribution_id=contribution.pk, moderator=moderator, action=action, reason=reason
        )

    def edit(contribution: Contribution) -> None:
        contribution_update(contribution=contribution, body=f"{contribution.body}, modifiée")

    def flag(contribution: Contribution) -> None:
        contribution_flag(contribution_id=contribution.pk, user=other_citizen, reason=reason)

    first = contribution_create(consultation=a_priori, author=citizen, kind="idea", body="Un")
    decide(first, "publish")
    edit(first)
    decide(first, "publish")
    flag(first)
    edit(first)
    decide(first, "publish")
    edit(first)
    second = contribution_create(consultation=a_priori, author=citizen, kind="idea", body="Deux")
    decide(second, "reject")
    edit(second)
    decide(second, "reject")
    decide(second, "restore")
    third = contribution_create(consultation=a_posteriori, author=citizen, kind="idea", body="3")
    flag(third)
    edit(third)
    decide(third, "restore")
    decide(third, "hide")
    edit(third)

    ours = [first.pk, second.pk, third.pk]
    contributions = list(Contribution.objects.filter(pk__in=ours).select_related("consultation"))
    decisions = ModerationDecision.objects.filter(contribution__in=ours)
    assert decisions.count() == 14
    assert {decision.action for decision in decisions} == {
        "publish",
        "reject",
        "hide",
        "restore",
        "auto_hide",
        "resubmit",
    }
    assert [c.pk for c in contributions if not _replays(c)] == []
