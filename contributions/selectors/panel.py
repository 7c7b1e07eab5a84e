"""Who may see a citizen panel's pool, and the letters of its invitations."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth.models import AnonymousUser

from backend.models import OrganisationRole, User
from contributions.models import Panel, PoolPerson
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
