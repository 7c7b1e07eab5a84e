"""People invited answer their letter with its code and the criteria they declare; members
then see their panel's consultations, which stay invisible to everyone else."""

from __future__ import annotations

import pytest

from contributions.models import Consultation, Contribution, Panel, PanelVolunteer, PoolPerson
from contributions.services.panel import panel_selection_run
from tests.contributions.panel_setup import SELECTION_SEED, invited_panel
from tests.contributions.volunteer_factory import proportional_quotas

pytestmark = pytest.mark.django_db
ANSWERS = {"sexe": "F", "age": "30-44", "secteur": "Nîmes", "logement": "locataire"}


@pytest.fixture
def panel(agglomeration) -> Panel:
    panel = Panel.objects.create(
        organisation=agglomeration, slug="panel-2027", title="Panel 2027", size=12,
        invitations=200,
    )  # fmt: skip
    return invited_panel(panel, volunteers=149)


def unused_code(panel: Panel) -> str:
    used = panel.volunteers.values("invitation_code")
    person = PoolPerson.objects.filter(panel=panel).exclude(invitation_code="")
    return person.exclude(invitation_code__in=used).first().invitation_code


def register(client, panel: Panel, **body):
    return client.post(f"/api/v1/panels/{panel.slug}/volunteers/", body, format="json")


def test_a_resident_answers_their_letter_with_its_code_typed_loosely(client_for, citizen, panel):
    code = unused_code(panel)
    typed = f"{code[:5].lower()}-{code[5:]} "
    response = register(client_for(citizen), panel, code=typed, answers=ANSWERS)
    assert response.status_code == 201, response.content
    seat = PanelVolunteer.objects.get(panel=panel, user=citizen)
    assert seat.answers == ANSWERS and seat.invitation_code == code and seat.number == 150
    person = PoolPerson.objects.get(panel=panel, invitation_code=code)
    assert (seat.last_name, seat.address) == (person.last_name, person.address)


def test_a_wrong_code_or_answer_is_refused_naming_the_field(client_for, citizen, panel):
    wrong = register(
        client_for(citizen), panel, code="AAAAAAAAAA", answers={**ANSWERS, "age": "12"}
    )
    assert wrong.status_code == 400
    fields = wrong.json()["fields"]
    assert fields["code"] == ["Ce code n'est celui d'aucun courrier de ce panel."]
    assert fields["answers.age"][0].startswith("Choisissez parmi : 18-29, 30-44")
    english = client_for(citizen).post(
        f"/api/v1/panels/{panel.slug}/volunteers/",
        {"code": "AAAAAAAAAA", "answers": ANSWERS},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert english.json()["fields"]["code"] == ["This code is not one of this panel's letters."]
    assert not panel.volunteers.filter(user=citizen).exists()


def test_a_code_serves_once(client_for, citizen, other_citizen, panel):
    code = unused_code(panel)
    assert register(client_for(citizen), panel, code=code, answers=ANSWERS).status_code == 201
    again = register(client_for(other_citizen), panel, code=code, answers=ANSWERS)
    assert again.status_code == 400 and "code" in again.json()["fields"]


def test_only_the_officer_enters_replies_by_post_and_the_anonymous_must_log_in(
    api, client_for, citizen, officer, panel
):
    code = unused_code(panel)
    assert register(api, panel, code=code, answers=ANSWERS).status_code == 401
    by_post = {"code": code, "answers": ANSWERS, "by_post": True}
    assert register(client_for(citizen), panel, **by_post).status_code == 403
    response = register(client_for(officer), panel, **by_post)
    assert response.status_code == 201
    assert PanelVolunteer.objects.get(panel=panel, invitation_code=code).user is None


@pytest.fixture
def constituted(client_for, citizen, officer, panel) -> Panel:
    register(client_for(citizen), panel, code=unused_code(panel), answers=ANSWERS)
    client_for(officer).post(
        f"/api/v1/panels/{panel.slug}/selection/",
        {"seed": SELECTION_SEED, "quotas": proportional_quotas(panel.size)},
        format="json",
    )
    panel = panel_selection_run(panel_id=panel.pk)
    assert panel.stage == Panel.Stage.CONSTITUTED
    # The citizen sits on the panel, whatever the draw gave them.
    seat = panel.volunteers.get(user=citizen)
    if seat.status != PanelVolunteer.Status.MEMBER:
        member = panel.volunteers.filter(status=PanelVolunteer.Status.MEMBER).first()
        member.user, seat.user = citizen, None
        seat.save(update_fields=["user"])
        member.save(update_fields=["user"])
    return panel


@pytest.fixture
def panel_consultation(make_consultation, constituted) -> Consultation:
    consultation = make_consultation(
        slug="avis-du-panel", title="Avis du panel sur le climat", is_published=True
    )
    consultation.panel = constituted
    consultation.save(update_fields=["panel"])
    return consultation


def test_a_panel_consultation_is_invisible_to_others_and_open_to_members(
    api, client_for, citizen, other_citizen, panel_consultation
):
    url = f"/api/v1/consultations/{panel_consultation.slug}/"
    assert api.get(url).status_code == 404
    assert client_for(other_citizen).get(url).status_code == 404
    public_list = api.get("/api/v1/consultations/?page_size=100").json()
    assert panel_consultation.slug not in str(public_list)
    member = client_for(citizen).get(url)
    assert member.status_code == 200 and member.json()["panel"] == "panel-2027"

    contribution = {"kind": "idea", "title": "Des arbres", "body": "Planter des arbres partout."}
    posted = client_for(citizen).post(f"{url}contributions/", contribution, format="json")
    assert posted.status_code == 201, posted.content
    refused = client_for(other_citizen).post(f"{url}contributions/", contribution, format="json")
    assert refused.status_code == 404
    Contribution.objects.update(state=Contribution.State.PUBLISHED)
    assert "Planter des arbres" not in api.get("/api/v1/contributions/").content.decode()
    assert "Planter des arbres" in client_for(citizen).get(f"{url}contributions/").content.decode()
    assert client_for(other_citizen).get(f"{url}contributions/").status_code == 404


def test_the_panel_page_names_its_consultations_and_members_get_a_badge(
    api, client_for, citizen, other_citizen, panel_consultation
):
    page = api.get("/api/v1/panels/panel-2027/").json()
    assert page["consultations"] == [
        {"slug": "avis-du-panel", "title": "Avis du panel sur le climat"}
    ]
    assert page["members"] == 12
    badge = client_for(citizen).get("/api/v1/me/panels/").json()
    assert [panel["slug"] for panel in badge] == ["panel-2027"]
    assert client_for(other_citizen).get("/api/v1/me/panels/").json() == []
