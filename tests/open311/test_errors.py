"""Errors in Open311's shape and format, never an HTML page; out of the OpenAPI schema."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from tests.open311.helpers import BASE, FORMATS, assert_error, get
from tests.signalements.factories import file_report

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_endpoint_is_an_open311_404(api, fmt):
    assert_error(api.get(f"{BASE}/nothing-here.{fmt}"), fmt, 404)


def test_an_unknown_format_answers_in_xml(api):
    assert_error(api.get(f"{BASE}/services.csv"), "xml", 404)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_wrong_method_is_refused_in_the_format(api, fmt):
    assert_error(api.delete(f"{BASE}/requests.{fmt}"), fmt, 405)
    assert_error(api.post(f"{BASE}/services.{fmt}"), fmt, 405)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_malformed_parameter_is_a_400_not_a_500(api, fmt):
    for params in (
        {"start_date": "hier"},
        {"start_date": "2026-02-31T10:00:00Z"},
        {"service_request_id": "1,abc"},
        {"status": "pending"},
        {"bbox": "4,43,nan,44"},
        {"bbox": "4,43"},
        {"page": "-1"},
        {"page_size": "5000"},
        {"updated_after": "\x00"},
    ):
        assert_error(get(api, "requests", fmt, **params), fmt, 400)


def test_control_characters_never_break_the_xml(api, citizen):
    report = file_report(citizen, description="Un trou\x01 bizarre\x0b.")

    response = get(api, f"requests/{report.pk}", "xml")

    root = ET.fromstring(response.content)
    assert root.find("./request/description").text == "Un trou bizarre."


def test_the_endpoints_are_not_in_the_openapi_schema(api):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert "open311" not in response.content.decode()


def test_errors_are_in_french_by_default(api):
    response = api.get("/open311/v2/requests.json", {"start_date": "hier"})
    assert response.status_code == 400
    assert "doit être une date" in response.json()[0]["description"]
