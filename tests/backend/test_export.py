from __future__ import annotations

import pytest

from push import services as push_services
from push.models import Kind

pytestmark = pytest.mark.django_db


def test_anonymous_cannot_export(client_for):
    assert client_for(None).get("/api/v1/me/export/").status_code == 401


def test_the_archive_holds_the_account_devices_and_notifications(client_for, citizen):
    push_services.device_register(token="tok-export-1", platform="ios", user=citizen)
    push_services.notify(
        users=[citizen], kind=Kind.MY_REPORTS, title={"fr": "Bonjour"}, body={"fr": "Corps"}
    )
    response = client_for(citizen).get("/api/v1/me/export/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    archive = response.json()
    assert archive["backend"]["account"]["email"] == "citoyen@demo.test"
    assert archive["push"]["devices"][0]["token_end"] == "export-1"
    assert archive["push"]["notifications"][0]["title"] == "Bonjour"


def test_it_holds_nothing_of_another_person(client_for, citizen, other_citizen):
    push_services.notify(
        users=[citizen], kind=Kind.MY_REPORTS, title={"fr": "Privé"}, body={"fr": "x"}
    )
    archive = client_for(other_citizen).get("/api/v1/me/export/").json()
    assert archive["push"]["notifications"] == []
    assert "citoyen@demo.test" not in str(archive)
