"""Who may see a citizen panel's pool, and the letters of its invitations."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from backend.models import OrganisationRole, User
from contributions import sortition
from contributions.models import Panel, PanelVolunteer, PoolPerson
from contributions.selectors._common import _logged_in


def is_participation_officer(*, user: User | AnonymousUser | None, panel: Panel) -> bool:
    """The pool is personal data of people who did not sign up: only the participation
    officers of the panel's organisation see it."""
    return (
        _logged_in(user)
        and OrganisationRole.objects.filter(
            user=user,
            organisation_id=panel.organisation_id,
            role=OrganisationRole.Role.PARTICIPATION,
        ).exists()
    )


LETTER_COLUMNS = ["numero", "nom", "prenoms", "adresse", "code_postal", "commune", "code"]


def panel_letters(*, panel: Panel) -> Iterator[list[str]]:
    """The mail-merge rows of the invitation letters, header first, in draw order."""
    yield LETTER_COLUMNS
    people = {
        person.number: person
        for person in PoolPerson.objects.filter(panel=panel)
        .exclude(invitation_code="")
        .select_related("commune")
        .only(
            "number",
            "last_name",
            "first_names",
            "address",
            "postcode",
            "invitation_code",
            "commune__name",
        )
    }
    for number in panel.invited_numbers:
        person = people[number]
        yield [
            str(number),
            person.last_name,
            person.first_names,
            person.address,
            person.postcode,
            person.commune.name,
            person.invitation_code,
        ]


def panel_members(*, panel_id: int) -> list[User]:
    """The accounts of a panel's members (those who registered by post have none)."""
    seats = PanelVolunteer.objects.filter(
        panel_id=panel_id, status=PanelVolunteer.Status.MEMBER, user__isnull=False
    ).select_related("user")
    return [seat.user for seat in seats]


def panel_volunteers_text(*, panel: Panel) -> str:
    """The volunteers as stage 2 reads them and the record publishes them: numbers and the
    criteria they declared, never a name (``contributions.sortition.volunteers_text``)."""
    return sortition.volunteers_text(
        list(panel.criterion_values()),
        panel.volunteers.values_list("number", "answers"),
    )


MEMBER_COLUMNS = [
    "numero",
    "statut",
    "nom",
    "prenoms",
    "adresse",
    "code_postal",
    "commune",
    "courriel",
    "compte",
]


def panel_member_letters(*, panel: Panel) -> Iterator[list[str]]:
    """The officer's list of members and reserve, to write to those without e-mail."""
    yield MEMBER_COLUMNS
    seats = panel.volunteers.filter(
        status__in=[PanelVolunteer.Status.MEMBER, PanelVolunteer.Status.RESERVE]
    ).order_by("status", "reserve_rank", "number")
    for seat in seats:
        yield [
            str(seat.number),
            seat.get_status_display(),
            seat.last_name,
            seat.first_names,
            seat.address,
            seat.postcode,
            seat.commune_name,
            seat.email,
            "oui" if seat.user_id else "non",
        ]


def panels_of_member(*, user: User | AnonymousUser | None) -> QuerySet[Panel]:
    return Panel.objects.with_member(user).select_related("organisation")
