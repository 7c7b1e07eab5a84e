"""Only what the public API shows: no private category, no personal data, ever."""

from __future__ import annotations

import pytest

from backend.models import User
from signalements.models import Signalement, Status
from signalements.services import signalement_transition
from tests.open311.helpers import FORMATS, body, get, post
from tests.signalements.factories import NIMES, file_report

pytestmark = pytest.mark.django_db

EMAIL = "secret.person@example.test"


@pytest.fixture
def reporter(db) -> User:
    return User.objects.create_user(EMAIL, None, first_name="Zéphyrine", last_name="Quarteron")


def _everything(api, fmt: str, report: Signalement) -> list[str]:
    """Every public Open311 answer that could show the report."""
    return [
        get(api, "requests", fmt).content.decode(),
        get(api, "requests", fmt, service_request_id=report.pk).content.decode(),
        get(api, f"requests/{report.pk}", fmt).content.decode(),
        get(api, f"tokens/{report.pk}", fmt).content.decode(),
        get(api, "servicerequestupdates", fmt).content.decode(),
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_reporter_is_never_shown(api, fmt, reporter, org_admin):
    report = file_report(reporter, anonymous=False)
    signalement_transition(
        signalement=report, actor=org_admin, status=Status.ACKNOWLEDGED, public_message="Ok"
    )

    for payload in _everything(api, fmt, report):
        assert EMAIL not in payload
        assert "Zéphyrine" not in payload and "Quarteron" not in payload


@pytest.mark.parametrize("fmt", FORMATS)
def test_what_a_client_posted_about_a_person_never_comes_back(api, fmt, client_key):
    response = post(
        api,
        "requests",
        fmt,
        {
            "api_key": client_key,
            "service_code": "chaussee-degradee",
            "lat": NIMES[0],
            "long": NIMES[1],
            "email": "posted.person@example.test",
            "first_name": "Philibert",
            "last_name": "Tartempion",
            "phone": "0611223344",
            "device_id": "device-xyz",
            "account_id": "account-xyz",
        },
    )
    assert response.status_code == 200
    report = Signalement.objects.latest("pk")

    for payload in [response.content.decode(), *_everything(api, fmt, report)]:
        for secret in ("posted.person", "Philibert", "Tartempion", "0611223344", "device-xyz"):
            assert secret not in payload
    app = api.get(f"/api/v1/signalements/{report.pk}/").content.decode()
    assert "Philibert" not in app


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_report_of_a_private_category_is_never_shown(api, fmt, citizen, agent_voirie):
    report = file_report(citizen, slug="comportement-dangereux")

    assert get(api, f"requests/{report.pk}", fmt).status_code == 404
    assert get(api, f"tokens/{report.pk}", fmt).status_code == 404
    for endpoint, params in [
        ("requests", {}),
        ("requests", {"service_request_id": report.pk}),
        ("servicerequestupdates", {}),
    ]:
        listed = body(get(api, endpoint, fmt, **params), fmt)
        assert str(report.pk) not in [item["service_request_id"] for item in listed]


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unpublished_report_is_never_shown(api, fmt, citizen):
    report = file_report(citizen)
    Signalement.objects.filter(pk=report.pk).update(is_public=False)

    assert get(api, f"requests/{report.pk}", fmt).status_code == 404
    listed = get(api, "requests", fmt, service_request_id=report.pk).content.decode()
    assert str(report.pk) not in listed
