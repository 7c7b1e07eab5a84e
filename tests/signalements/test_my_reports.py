from __future__ import annotations

import pytest

from signalements.models import Signalement, SignalementEvent
from tests.signalements.factories import file_report

URL = "/api/v1/me/signalements/"
pytestmark = pytest.mark.django_db


def test_i_see_my_reports_private_ones_included(client_for, citizen):
    mine = file_report(citizen)
    private = file_report(citizen, slug="comportement-dangereux")
    body = client_for(citizen).get(URL, {"page_size": 200}).json()
    ids = [item["id"] for item in body["results"]]
    assert ids[:2] == [private.pk, mine.pk]
    assert set(ids) == set(
        Signalement.objects.filter(reporter=citizen).values_list("pk", flat=True)
    )


def test_i_do_not_see_the_reports_of_others(client_for, citizen, other_citizen):
    file_report(citizen)
    mine = file_report(other_citizen)
    body = client_for(other_citizen).get(URL).json()
    assert [item["id"] for item in body["results"]] == [mine.pk]


def test_each_report_carries_its_public_timeline(client_for, other_citizen, agent_voirie):
    report = file_report(other_citizen)
    SignalementEvent.objects.create(
        signalement=report, kind="status", status="pris_en_compte", message="Vu, merci."
    )
    SignalementEvent.objects.create(
        signalement=report,
        kind="message",
        message="Note interne",
        is_public=False,
        author=agent_voirie,
    )
    [item] = client_for(other_citizen).get(URL).json()["results"]
    assert item["status"] == "nouveau"
    assert [(event["kind"], event["status"], event["message"]) for event in item["timeline"]] == [
        ("status", "nouveau", ""),
        ("status", "pris_en_compte", "Vu, merci."),
    ]
    assert "Note interne" not in str(item)


def test_it_requires_an_account(api):
    assert api.get(URL).status_code == 401
