"""Stage 2: the panel is selected among the volunteers with quotas, reproducibly from its
seed and the published files, with its selection probabilities; impossible quotas are
explained; the pool is deleted at constitution."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from contributions.models import Panel, PanelVolunteer, PoolPerson
from contributions.services.panel import panel_selection_run
from tests.contributions.panel_setup import SELECTION_SEED, invited_panel
from tests.contributions.volunteer_factory import proportional_quotas

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def panel(agglomeration) -> Panel:
    return invited_panel(
        Panel.objects.create(
            organisation=agglomeration, slug="panel-2027", title="Panel 2027", size=12,
            invitations=200,
        )
    )  # fmt: skip


def select(client, panel: Panel, quotas: list[dict[str, object]], seed: str = SELECTION_SEED):
    return client.post(
        f"/api/v1/panels/{panel.slug}/selection/", {"seed": seed, "quotas": quotas}, format="json"
    )


def rerun(tmp_path: Path, client, panel: Panel, seed: str) -> dict[str, object]:
    """What a resident gets from the published files and the documented command."""
    for name in ("volunteers", "quotas"):
        response = client.get(f"/api/v1/panels/{panel.slug}/{name}.csv")
        assert response.status_code == 200
        (tmp_path / f"{name}.csv").write_bytes(response.content)
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONHASHSEED"}
    command = [
        sys.executable, "-m", "contributions.sortition", "panel",
        "--volunteers", str(tmp_path / "volunteers.csv"), "--quotas", str(tmp_path / "quotas.csv"),
        "--size", str(panel.size), "--seed", seed, "--json",
    ]  # fmt: skip
    done = subprocess.run(
        command, cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def test_the_selection_meets_every_quota_and_anyone_reruns_it(
    client_for, api, officer, panel, tmp_path
):
    quotas = proportional_quotas(panel.size)
    response = select(client_for(officer), panel, quotas)
    assert response.status_code == 202, response.content
    assert response.json()["stage"] == "selecting"

    panel = panel_selection_run(panel_id=panel.pk)

    assert panel.stage == Panel.Stage.CONSTITUTED
    members = list(panel.volunteers.filter(status=PanelVolunteer.Status.MEMBER))
    assert len(members) == panel.size
    seats = Counter((key, value) for member in members for key, value in member.answers.items())
    for quota in quotas:
        assert quota["min"] <= seats[(quota["criterion"], quota["value"])] <= quota["max"], quota
    record = api.get(f"/api/v1/panels/{panel.slug}/").json()["record"]
    assert sorted(record["selected"]) == sorted(member.number for member in members)
    assert record["seed"] == SELECTION_SEED and record["algorithm"] == "maximin"
    assert record["library"].startswith("sortition-algorithms 0.12")
    probabilities = record["probabilities"]
    assert 0 < probabilities["min"] <= probabilities["mean"] <= probabilities["max"] <= 1
    # Twelve seats among 150 volunteers: each has 8 % on average.
    assert probabilities["mean"] == pytest.approx(panel.size / 150, abs=0.001)
    assert sum(row["volunteers"] for row in probabilities["distribution"]) == 150
    assert len(record["reserve"]) == 150 - panel.size
    women = next(row for row in record["composition"] if row["value"] == "F")
    assert women["panel"] == seats[("sexe", "F")] and women["population"] > 0

    again = rerun(tmp_path, api, panel, SELECTION_SEED)
    assert again["selected"] == record["selected"]
    assert again["reserve"] == record["reserve"]
    assert again["volunteers_hash"] == record["volunteers_hash"]
    other = rerun(tmp_path, api, panel, "another seed")
    assert other["selected"] != record["selected"]


def test_the_pool_is_deleted_at_constitution_and_never_published(client_for, api, officer, panel):
    names = set(PoolPerson.objects.filter(panel=panel).values_list("first_names", "last_name"))
    select(client_for(officer), panel, proportional_quotas(panel.size))
    panel_selection_run(panel_id=panel.pk)

    assert not PoolPerson.objects.filter(panel=panel).exists()
    public = [
        api.get(f"/api/v1/panels/{panel.slug}/").content.decode(),
        api.get("/api/v1/panels/").content.decode(),
        api.get(f"/api/v1/panels/{panel.slug}/volunteers.csv").content.decode(),
        api.get(f"/api/v1/panels/{panel.slug}/quotas.csv").content.decode(),
    ]
    for first_names, last_name in names:
        assert not any(f"{last_name}" in text and first_names in text for text in public)
    assert api.get(f"/api/v1/panels/{panel.slug}/members.csv").status_code == 401
    letters = client_for(officer).get(f"/api/v1/panels/{panel.slug}/letters.csv")
    assert letters.status_code == 409


def test_quotas_impossible_on_their_face_are_refused_naming_the_value(client_for, officer, panel):
    quotas = proportional_quotas(panel.size)
    for quota in quotas:
        if quota["value"] == "75+":
            quota["min"] = quota["max"] = 40
    response = select(client_for(officer), panel, quotas, seed="x")
    assert response.status_code == 400
    messages = response.json()["fields"]["quotas"]
    assert any("age = 75+" in m and "au moins 40" in m for m in messages), messages
    english = client_for(officer).post(
        f"/api/v1/panels/{panel.slug}/selection/",
        {"seed": "x", "quotas": quotas},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "at least 40 asked" in json.dumps(english.json())
    assert Panel.objects.get(pk=panel.pk).stage == Panel.Stage.INVITED


def test_quotas_that_cannot_hold_together_are_explained(client_for, officer, panel):
    # Every value can be met alone, not all at once: only women, only tenants, and three
    # of the few women over 75 who rent.
    quotas = [
        {"criterion": "sexe", "value": "F", "min": 12, "max": 12},
        {"criterion": "sexe", "value": "M", "min": 0, "max": 0},
        {"criterion": "logement", "value": "locataire", "min": 12, "max": 12},
        {"criterion": "logement", "value": "propriétaire", "min": 0, "max": 0},
        *(
            {"criterion": "age", "value": band, "min": 0, "max": 12}
            for band in ("18-29", "30-44", "45-59", "60-74")
        ),
        {"criterion": "secteur", "value": "Nîmes", "min": 0, "max": 12},
        {"criterion": "secteur", "value": "Autres communes", "min": 0, "max": 12},
    ]
    rare = panel.volunteers.filter(
        answers__sexe="F", answers__logement="locataire", answers__age="75+"
    ).count()
    quotas.append({"criterion": "age", "value": "75+", "min": rare + 1, "max": 12})
    assert select(client_for(officer), panel, quotas).status_code == 202

    panel = panel_selection_run(panel_id=panel.pk)

    assert panel.stage == Panel.Stage.INVITED
    assert PoolPerson.objects.filter(panel=panel).exists()
    [problem] = [p for p in panel.selection_problems if p["value"] == "75+"]
    assert problem["min"] == rare + 1 and problem["feasible_min"] <= rare
    page = client_for(officer).get(f"/api/v1/panels/{panel.slug}/").json()
    [text] = [p for p in page["selection_problems"] if "75+" in p]
    assert f"[{rare + 1}, 12]" in text and "ne peut pas être atteint" in text
    english = (
        client_for(officer).get(f"/api/v1/panels/{panel.slug}/", HTTP_ACCEPT_LANGUAGE="en").json()
    )
    assert any("cannot be met together" in p for p in english["selection_problems"])


def test_a_member_who_leaves_is_replaced_by_the_first_of_the_reserve_keeping_the_quotas(
    client_for, officer, panel
):
    quotas = proportional_quotas(panel.size)
    select(client_for(officer), panel, quotas)
    panel = panel_selection_run(panel_id=panel.pk)
    leaving = panel.volunteers.filter(status=PanelVolunteer.Status.MEMBER).first()

    response = client_for(officer).post(
        f"/api/v1/panels/{panel.slug}/departures/", {"number": leaving.number}, format="json"
    )

    assert response.status_code == 200, response.content
    replacement = panel.volunteers.get(number=response.json()["replacement"])
    assert replacement.status == PanelVolunteer.Status.MEMBER
    members = panel.volunteers.filter(status=PanelVolunteer.Status.MEMBER)
    seats = Counter((k, v) for m in members for k, v in m.answers.items())
    for quota in quotas:
        assert quota["min"] <= seats[(quota["criterion"], quota["value"])] <= quota["max"]
    skipped = panel.volunteers.filter(
        status=PanelVolunteer.Status.RESERVE, reserve_rank__lt=Panel.objects.get(
            pk=panel.pk).record["reserve"].index(replacement.number) + 1
    )  # fmt: skip
    for earlier in skipped:
        trial = Counter(seats)
        trial.subtract(replacement.answers.items())
        trial.update(earlier.answers.items())
        assert any(
            not q["min"] <= trial[(q["criterion"], q["value"])] <= q["max"] for q in quotas
        ), f"volunteer {earlier.number} kept the quotas and came first"
