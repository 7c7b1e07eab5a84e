"""The participation officer imports the panel's pool: an extract of the electoral lists."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from backend.errors import Conflict
from backend.models import OrganisationRole, User
from contributions import sortition
from contributions.models import Panel, PoolPerson
from contributions.selectors.panel import is_participation_officer
from contributions.services.panel import panel_draw_invitations, panel_pool_import
from tests.contributions.pool_factory import HEADER, pool_csv, pool_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def panel(agglomeration) -> Panel:
    return Panel.objects.create(
        organisation=agglomeration, slug="panel-2027", title="Panel citoyen 2027"
    )


def test_a_pool_of_fifty_thousand_people_is_imported_with_its_hash(panel):
    rows = pool_rows(50_000)
    result = panel_pool_import(panel=panel, data=pool_csv(rows))
    panel.refresh_from_db()
    assert result.imported == panel.pool_size == PoolPerson.objects.filter(panel=panel).count()
    assert result.imported == 50_000 and result.rejected == []
    person = PoolPerson.objects.select_related("commune").get(panel=panel, number=17)
    assert [person.last_name, person.commune.name] == [rows[16][0], rows[16][6]]
    # The hash is the canonical text's, rows in file order, dates as AAAA-MM-JJ.
    expected = sortition.pool_hash(
        sortition.canonical_line([*r[:3], "-".join(reversed(r[3].split("/"))), *r[4:]])
        for r in rows
    )
    assert panel.pool_hash == expected


def test_rows_are_checked_one_by_one_and_refused_rows_reported(panel):
    good = pool_rows(3)
    bad = [
        ["", "Marie", "F", "01/02/1980", "3 rue Haute", "30000", "Nîmes"],
        ["DUPONT", "Jean", "X", "01/02/1980", "3 rue Haute", "30000", "Nîmes"],
        ["DUPONT", "Jean", "M", "31/02/1980", "3 rue Haute", "30000", "Nîmes"],
        ["DUPONT", "Léo", "M", "01/02/2015", "3 rue Haute", "30000", "Nîmes"],
        ["DUPONT", "Jean", "M", "01/02/1980", "3 rue Haute", "3000", "Nîmes"],
        ["DUPONT", "Jean", "M", "01/02/1980", "3 rue Haute", "13200", "Arles"],
    ]
    result = panel_pool_import(panel=panel, data=pool_csv([good[0], *bad, *good[1:]]))
    assert result.imported == 3
    assert [(r["line"], r["field"]) for r in result.rejected] == [
        (3, "last_name"),
        (4, "sex"),
        (5, "birth_date"),
        (6, "birth_date"),
        (7, "postcode"),
        (8, "commune"),
    ]
    assert all(r["message"] for r in result.rejected)
    assert list(PoolPerson.objects.filter(panel=panel).values_list("number", flat=True)) == [
        1,
        2,
        3,
    ]


def test_column_names_are_read_as_people_write_them(panel):
    header = ["NOM", "Prenoms", "Sexe", "Date_de_naissance", "Adresse", "Code-Postal", "Commune"]
    rows = [["MARTIN", "Lucie", "Féminin", "1975-06-30", "4 rue Basse", "30900", "nimes"]]
    assert panel_pool_import(panel=panel, data=pool_csv(rows, header=header)).imported == 1
    person = PoolPerson.objects.get(panel=panel)
    assert (person.sex, person.commune.insee_code) == ("F", "30189")


def test_a_file_that_cannot_be_read_changes_nothing(panel):
    panel_pool_import(panel=panel, data=pool_csv(pool_rows(10)))
    kept = panel.__class__.objects.get(pk=panel.pk).pool_hash
    without_sex = [name for name in HEADER if name != "sexe"]
    with pytest.raises(ValidationError) as refused:
        panel_pool_import(panel=panel, data=pool_csv([["A"] * 6], header=without_sex))
    assert "sex" in str(refused.value.message_dict["file"])
    with pytest.raises(ValidationError):
        panel_pool_import(panel=panel, data=pool_csv([["", "", "", "", "", "", ""]] * 2))
    assert PoolPerson.objects.filter(panel=panel).count() == 10
    assert Panel.objects.get(pk=panel.pk).pool_hash == kept


def test_importing_again_replaces_the_pool_until_the_invitations_are_drawn(panel):
    panel_pool_import(panel=panel, data=pool_csv(pool_rows(10)))
    first = Panel.objects.get(pk=panel.pk).pool_hash
    panel_pool_import(panel=panel, data=pool_csv(pool_rows(7, seed=1)))
    panel.refresh_from_db()
    assert panel.pool_size == PoolPerson.objects.filter(panel=panel).count() == 7
    assert panel.pool_hash != first
    panel_draw_invitations(panel=panel, seed="3 14 15 27 41 - 6")
    with pytest.raises(Conflict):
        panel_pool_import(panel=panel, data=pool_csv(pool_rows(10)))


def test_only_the_organisations_participation_officers_see_the_pool(panel, org_admin, moderator):
    officer = User.objects.create_user(email="participation@example.test", password="x" * 12)
    OrganisationRole.objects.create(
        user=officer, organisation=panel.organisation, role=OrganisationRole.Role.PARTICIPATION
    )
    assert is_participation_officer(user=officer, panel=panel)
    assert not is_participation_officer(user=org_admin, panel=panel)
    assert not is_participation_officer(user=moderator, panel=panel)
