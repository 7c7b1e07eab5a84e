"""POST requests: filed through the app's own service, routed the same, keyed and throttled."""

from __future__ import annotations

import pytest

from backend.models import User
from signalements.models import Category, Signalement
from signalements.open311 import services
from signalements.open311.models import Open311Request
from tests.open311.helpers import FORMATS, assert_error, body, post
from tests.signalements.factories import NIMES, PARIS

pytestmark = pytest.mark.django_db


def _form(key: str, **extra: object) -> dict[str, object]:
    return {
        "api_key": key,
        "service_code": "chaussee-degradee",
        "lat": NIMES[0],
        "long": NIMES[1],
        "description": "Nid-de-poule signalé par une appli tierce.",
        **extra,
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_it_files_a_report_and_answers_its_id(api, fmt, client_key):
    response = post(api, "requests", fmt, _form(client_key))

    assert response.status_code == 200, response.content
    [answer] = body(response, fmt)
    report = Signalement.objects.get(pk=answer["service_request_id"])
    assert "30" in answer["service_notice"]
    assert report.source == Signalement.Source.OPEN311
    assert report.category.slug == "chaussee-degradee"
    assert report.description == "Nid-de-poule signalé par une appli tierce."
    assert report.events.filter(status="nouveau").exists()


def test_it_is_routed_like_a_report_from_the_app(api, client_for, citizen, client_key):
    app = client_for(citizen).post(
        "/api/v1/signalements/",
        {
            "category": Category.objects.get(slug="eclairage-public-en-panne").pk,
            "latitude": NIMES[0],
            "longitude": NIMES[1],
        },
        format="json",
    )
    assert app.status_code == 201, app.content

    response = post(
        api, "requests", "json", _form(client_key, service_code="eclairage-public-en-panne")
    )

    from_app = Signalement.objects.get(pk=app.json()["id"])
    from_open311 = Signalement.objects.get(pk=response.json()[0]["service_request_id"])
    assert from_open311.direction_id == from_app.direction_id
    assert from_open311.routing_reason == from_app.routing_reason
    assert from_open311.commune_id == from_app.commune_id


def test_answers_come_as_attributes(api, client_key):
    response = post(
        api,
        "requests",
        "json",
        _form(client_key, service_code="fuite-d-eau", **{"attribute[emplacement]": "trottoir"}),
    )

    assert response.status_code == 200, response.content
    report = Signalement.objects.get(pk=response.json()[0]["service_request_id"])
    assert report.answers == {"emplacement": "trottoir"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_answers_are_validated_by_the_category(api, fmt, client_key):
    missing = post(api, "requests", fmt, _form(client_key, service_code="fuite-d-eau"))
    wrong = post(
        api,
        "requests",
        fmt,
        _form(client_key, service_code="fuite-d-eau", **{"attribute[emplacement]": "lune"}),
    )

    assert "emplacement" in assert_error(missing, fmt, 400)
    assert_error(wrong, fmt, 400)


def test_with_an_email_the_report_goes_to_an_account_without_password(api, client_key):
    response = post(
        api,
        "requests",
        "json",
        _form(client_key, email="Nouveau@Example.test", first_name="Ana", last_name="Lopez"),
    )

    report = Signalement.objects.get(pk=response.json()[0]["service_request_id"])
    user = User.objects.get(email="nouveau@example.test")
    assert report.reporter == user
    assert not user.has_usable_password()
    assert (user.first_name, user.last_name) == ("Ana", "Lopez")
    assert report.anonymous


def test_an_existing_account_gets_the_report_unchanged(api, client_key, citizen):
    name = (citizen.first_name, citizen.last_name)

    response = post(
        api, "requests", "json", _form(client_key, email=citizen.email.upper(), first_name="X")
    )

    report = Signalement.objects.get(pk=response.json()[0]["service_request_id"])
    citizen.refresh_from_db()
    assert report.reporter == citizen
    assert (citizen.first_name, citizen.last_name) == name
    assert citizen.has_usable_password()


def test_without_an_email_there_is_no_reporter(api, client_key):
    response = post(api, "requests", "json", _form(client_key, phone="0600000000"))

    report = Signalement.objects.get(pk=response.json()[0]["service_request_id"])
    assert report.reporter is None


def test_media_url_is_stored_never_fetched(api, client_key, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the server must not download media_url")

    monkeypatch.setattr("urllib.request.urlopen", no_network)
    url = "https://images.example.test/photo.jpg"

    response = post(api, "requests", "json", _form(client_key, media_url=url))

    stored = Open311Request.objects.get(signalement_id=response.json()[0]["service_request_id"])
    assert stored.media_url == url
    assert stored.api_key.key_prefix == client_key.split(".")[0]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "change",
    [
        {"service_code": ""},
        {"service_code": "inconnu"},
        {"service_code": "comportement-dangereux"},
        {"lat": ""},
        {"long": "abc"},
        {"lat": "nan"},
        {"lat": "95"},
        {"description": "x" * 4001},
        {"email": "pas-un-email"},
        {"media_url": "javascript:alert(1)"},
        {"lat": PARIS[0], "long": PARIS[1]},
    ],
)
def test_bad_parameters_are_400(api, fmt, client_key, change):
    count = Signalement.objects.count()

    assert_error(post(api, "requests", fmt, _form(client_key, **change)), fmt, 400)
    assert Signalement.objects.count() == count


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_address_without_coordinates_is_refused(api, fmt, client_key):
    form = _form(client_key, address_string="1 place de la Maison Carrée, Nîmes")
    del form["lat"], form["long"]

    description = assert_error(post(api, "requests", fmt, form), fmt, 400)

    assert "does not geocode" in description


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("key", [None, "", "nope", "deadbeef.wrong-secret"])
def test_a_missing_or_bad_key_is_403(api, fmt, key, client_key):
    form = _form(client_key)
    if key is None:
        del form["api_key"]
    else:
        form["api_key"] = key

    assert_error(post(api, "requests", fmt, form), fmt, 403)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_revoked_key_is_403(api, fmt, client_key):
    services.api_key_revoke(prefix=client_key.split(".")[0])

    assert_error(post(api, "requests", fmt, _form(client_key)), fmt, 403)


def test_posts_are_throttled_per_key(api, client_key, update_key, monkeypatch):
    monkeypatch.setattr(services, "POST_RATE_PER_MINUTE", 2)
    form = _form(client_key, lat="bad")

    codes = [post(api, "requests", "json", form).status_code for _ in range(3)]

    assert codes == [400, 400, 429]
    assert_error(post(api, "requests", "xml", form), "xml", 429)
    # Another key has its own budget.
    assert post(api, "requests", "json", _form(update_key)).status_code == 200
