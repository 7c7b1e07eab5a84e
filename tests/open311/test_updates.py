"""mySociety's servicerequestupdates: public status changes out, a city system's changes in."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from django.utils import timezone

from backend.models import Organisation
from signalements.models import Signalement, SignalementEvent, Status
from signalements.open311 import services
from signalements.open311.models import Open311Update
from signalements.services import signalement_transition
from tests.open311.helpers import FORMATS, assert_error, body, get, post
from tests.signalements.factories import file_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(citizen) -> Signalement:
    """A pothole in Nîmes."""
    return file_report(citizen)


@pytest.fixture
def owner_key(report) -> str:
    """The key of the system of the organisation in charge of the report."""
    _key, raw = services.api_key_create(
        organisation=report.direction.organisation, name="GMAO", can_update=True
    )
    return raw


@pytest.fixture
def stranger_key(report) -> str:
    """A key allowed to push updates, of an organisation not in charge of the report."""
    other = Organisation.objects.exclude(pk=report.direction.organisation_id).first()
    _key, raw = services.api_key_create(organisation=other, name="Autre", can_update=True)
    return raw


def _push(api, fmt, key, report, **extra):
    form = {
        "api_key": key,
        "service_request_id": report.pk,
        "update_id": "GMAO-1",
        "status": "INVESTIGATING",
        "updated_datetime": "2026-11-25T10:00:00+01:00",
        "description": "Une équipe passe demain.",
        **extra,
    }
    return post(api, "servicerequestupdates", fmt, form)


@pytest.mark.parametrize("fmt", FORMATS)
def test_it_lists_public_status_changes_in_mysociety_words(api, fmt, report, org_admin):
    signalement_transition(
        signalement=report, actor=org_admin, status=Status.ACKNOWLEDGED, public_message="Vu."
    )
    signalement_transition(
        signalement=report, actor=org_admin, status=Status.REJECTED, reject_reason="doublon"
    )
    start = (timezone.now() - timedelta(hours=1)).isoformat()

    response = get(api, "servicerequestupdates", fmt, start_date=start)

    assert response.status_code == 200
    mine = [u for u in body(response, fmt) if u["service_request_id"] == str(report.pk)]
    assert [u["status"] for u in mine] == ["OPEN", "INVESTIGATING", "DUPLICATE"]
    assert mine[1]["description"] == "Vu."
    assert mine[1]["updated_datetime"].endswith(("+01:00", "+02:00"))
    assert set(mine[0]) == {
        "update_id",
        "service_request_id",
        "status",
        "updated_datetime",
        "description",
        "media_url",
    }


def test_the_xml_root_and_items_are_mysociety_names(api, report):
    root = ET.fromstring(get(api, "servicerequestupdates", "xml").content)

    assert root.tag == "service_request_updates"
    assert root.findall("./request_update/update_id")


def test_internal_notes_and_private_events_are_never_listed(api, report, org_admin):
    signalement_transition(
        signalement=report,
        actor=org_admin,
        status=Status.ACKNOWLEDGED,
        internal_note="Note interne secrète",
    )
    SignalementEvent.objects.create(
        signalement=report,
        kind=SignalementEvent.Kind.NOTE,
        internal_note="Autre note",
        is_public=False,
    )

    response = get(api, "servicerequestupdates", "json")

    assert b"secr\\u00e8te" not in response.content and "secrète" not in response.text
    assert "Autre note" not in response.text


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_window_is_at_most_90_days(api, fmt):
    response = get(
        api, "servicerequestupdates", fmt, start_date="2026-01-01", end_date="2026-06-01"
    )

    assert_error(response, fmt, 400)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_city_system_pushes_a_status_change(api, fmt, report, owner_key):
    response = _push(api, fmt, owner_key, report)

    assert response.status_code == 200, response.content
    [answer] = body(response, fmt)
    event = SignalementEvent.objects.get(pk=answer["update_id"])
    report.refresh_from_db()
    assert report.status == Status.ACKNOWLEDGED
    assert event.status == Status.ACKNOWLEDGED
    assert event.message == "Une équipe passe demain."
    assert Open311Update.objects.get(update_id="GMAO-1").event == event


def test_the_change_shows_in_the_public_timeline_of_the_app(api, report, owner_key):
    _push(api, "json", owner_key, report)

    detail = api.get(f"/api/v1/signalements/{report.pk}/")

    assert detail.status_code == 200
    timeline = detail.json()["timeline"]
    assert [step["status"] for step in timeline][-1] == Status.ACKNOWLEDGED
    assert timeline[-1]["message"] == "Une équipe passe demain."


def test_a_retry_with_the_same_update_id_changes_nothing(api, report, owner_key):
    first = _push(api, "json", owner_key, report)
    again = _push(api, "json", owner_key, report, status="FIXED")

    assert again.status_code == 200
    assert again.json() == first.json()
    report.refresh_from_db()
    assert report.status == Status.ACKNOWLEDGED
    assert Open311Update.objects.count() == 1


@pytest.mark.parametrize(
    ("word", "status", "reason"),
    [
        ("DUPLICATE", Status.REJECTED, "doublon"),
        ("NOT_COUNCILS_RESPONSIBILITY", Status.REJECTED, "hors_competence"),
        ("NO_FURTHER_ACTION", Status.REJECTED, "non_fonde"),
        ("FIXED", Status.RESOLVED, ""),
    ],
)
def test_mysociety_words_map_to_our_statuses(api, report, owner_key, word, status, reason):
    _push(api, "json", owner_key, report, status="INVESTIGATING", update_id="a")

    response = _push(api, "json", owner_key, report, status=word, update_id="b")

    assert response.status_code == 200, response.content
    report.refresh_from_db()
    assert (report.status, report.reject_reason) == (status, reason)


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_illegal_transition_is_a_400_with_the_workflow_message(api, fmt, report, owner_key):
    response = _push(api, fmt, owner_key, report, status="CLOSED")

    assert assert_error(response, fmt, 400)
    report.refresh_from_db()
    assert report.status == Status.NEW
    assert not Open311Update.objects.exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_key_without_update_right_is_403(api, fmt, report, client_key):
    assert_error(_push(api, fmt, client_key, report), fmt, 403)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_key_of_another_organisation_is_403(api, fmt, report, stranger_key):
    assert_error(_push(api, fmt, stranger_key, report), fmt, 403)
    report.refresh_from_db()
    assert report.status == Status.NEW


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_missing_key_is_403(api, fmt, report):
    assert_error(_push(api, fmt, "", report), fmt, 403)


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_request_is_404(api, fmt, owner_key):
    response = post(
        api,
        "servicerequestupdates",
        fmt,
        {
            "api_key": owner_key,
            "service_request_id": "999999999",
            "update_id": "x",
            "status": "FIXED",
        },
    )

    assert_error(response, fmt, 404)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "change",
    [
        {"status": "PENDING"},
        {"status": ""},
        {"update_id": ""},
        {"service_request_id": ""},
        {"service_request_id": "1,2"},
        {"updated_datetime": "demain"},
        {"media_url": "ftp://x"},
    ],
)
def test_bad_parameters_are_400(api, fmt, report, owner_key, change):
    assert_error(_push(api, fmt, owner_key, report, **change), fmt, 400)
