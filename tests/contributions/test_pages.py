"""Every list of the consultations app that can grow is a page: count, next, previous, results."""

from __future__ import annotations

import pytest
import yaml

pytestmark = pytest.mark.django_db

ENVELOPE = {"count", "next", "previous", "results"}
# Small reference lists an app reads whole: plain arrays, documented as such.
PLAIN_ARRAYS = {
    "/api/v1/organisations/{slug}/charter/",
    "/api/v1/consultation-themes/",
}


@pytest.fixture
def thread(open_consultation, contribute, citizen, other_citizen) -> dict[str, int]:
    open_consultation("ouverte")
    idea = contribute(citizen, "ouverte").json()["id"]
    for number in range(3):
        contribute(other_citizen, "ouverte", f"Réponse {number}", kind="comment", parent=idea)
    return {"idea": idea}


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("anonymous", "/api/v1/consultations/"),
        ("anonymous", "/api/v1/consultations/ouverte/contributions/"),
        ("anonymous", "/api/v1/contributions/{idea}/replies/"),
        ("citizen", "/api/v1/me/contributions/"),
        ("anonymous", "/api/v1/actors/"),
        ("moderator", "/api/v1/moderation/contributions/"),
        ("org_admin", "/api/v1/moderation/log/"),
        ("moderator", "/api/v1/contact-messages/"),
        ("manager", "/api/v1/staff/restitutions/"),
    ],
)
def test_each_growing_list_answers_a_page(
    thread, client_for, citizen, moderator, org_admin, manager_voirie, role, path
):
    people = {
        "anonymous": None,
        "citizen": citizen,
        "moderator": moderator,
        "org_admin": org_admin,
        "manager": manager_voirie,
    }
    response = client_for(people[role]).get(path.format(**thread))
    assert response.status_code == 200, response.content[:300]
    body = response.json()
    assert set(body) == ENVELOPE
    # Cursor pages (the log, newest first) are not counted.
    assert isinstance(body["count"], int) or (body["count"] is None and "log" in path)
    assert isinstance(body["results"], list)


def test_replies_come_a_page_at_a_time_oldest_first(thread, api):
    url = f"/api/v1/contributions/{thread['idea']}/replies/"
    first = api.get(url, {"page_size": 2}).json()
    assert first["count"] == 3
    assert [reply["body"] for reply in first["results"]] == ["Réponse 0", "Réponse 1"]
    second = api.get(first["next"]).json()
    assert [reply["body"] for reply in second["results"]] == ["Réponse 2"]
    assert second["next"] is None


def test_a_contribution_no_longer_carries_its_replies(thread, api):
    detail = api.get(f"/api/v1/contributions/{thread['idea']}/").json()
    assert "replies" not in detail
    assert detail["reply_count"] == 3


def test_replies_of_an_unreadable_contribution_are_not_found(
    open_consultation, contribute, client_for, citizen
):
    open_consultation("a-priori", moderation_mode="a_priori")
    pending = contribute(citizen, "a-priori").json()["id"]
    assert client_for(None).get(f"/api/v1/contributions/{pending}/replies/").status_code == 404
    assert client_for(citizen).get(f"/api/v1/contributions/{pending}/replies/").status_code == 200


def test_the_moderation_log_comes_in_cursor_pages_newest_first(
    open_consultation, contribute, client_for, citizen, moderator, org_admin, reason
):
    open_consultation("ouverte")
    ideas = [contribute(citizen, "ouverte", f"Idée {n}").json()["id"] for n in range(3)]
    for idea in ideas:
        client_for(moderator).post(
            f"/api/v1/moderation/contributions/{idea}/decision/",
            {"action": "hide", "reason": reason.pk},
            format="json",
        )
    first = client_for(org_admin).get("/api/v1/moderation/log/", {"page_size": 2}).json()
    assert first["count"] is None
    assert [entry["contribution"] for entry in first["results"]] == ideas[::-1][:2]
    second = client_for(org_admin).get(first["next"]).json()
    assert ideas[0] in [entry["contribution"] for entry in second["results"]]


def test_the_charter_stays_a_plain_array(api):
    response = api.get("/api/v1/organisations/nimes-metropole/charter/")
    assert isinstance(response.json(), list)


def test_the_schema_documents_pages_and_only_reference_lists_as_arrays(api):
    document = yaml.safe_load(api.get("/api/schema/").content)
    mine = ("/api/v1/consultation", "/api/v1/contribution", "/api/v1/moderation", "/api/v1/me/c")
    mine += ("/api/v1/actors", "/api/v1/contact", "/api/v1/staff/restitutions")
    arrays = set()
    for path, item in document["paths"].items():
        if not (path.startswith(mine) or path in PLAIN_ARRAYS):
            continue
        answer = item.get("get", {}).get("responses", {}).get("200", {})
        schema = answer.get("content", {}).get("application/json", {}).get("schema", {})
        if schema.get("type") == "array":
            arrays.add(path)
        elif "$ref" in schema and schema["$ref"].split("/")[-1].startswith("Paginated"):
            component = document["components"]["schemas"][schema["$ref"].split("/")[-1]]
            assert set(component["required"]) == ENVELOPE, path
    assert "/api/v1/organisations/{slug}/charter/" in arrays
    charter = document["paths"]["/api/v1/organisations/{slug}/charter/"]["get"]
    assert "plain array" in charter["description"]
    assert arrays <= PLAIN_ARRAYS
    replies = document["paths"]["/api/v1/contributions/{id}/replies/"]["get"]["responses"]["200"]
    assert replies["content"]["application/json"]["schema"]["$ref"].endswith(
        "/PaginatedContributionList"
    )
