from __future__ import annotations

import pytest

from signalements.models import Photo, RoutingReason, Signalement, SignalementEvent
from tests.signalements.factories import NIMES, category, jpeg_upload

URL = "/api/v1/signalements/"
pytestmark = pytest.mark.django_db


def _json(slug: str = "fuite-d-eau", **extra: object) -> dict:
    body = {
        "category": category(slug).pk,
        "description": "L'eau coule sur le trottoir.",
        "latitude": NIMES[0],
        "longitude": NIMES[1],
        "answers": {"emplacement": "trottoir"},
    }
    return {**body, **extra}


def test_a_resident_files_a_report_in_json(client_for, citizen):
    response = client_for(citizen).post(
        URL, _json(accuracy_m=8, address="Place de la Maison Carrée")
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["commune"] == {"insee_code": "30189", "name": "Nîmes"}
    assert body["direction"]["slug"] == "nm-eau"
    assert body["status"] == "nouveau"
    assert body["status_label"] == "Nouveau"
    assert body["photos"] == []
    assert body["reporter_name"] == "Camille M."
    report = Signalement.objects.get(pk=body["id"])
    assert report.reporter == citizen
    assert report.answers == {"emplacement": "trottoir"}
    assert report.accuracy_m == 8
    assert report.routing_reason == RoutingReason.COMPETENCE_AGGLOMERATION
    assert "routing" not in body


def test_creation_records_the_first_event_of_the_timeline(client_for, citizen):
    response = client_for(citizen).post(URL, _json())
    events = SignalementEvent.objects.filter(signalement_id=response.json()["id"])
    assert [(event.kind, event.status, event.is_public) for event in events] == [
        ("status", "nouveau", True)
    ]


def test_a_resident_files_a_report_with_photos_in_multipart(client_for, citizen):
    data = {
        "category": category("depot-sauvage").pk,
        "description": "Matelas abandonné.",
        "latitude": str(NIMES[0]),
        "longitude": str(NIMES[1]),
        "answers": '{"volume": 2}',
        "photos": [jpeg_upload("a.jpg"), jpeg_upload("b.jpg")],
    }
    response = client_for(citizen).post(URL, data, format="multipart")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert [photo["status"] for photo in body["photos"]] == ["processing", "processing"]
    assert body["photos"][0]["large_url"] is None
    report = Signalement.objects.get(pk=body["id"])
    assert report.answers == {"volume": 2.0}
    assert report.photos.count() == 2
    assert all(
        photo.original.name.startswith("signalements/originals/") for photo in report.photos.all()
    )


def test_the_location_comes_from_the_gps_of_the_first_photo_when_missing(client_for, citizen):
    data = {
        "category": category("depot-sauvage").pk,
        "photos": [jpeg_upload(gps=(43.8367, 4.3601))],
    }
    response = client_for(citizen).post(URL, data, format="multipart")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["commune"]["insee_code"] == "30189"
    assert body["latitude"] == pytest.approx(43.8367, abs=1e-4)
    assert body["longitude"] == pytest.approx(4.3601, abs=1e-4)


def test_a_given_location_wins_over_the_photo_gps(client_for, citizen):
    data = {
        "category": category("depot-sauvage").pk,
        "latitude": "43.8367",
        "longitude": "4.3601",
        "photos": [jpeg_upload(gps=(43.95, 4.30))],
    }
    body = client_for(citizen).post(URL, data, format="multipart").json()
    assert body["latitude"] == pytest.approx(43.8367)


def test_a_communal_category_is_routed_to_the_commune(client_for, citizen):
    body = (
        client_for(citizen).post(URL, {**_json("eclairage-public-en-panne"), "answers": {}}).json()
    )
    assert body["direction"]["slug"] == "services-techniques-nimes"


def test_an_anonymous_report_hides_the_name(client_for, citizen):
    body = client_for(citizen).post(URL, _json(anonymous=True)).json()
    assert body["reporter_name"] is None
    assert Signalement.objects.get(pk=body["id"]).reporter == citizen


def test_filing_requires_an_account(api):
    response = api.post(URL, _json())
    assert response.status_code == 401
    assert not Signalement.objects.filter(description="L'eau coule sur le trottoir.").exists()


def test_the_reporter_adds_photos_afterwards(client_for, citizen):
    client = client_for(citizen)
    report = client.post(URL, _json()).json()
    response = client.post(
        f"{URL}{report['id']}/photos/", {"photos": [jpeg_upload()]}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    assert [photo["status"] for photo in response.json()] == ["processing"]
    assert Photo.objects.filter(signalement_id=report["id"]).count() == 1


def test_a_stranger_cannot_add_photos_to_a_report(client_for, citizen, other_citizen):
    report = client_for(citizen).post(URL, _json()).json()
    response = client_for(other_citizen).post(
        f"{URL}{report['id']}/photos/", {"photos": [jpeg_upload()]}, format="multipart"
    )
    assert response.status_code == 404  # as for every action reserved to the reporter
    assert not Photo.objects.filter(signalement_id=report["id"]).exists()


def test_photos_afterwards_respect_the_limit_of_five(client_for, citizen):
    client = client_for(citizen)
    report = client.post(URL, _json()).json()
    photos_url = f"{URL}{report['id']}/photos/"
    first = client.post(
        photos_url, {"photos": [jpeg_upload() for _ in range(4)]}, format="multipart"
    )
    assert first.status_code == 201
    second = client.post(photos_url, {"photos": [jpeg_upload(), jpeg_upload()]}, format="multipart")
    assert second.status_code == 400
    assert "photos" in second.json()["fields"]
    assert Photo.objects.filter(signalement_id=report["id"]).count() == 4


def test_staff_of_the_direction_see_why_a_report_went_there(client_for, citizen, agent_eau):
    report = client_for(citizen).post(URL, _json()).json()
    staff_view = client_for(agent_eau).get(f"{URL}{report['id']}/").json()
    assert staff_view["routing"]["reason"] == "competence_agglomeration"
    assert staff_view["routing"]["explanation"]
    assert staff_view["answers"] == {"emplacement": "trottoir"}


def test_the_public_and_the_reporter_do_not_see_the_routing(api, client_for, citizen):
    report = client_for(citizen).post(URL, _json()).json()
    assert "routing" not in api.get(f"{URL}{report['id']}/").json()
    assert "routing" not in client_for(citizen).get(f"{URL}{report['id']}/").json()


def test_staff_of_another_direction_do_not_see_the_routing(client_for, citizen, agent_voirie):
    report = client_for(citizen).post(URL, _json()).json()
    assert "routing" not in client_for(agent_voirie).get(f"{URL}{report['id']}/").json()
