from __future__ import annotations

import pytest

from push import services
from push.models import Kind, Notification

pytestmark = pytest.mark.django_db


def give(user, count: int) -> list[Notification]:
    made = []
    for index in range(count):
        made += services.notify(
            users=[user],
            kind=Kind.MY_REPORTS,
            title={"fr": f"Message {index}", "en": f"Message {index} (en)"},
            body={"fr": "..."},
            link_type="signalement",
            link_id=index,
        )
    return made


def test_anonymous_has_no_inbox(client_for):
    assert client_for(None).get("/api/v1/notifications/").status_code == 401


def test_the_inbox_is_newest_first_with_the_unread_count(
    client_for, settings, citizen, other_citizen
):
    settings.FRONTEND_URL = "http://front.test"
    give(citizen, 3)
    give(other_citizen, 2)
    body = client_for(citizen).get("/api/v1/notifications/").json()
    assert [item["title"] for item in body["results"]] == ["Message 2", "Message 1", "Message 0"]
    assert body["unread_count"] == 3
    assert body["results"][0]["link_type"] == "signalement"
    assert body["results"][0]["link_id"] == "2"
    assert body["results"][0]["link_url"] == "http://front.test/signalement/2"


def test_the_inbox_is_the_one_page_envelope_with_the_unread_count(client_for, citizen):
    give(citizen, 2)
    body = client_for(citizen).get("/api/v1/notifications/", {"page_size": 1}).json()
    assert list(body) == ["count", "next", "previous", "results", "unread_count"]
    assert body["count"] is None, "cursor pages are not counted"
    assert body["unread_count"] == 2
    assert body["next"] and body["previous"] is None


def test_a_notification_that_leads_nowhere_has_null_links(client_for, citizen):
    services.notify(users=[citizen], kind=Kind.STAFF, title={"fr": "Bonjour"}, body={})
    [item] = client_for(citizen).get("/api/v1/notifications/").json()["results"]
    assert (item["link_type"], item["link_id"], item["link_url"]) == (None, None, None)


def test_the_inbox_speaks_the_language_asked(client_for, citizen):
    give(citizen, 1)
    body = client_for(citizen).get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["results"][0]["title"] == "Message 0 (en)"


def test_cursor_pages_hold_still(client_for, citizen):
    give(citizen, 5)
    client = client_for(citizen)
    first = client.get("/api/v1/notifications/", {"page_size": 2}).json()
    give(citizen, 1)
    second = client.get(first["next"]).json()
    assert [i["title"] for i in second["results"]] == ["Message 2", "Message 1"]


def test_read_and_read_all(client_for, citizen):
    first, *_ = give(citizen, 3)
    client = client_for(citizen)
    assert client.post(f"/api/v1/notifications/{first.pk}/read/").status_code == 204
    assert client.get("/api/v1/notifications/").json()["unread_count"] == 2
    assert client.post("/api/v1/notifications/read-all/").json() == {"updated": 2}
    assert client.get("/api/v1/notifications/").json()["unread_count"] == 0


def test_one_cannot_touch_another_inbox(client_for, citizen, other_citizen):
    [theirs] = give(other_citizen, 1)
    assert client_for(citizen).post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
