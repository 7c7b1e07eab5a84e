"""The schema of the consultations app says what the answers hold, and the answers agree."""

from __future__ import annotations

from datetime import timedelta

import pytest
import yaml
from django.core.files.base import ContentFile
from django.utils import timezone

from contributions.models import Contribution, Document, OfficialAnswer, Restitution

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def document(django_db_setup, django_db_blocker) -> dict:
    from django.test import Client

    with django_db_blocker.unblock():
        return yaml.safe_load(Client().get("/api/schema/").content)


def _component(document: dict, name: str) -> dict:
    return document["components"]["schemas"][name]


def _resolve(document: dict, schema: dict) -> dict:
    if "$ref" in schema:
        return _component(document, schema["$ref"].split("/")[-1])
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _resolve(document, schema["allOf"][0])
    return schema


def _untyped(document: dict, schema: dict, seen: set[str] | None = None) -> list[str]:
    """Paths inside a schema to objects that say nothing of their properties."""
    seen = seen if seen is not None else set()
    if "$ref" in schema:
        name = schema["$ref"].split("/")[-1]
        if name in seen:
            return []
        seen.add(name)
        return _untyped(document, _component(document, name), seen)
    found = []
    bare = schema.get("additionalProperties") in (None, {}, True)
    if schema.get("type") == "object" and not schema.get("properties") and bare:
        found.append("<object>")
    for name, child in schema.get("properties", {}).items():
        found += [f"{name}.{path}" for path in _untyped(document, child, seen)]
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            found += [f"[]{path}" for path in _untyped(document, schema[key], seen)]
    for key in ("allOf", "oneOf", "anyOf"):
        for child in schema.get(key, []):
            found += _untyped(document, child, seen)
    return found


@pytest.mark.parametrize(
    ("path", "method", "status", "media"),
    [
        ("/api/v1/consultations/{slug}/", "get", "200", "application/json"),
        ("/api/v1/consultations/map/", "get", "200", "application/geo+json"),
        ("/api/v1/consultations/feed.json", "get", "200", "application/json"),
        ("/api/v1/consultations/{slug}/restitution/", "get", "200", "application/json"),
        ("/api/v1/contributions/{id}/", "get", "200", "application/json"),
        ("/api/v1/consultations/{slug}/contributions/", "get", "200", "application/json"),
    ],
)
def test_answers_are_typed_all_the_way_down(document, path, method, status, media):
    response = document["paths"][path][method]["responses"][status]
    schema = response["content"][media]["schema"]
    assert _untyped(document, schema) == []


def test_a_map_feature_is_typed_with_its_properties(document):
    feature = _component(document, "ConsultationFeature")
    assert set(feature["required"]) == {"type", "id", "geometry", "properties"}
    geometry = feature["properties"]["geometry"]
    assert geometry["nullable"] is True
    assert geometry["properties"]["type"]["enum"] == ["MultiPolygon"]
    properties = _resolve(document, feature["properties"]["properties"])
    assert set(properties["required"]) == {"title", "status", "kind", "opens_at", "closes_at"}


def test_the_map_answers_what_its_schema_says(document, api, open_consultation):
    open_consultation("carte")
    body = api.get("/api/v1/consultations/map/?format=geojson").json()
    assert body["type"] == "FeatureCollection"
    feature = next(item for item in body["features"] if item["id"] == "carte")
    schema = _component(document, "ConsultationFeature")
    assert set(feature) == set(schema["properties"])
    properties = _resolve(document, schema["properties"]["properties"])
    assert set(feature["properties"]) == set(properties["properties"])
    assert feature["geometry"]["type"] == "MultiPolygon"


def test_an_official_answer_and_the_key_figures_are_typed(
    document, api, open_consultation, contribute, citizen, manager_voirie, client_for
):
    answer = _component(document, "OfficialAnswer")
    assert {"status", "body", "direction"} <= set(answer["properties"])
    figures = _component(document, "KeyFigures")
    theme = _resolve(document, figures["properties"]["by_theme"]["items"])
    assert set(theme["properties"]) == {"slug", "name", "count"}
    commune = _resolve(document, figures["properties"]["by_commune"]["items"])
    assert set(commune["properties"]) == {"insee_code", "name", "count"}
    kinds = _resolve(document, figures["properties"]["by_kind"])
    assert set(kinds["properties"]) == set(Contribution.Kind.values)

    now = timezone.now()
    consultation = open_consultation("chiffres", themes=["transports"])
    question = contribute(citizen, "chiffres", kind="question", theme="transports").json()
    client_for(manager_voirie).post(
        f"/api/v1/contributions/{question['id']}/answer/",
        {"status": OfficialAnswer.Status.RETAINED, "body": "Oui."},
        format="json",
    )
    consultation.closes_at = now - timedelta(minutes=1)
    consultation.opens_at = now - timedelta(days=2)
    consultation.save()
    Restitution.objects.create(consultation=consultation, body="Bilan", published_at=now)
    read = api.get("/api/v1/consultations/chiffres/restitution/").json()["key_figures"]
    assert set(read["by_kind"]) == set(kinds["properties"])
    assert set(read["by_theme"][0]) == set(theme["properties"])
    answered = api.get(f"/api/v1/contributions/{question['id']}/").json()["answer"]
    assert set(answered) == set(answer["properties"])


def test_feed_items_are_typed_and_match_the_feed(document, api, open_consultation):
    open_consultation("publiee")
    item_schema = _resolve(document, _component(document, "Feed")["properties"]["items"]["items"])
    item = api.get("/api/v1/consultations/feed.json").json()["items"][0]
    assert set(item) == set(item_schema["properties"])


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/consultations/{slug}/follow/",
        "/api/v1/organisations/{slug}/follow/",
        "/api/v1/contributions/{id}/support/",
    ],
)
def test_undoing_is_documented_as_the_200_it_answers(document, path):
    operation = document["paths"][path]
    assert set(operation["delete"]["responses"]) & {"200", "204"} == {"200"}
    assert set(operation["post"]["responses"]) & {"200", "201", "204"} == {"200"}


def test_undoing_answers_200_with_the_state_after(
    open_consultation, contribute, client_for, citizen, other_citizen
):
    open_consultation("ouverte")
    client = client_for(other_citizen)
    unfollowed = client.delete("/api/v1/consultations/ouverte/follow/")
    assert (unfollowed.status_code, unfollowed.json()) == (200, {"following": False})
    organisation = client.delete("/api/v1/organisations/nimes-metropole/follow/")
    assert (organisation.status_code, organisation.json()) == (200, {"following": False})
    idea = contribute(citizen, "ouverte").json()
    unsupported = client.delete(f"/api/v1/contributions/{idea['id']}/support/")
    assert unsupported.status_code == 200
    assert unsupported.json() == {"supported": False, "support_count": 0}


def test_cancelling_a_registration_is_the_204_the_schema_documents(document):
    path = "/api/v1/consultations/{slug}/meetings/{meeting_id}/registration/"
    assert set(document["paths"][path]["delete"]["responses"]) & {"200", "204"} == {"204"}


def test_the_viewer_state_is_in_the_schema(document):
    detail = _component(document, "ConsultationDetail")["properties"]
    assert detail["following"]["type"] == "boolean"
    meeting = _component(document, "Meeting")["properties"]
    assert meeting["my_registration"]["nullable"] is True
    contribution = _component(document, "Contribution")["properties"]
    assert contribution["supported"]["type"] == "boolean"
    assert contribution["mine"]["type"] == "boolean"


def test_links_are_absolute_urls_wherever_a_consultation_is_answered(
    document, make_consultation, client_for, org_admin
):
    consultation = make_consultation("brouillon")
    Document.objects.create(
        consultation=consultation,
        title="Dossier",
        file=ContentFile(b"%PDF-1.4\n", name="dossier.pdf"),
    )
    published = client_for(org_admin).post("/api/v1/consultations/brouillon/publish/").json()
    read = client_for(None).get("/api/v1/consultations/brouillon/").json()
    for answer in (published, read):
        assert answer["url"].startswith("http")
        assert [item["url"][:4] for item in answer["documents"]] == ["http"]
    links = _component(document, "Document")["properties"]["url"]
    assert links["format"] == "uri"
    assert _component(document, "ConsultationDetail")["properties"]["url"]["format"] == "uri"
