"""GET requests: the spec's parameters and defaults, the extensions, one request, tokens."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from signalements.models import Photo, Signalement, Status
from signalements.photos import photo_process
from tests.open311.helpers import FORMATS, assert_error, body, get, parse
from tests.signalements.factories import NIMES, file_report, jpeg_upload

pytestmark = pytest.mark.django_db

UZES_SIDE = (43.93, 4.30)  # latitude, longitude: north of Nîmes, still on the territory


def _age(report: Signalement, days: int) -> None:
    Signalement.objects.filter(pk=report.pk).update(
        created_at=timezone.now() - timedelta(days=days)
    )


def _ids(response, fmt) -> list[str]:
    assert response.status_code == 200, response.content
    return [request["service_request_id"] for request in body(response, fmt)]


@pytest.fixture
def report(citizen) -> Signalement:
    return file_report(citizen, description="Un trou devant l'école.", address="1 rue X")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_request_carries_the_spec_fields(api, fmt, report):
    [request] = body(get(api, "requests", fmt, service_request_id=report.pk), fmt)

    assert request["service_request_id"] == str(report.pk)
    assert request["status"] == "open"
    assert request["service_code"] == "chaussee-degradee"
    assert request["service_name"] == report.category.name
    assert request["description"] == "Un trou devant l'école."
    assert request["agency_responsible"] == report.direction.name
    assert request["address"] == "1 rue X"
    assert request["zipcode"] == report.commune.postcodes[0]
    assert float(request["lat"]) == pytest.approx(NIMES[0])
    assert float(request["long"]) == pytest.approx(NIMES[1])
    assert request["requested_datetime"].endswith(("+01:00", "+02:00"))
    assert request["updated_datetime"]
    report.refresh_from_db()
    assert request["expected_datetime"] == timezone.localtime(report.resolve_due_at).isoformat(
        timespec="seconds"
    )
    assert "30" in request["service_notice"]


def test_the_xml_wraps_requests_as_the_spec_says(api, report):
    parsed = parse(get(api, "requests", "xml"), "xml")

    assert parsed["root"] == "service_requests"
    assert str(report.pk) in [r["service_request_id"] for r in parsed["body"]]


@pytest.mark.parametrize("fmt", FORMATS)
def test_by_default_it_lists_the_last_90_days(api, fmt, citizen):
    recent = file_report(citizen)
    old = file_report(citizen)
    _age(old, 91)

    ids = _ids(get(api, "requests", fmt), fmt)

    assert str(recent.pk) in ids
    assert str(old.pk) not in ids


@pytest.mark.parametrize("fmt", FORMATS)
def test_dates_may_not_be_more_than_90_days_apart(api, fmt):
    response = get(
        api, "requests", fmt, start_date="2026-01-01T00:00:00+01:00", end_date="2026-04-15"
    )

    assert_error(response, fmt, 400)


@pytest.mark.parametrize("fmt", FORMATS)
def test_end_before_start_is_refused(api, fmt):
    response = get(api, "requests", fmt, start_date="2026-03-01", end_date="2026-02-01")

    assert_error(response, fmt, 400)


def test_a_window_in_the_past_finds_old_reports(api, citizen):
    old = file_report(citizen)
    _age(old, 100)
    start = (timezone.now() - timedelta(days=110)).isoformat()
    end = (timezone.now() - timedelta(days=95)).isoformat()

    ids = _ids(get(api, "requests", "json", start_date=start, end_date=end), "json")

    assert str(old.pk) in ids
    assert str(file_report(citizen).pk) not in _ids(
        get(api, "requests", "json", start_date=start, end_date=end), "json"
    )


def test_an_unencoded_plus_of_the_offset_is_understood(api, report):
    start = (timezone.now() - timedelta(days=1)).isoformat(timespec="seconds")

    response = api.get(f"/open311/v2/requests.json?start_date={start}")

    assert str(report.pk) in _ids(response, "json")


@pytest.mark.parametrize("fmt", FORMATS)
def test_ids_are_a_comma_list_that_overrides_other_filters(api, fmt, citizen):
    first = file_report(citizen)
    second = file_report(citizen, slug="fuite-d-eau")
    _age(second, 200)

    ids = _ids(
        get(
            api,
            "requests",
            fmt,
            service_request_id=f"{first.pk}, {second.pk}",
            service_code="abribus-degrade",
            status="closed",
        ),
        fmt,
    )

    assert sorted(ids) == sorted([str(first.pk), str(second.pk)])


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_codes_are_a_comma_list(api, fmt, citizen):
    pothole = file_report(citizen)
    leak = file_report(citizen, slug="fuite-d-eau")
    bus = file_report(citizen, slug="abribus-degrade")

    ids = _ids(get(api, "requests", fmt, service_code="chaussee-degradee,fuite-d-eau"), fmt)

    assert str(pothole.pk) in ids and str(leak.pk) in ids
    assert str(bus.pk) not in ids


@pytest.mark.parametrize("fmt", FORMATS)
def test_status_filters_open_and_closed(api, fmt, citizen):
    opened = file_report(citizen)
    resolved = file_report(citizen)
    rejected = file_report(citizen)
    Signalement.objects.filter(pk=resolved.pk).update(status=Status.RESOLVED)
    Signalement.objects.filter(pk=rejected.pk).update(status=Status.REJECTED)

    closed_ids = _ids(get(api, "requests", fmt, status="closed"), fmt)
    open_ids = _ids(get(api, "requests", fmt, status="open"), fmt)
    both = _ids(get(api, "requests", fmt, status="open,closed"), fmt)

    assert str(resolved.pk) in closed_ids and str(rejected.pk) in closed_ids
    assert str(opened.pk) not in closed_ids
    assert str(opened.pk) in open_ids and str(resolved.pk) not in open_ids
    assert {str(opened.pk), str(resolved.pk), str(rejected.pk)} <= set(both)
    [closed] = body(get(api, "requests", fmt, service_request_id=resolved.pk), fmt)
    assert closed["status"] == "closed"


@pytest.mark.parametrize("fmt", FORMATS)
def test_empty_parameters_behave_as_absent(api, fmt, report):
    ids = _ids(
        get(
            api,
            "requests",
            fmt,
            service_request_id="",
            service_code="",
            start_date="",
            end_date="",
            status="",
            bbox="",
            page="",
            page_size="",
            updated_after="",
        ),
        fmt,
    )

    assert str(report.pk) in ids


def test_it_pages_with_page_and_page_size(api, citizen):
    reports = [file_report(citizen) for _ in range(3)]
    newest_first = [str(r.pk) for r in reversed(reports)]

    first = _ids(get(api, "requests", "json", page_size=2), "json")
    second = _ids(get(api, "requests", "json", page_size=2, page=2), "json")

    assert first == newest_first[:2]
    assert second[0] == newest_first[2]


def test_it_gives_at_most_1000_results(api, citizen, monkeypatch):
    monkeypatch.setattr("signalements.open311.selectors.MAX_RESULTS", 2)
    for _ in range(3):
        file_report(citizen)

    assert len(_ids(get(api, "requests", "json"), "json")) == 2
    assert_error(get(api, "requests", "json", page_size=3), "json", 400)


def test_it_filters_by_bounding_box(api, citizen):
    center = file_report(citizen)
    north = file_report(citizen, at=UZES_SIDE)

    ids = _ids(get(api, "requests", "json", bbox="4.35,43.83,4.37,43.84"), "json")

    assert str(center.pk) in ids
    assert str(north.pk) not in ids


def test_updated_after_lists_what_changed_whatever_its_age(api, citizen):
    old = file_report(citizen)
    _age(old, 300)
    untouched = file_report(citizen)
    Signalement.objects.filter(pk=untouched.pk).update(
        updated_at=timezone.now() - timedelta(days=2)
    )

    ids = _ids(
        get(
            api,
            "requests",
            "json",
            updated_after=(timezone.now() - timedelta(days=1)).isoformat(),
        ),
        "json",
    )

    assert str(old.pk) in ids
    assert str(untouched.pk) not in ids


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_request_is_an_array_of_one(api, fmt, report):
    response = get(api, f"requests/{report.pk}", fmt)

    assert response.status_code == 200
    [request] = body(response, fmt)
    assert request["service_request_id"] == str(report.pk)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("request_id", ["999999999", "abc"])
def test_an_unknown_request_is_not_found(api, fmt, request_id):
    assert_error(get(api, f"requests/{request_id}", fmt), fmt, 404)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_token_maps_to_its_request(api, fmt, report):
    response = get(api, f"tokens/{report.pk}", fmt)

    assert body(response, fmt) == [{"token": str(report.pk), "service_request_id": str(report.pk)}]
    assert_error(get(api, "tokens/nope", fmt), fmt, 404)


def test_media_url_is_the_first_ready_photo(api, citizen):
    report = file_report(citizen, photos=[jpeg_upload()])
    photo = Photo.objects.get(signalement=report)
    photo_process(photo_id=photo.pk)
    photo.refresh_from_db()

    [request] = body(get(api, f"requests/{report.pk}", "json"), "json")

    assert request["media_url"] == f"http://testserver{photo.large.url}"
