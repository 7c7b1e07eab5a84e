"""Screens carry the viewer's state: following, my_registration, supported, mine."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contributions.models import Consultation, Meeting

pytestmark = pytest.mark.django_db


def _meeting(consultation: Consultation, title: str = "Atelier", capacity: int = 1) -> Meeting:
    start = timezone.now() + timedelta(days=3)
    return Meeting.objects.create(
        consultation=consultation,
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        registration=Meeting.Registration.PLATFORM,
        capacity=capacity,
    )


def test_a_consultation_says_whether_the_viewer_follows_it(
    open_consultation, client_for, citizen, other_citizen
):
    open_consultation("suivie")
    url = "/api/v1/consultations/suivie/"
    assert client_for(citizen).get(url).json()["following"] is False
    client_for(citizen).post(f"{url}follow/")
    assert client_for(citizen).get(url).json()["following"] is True
    assert client_for(other_citizen).get(url).json()["following"] is False
    assert client_for(None).get(url).json()["following"] is False
    client_for(citizen).delete(f"{url}follow/")
    assert client_for(citizen).get(url).json()["following"] is False


def test_the_list_says_following_for_each_consultation(open_consultation, client_for, citizen):
    open_consultation("suivie")
    open_consultation("pas-suivie")
    client_for(citizen).post("/api/v1/consultations/suivie/follow/")
    pages = client_for(citizen).get("/api/v1/consultations/?page_size=200").json()["results"]
    following = {item["slug"]: item["following"] for item in pages}
    assert following["suivie"] is True
    assert following["pas-suivie"] is False
    anonymous = client_for(None).get("/api/v1/consultations/?page_size=200").json()["results"]
    assert not any(item["following"] for item in anonymous)


def test_each_meeting_says_the_viewer_registration(
    open_consultation, client_for, citizen, other_citizen, moderator
):
    consultation = open_consultation("ateliers")
    meeting = _meeting(consultation)
    registration = f"/api/v1/consultations/ateliers/meetings/{meeting.pk}/registration/"
    client_for(citizen).post(registration)
    client_for(other_citizen).post(registration)

    def mine(user) -> str | None:
        detail = client_for(user).get("/api/v1/consultations/ateliers/").json()
        return detail["meetings"][0]["my_registration"]

    assert mine(citizen) == "confirmed"
    assert mine(other_citizen) == "waiting"
    assert mine(moderator) is None
    assert mine(None) is None
    detail = client_for(None).get("/api/v1/consultations/ateliers/").json()
    assert detail["meetings"][0]["seats_taken"] == 1


def test_a_contribution_says_supported_and_mine(
    open_consultation, contribute, client_for, citizen, other_citizen
):
    open_consultation("ouverte")
    created = contribute(citizen, "ouverte").json()
    assert created["mine"] is True
    assert created["supported"] is False
    url = f"/api/v1/contributions/{created['id']}/"
    client_for(other_citizen).post(f"{url}support/")
    theirs = client_for(other_citizen).get(url).json()
    assert (theirs["supported"], theirs["mine"]) == (True, False)
    own = client_for(citizen).get(url).json()
    assert (own["supported"], own["mine"]) == (False, True)
    anonymous = client_for(None).get(url).json()
    assert (anonymous["supported"], anonymous["mine"]) == (False, False)
    assert "supported_by_me" not in anonymous


def test_lists_of_contributions_say_supported_and_mine(
    open_consultation, contribute, client_for, citizen, other_citizen
):
    open_consultation("ouverte")
    own = contribute(citizen, "ouverte").json()
    theirs = contribute(other_citizen, "ouverte", "Des bancs.").json()
    client_for(citizen).post(f"/api/v1/contributions/{theirs['id']}/support/")
    listed = client_for(citizen).get("/api/v1/consultations/ouverte/contributions/").json()
    state = {item["id"]: (item["supported"], item["mine"]) for item in listed["results"]}
    assert state == {own["id"]: (False, True), theirs["id"]: (True, False)}
    mine = client_for(citizen).get("/api/v1/me/contributions/").json()["results"]
    assert mine and all(item["mine"] for item in mine)


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_a_page_of_contributions_costs_the_same_queries_whatever_its_size(
    open_consultation, contribute, client_for, citizen, other_citizen
):
    open_consultation("ouverte")
    first = contribute(other_citizen, "ouverte", "Un").json()
    client_for(citizen).post(f"/api/v1/contributions/{first['id']}/support/")
    client = client_for(citizen)
    url = "/api/v1/consultations/ouverte/contributions/"
    few = _queries(client, url)
    for number in range(6):
        contribute(other_citizen, "ouverte", f"Idée {number}")
    assert _queries(client, url) == few


def test_a_consultation_costs_the_same_queries_whatever_its_meetings(
    open_consultation, client_for, citizen
):
    consultation = open_consultation("ateliers")
    _meeting(consultation, "Un")
    client = client_for(citizen)
    url = "/api/v1/consultations/ateliers/"
    few = _queries(client, url)
    for number in range(5):
        meeting = _meeting(consultation, f"Atelier {number}", capacity=10)
        client.post(f"{url}meetings/{meeting.pk}/registration/")
    assert _queries(client, url) == few
    listed = "/api/v1/consultations/?page_size=200"
    before = _queries(client, listed)
    open_consultation("autre")
    client.post("/api/v1/consultations/autre/follow/")
    assert _queries(client, listed) == before


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("moderator", "/api/v1/moderation/contributions/"),
        ("org_admin", "/api/v1/moderation/log/"),
        ("citizen", "/api/v1/me/contributions/"),
        ("citizen", "/api/v1/contributions/{idea}/replies/"),
    ],
)
def test_other_pages_of_contributions_cost_the_same_queries_whatever_their_size(
    open_consultation, contribute, client_for, citizen, moderator, org_admin, reason, role, path
):
    open_consultation("a-priori", moderation_mode="a_priori")
    open_consultation("ouverte")
    idea = contribute(citizen, "ouverte").json()["id"]
    client = client_for({"moderator": moderator, "org_admin": org_admin, "citizen": citizen}[role])

    def grow() -> None:
        pending = contribute(citizen, "a-priori").json()["id"]
        contribute(citizen, "ouverte", "Oui", kind="comment", parent=idea)
        client_for(moderator).post(
            f"/api/v1/moderation/contributions/{pending}/decision/",
            {"action": "reject", "reason": reason.pk},
            format="json",
        )
        contribute(citizen, "a-priori")

    grow()
    url = path.format(idea=idea)
    few = _queries(client, url)
    for _ in range(3):
        grow()
    assert _queries(client, url) == few
