"""Malformed and hostile input, on every operation of the schema, never answers 5xx.

Beside the schemathesis fuzzing (random data shaped by the schema), every operation gets a
fixed set of inputs known to break naive code: bodies that are not objects, JSON nested
thousands of levels deep, numbers that overflow, NaN and infinities, NUL bytes, Unicode
digits, 3-D points and dates at the ends of the calendar, in the body, the query string
and the path, as an anonymous visitor, a resident and the staff of the endpoint. Every
answer under ``/api/`` is in the error shape.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest
from django.db import transaction
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from backend.models import Direction, User
from contributions.models import Actor, Consultation, ContactMessage, Contribution, Meeting
from push.models import Device, Notification
from signalements.models import Category, Signalement, Theme
from tests import figures

# Run on both databases: SQLite overflows where PostgreSQL does not (integers past 2**63).

PERSONAS = (None, "citoyen@demo.test")
# Staff endpoints are also called by the staff who get past their permissions.
STAFF = {
    "/api/v1/agent/": "agent.voirie@demo.test",
    "/api/v1/moderation/": "moderation@demo.test",
    "/api/v1/contact-messages/": "moderation@demo.test",
    "/api/v1/actors/": "moderation@demo.test",
    "/api/v1/consultations/": "moderation@demo.test",
    "/api/v1/contributions/": "moderation@demo.test",
    "/api/v1/staff/": "manager.voirie@demo.test",
}
# Raw JSON texts, so that what Python's json would never write (1e400, NaN) is sent as is.
HOSTILE_VALUES = (
    '"\\u0000"',
    '"\\ud800"',
    '"a\\udfffb"',
    '"a\\u0000b"',
    "1e400",
    "-1e400",
    "NaN",
    "Infinity",
    "99999999999999999999999",
    "-1",
    '"\\u00b2"',
    '"\\u0661\\u0662"',
    "[]",
    "{}",
    '{"type": "Point", "coordinates": [4.36, 43.84, 12.0]}',
    '"9999-12-31T23:59:59Z"',
    '"0001-01-01"',
    '"' + "x" * 5000 + '"',
)
NON_OBJECT_BODIES = ("[]", "[1, 2]", '"text"', "12", "null", "true", "[" * 5000 + "]" * 5000)
DEEP_OBJECT = '{"a": ' * 5000 + "1" + "}" * 5000
HOSTILE_QUERY = (
    "\x00",
    "a\x00b",
    "1e400",
    "nan",
    "inf",
    "-inf",
    "²",
    "١٢",
    "9" * 30,
    "99999999999999999999",
    "-1e20",
    "-1",
    "0001-01-01",
    "9999-12-31T23:59:59-12:00",
    "0001-01-01T00:00:00+14:00",
)
HOSTILE_QUERY_PAIRS = (
    ("bbox", "nan,nan,nan,nan"),
    ("bbox", "-inf,-inf,inf,inf"),
    ("in_bbox", "nan,nan,nan,nan"),
    ("point", "nan,inf"),
    ("start_date", "9999-12-31T23:59:59+00:00"),
    ("end_date", "0001-01-01T00:00:00+00:00"),
    ("start_date", "0001-01-01T00:00:00-14:00"),
    ("end_date", "9999-12-31T23:59:59-14:00"),
)
HOSTILE_PATH = ("%00", "a%00b", "%C2%B2", "1e400", "9" * 30, "-1", "0", "%D9%A1")


def _operations() -> list[tuple[str, str, dict]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (path, method.upper(), operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]


def _properties(operation: dict) -> list[str]:
    content = operation.get("requestBody", {}).get("content", {})
    for media in content.values():
        ref = media.get("schema", {}).get("$ref", "")
        if ref:
            return list(_COMPONENTS.get(ref.rsplit("/", 1)[-1], {}).get("properties", {}))
    return []


_SCHEMA = SchemaGenerator().get_schema(request=None, public=True)
_COMPONENTS = _SCHEMA["components"]["schemas"]
OPERATIONS = _operations()


def _real_ids() -> dict[str, str]:
    """For each path of the schema with parameters, values of objects the demo holds, so
    that hostile bodies reach validation instead of stopping at a 404."""

    def first(queryset, field: str = "pk") -> str:
        value = queryset.values_list(field, flat=True).first()
        return str(value) if value is not None else "1"

    consultation = Consultation.objects.open().first() or Consultation.objects.first()
    meeting = Meeting.objects.filter(consultation=consultation).first() or Meeting.objects.first()
    return {
        "/api/v1/actors/{id}": first(Actor.objects.all()),
        "/api/v1/agent/signalements/{id}": first(
            Signalement.objects.filter(direction__slug__contains="voirie")
        ),
        "/api/v1/categories/{id}": first(Category.objects.all()),
        "/api/v1/communes/{insee_code}": "30189",
        "/api/v1/consultations/{slug}/meetings/{meeting_id}": (
            f"{meeting.consultation.slug}/meetings/{meeting.pk}" if meeting else "x/meetings/1"
        ),
        "/api/v1/consultations/{slug}": consultation.slug if consultation else "x",
        "/api/v1/contact-messages/{id}": first(ContactMessage.objects.all()),
        "/api/v1/contributions/{id}": first(Contribution.objects.all()),
        "/api/v1/devices/{token}": first(Device.objects.all(), "token"),
        "/api/v1/moderation/contributions/{id}": first(Contribution.objects.all()),
        "/api/v1/notifications/{id}": first(Notification.objects.all()),
        "/api/v1/directions/{slug}": first(Direction.objects.all(), "slug"),
        "/api/v1/organisations/{slug}": "nimes-metropole",
        "/api/v1/signalements/{id}": first(Signalement.objects.public()),
        "/api/v1/themes/{slug}": first(Theme.objects.all(), "slug"),
        "/api/v1/consultation-themes/{slug}": "transports",
    }


def _concrete(path: str, value: str | None = None, ids: dict[str, str] | None = None) -> str:
    """The path with the demo's ids from ``ids``, or ``value`` in every parameter."""
    if value is None:
        for template, real in sorted((ids or {}).items(), key=lambda item: -len(item[0])):
            if path.startswith(template):
                path = path.replace(template, template.split("{", 1)[0] + real, 1)
                break
    return re.sub(r"\{[^}]+\}", value or "1", path)


def _check(response, where: str) -> None:
    figures.count("malformed inputs")
    assert response.status_code < 500, f"{where}: {response.status_code} {response.content[:300]}"
    if response.status_code >= 400 and response.get("Content-Type", "").startswith(
        "application/json"
    ):
        body = response.json()
        assert isinstance(body, dict) and set(body) == {"code", "detail", "fields"}, (where, body)


def _send(client: APIClient, method: str, path: str, body: str | None = None):
    with transaction.atomic():
        if body is None:
            response = getattr(client, method.lower())(path)
        else:
            response = client.generic(method, path, body, content_type="application/json")
        transaction.set_rollback(True)
    return response


@pytest.fixture
def clients(db, request) -> list[APIClient]:
    path = request.node.callspec.params["path"]
    emails = [*PERSONAS, *(email for prefix, email in STAFF.items() if path.startswith(prefix))]
    made = []
    for email in emails:
        client = APIClient(HTTP_ACCEPT_ENCODING="identity")
        if email:
            client.force_authenticate(User.objects.get(email=email))
        made.append(client)
    return made


@pytest.mark.parametrize(("path", "method", "operation"), OPERATIONS, ids=lambda v: str(v)[:60])
def test_hostile_bodies_never_answer_5xx(clients, path, method, operation):
    if method not in {"POST", "PUT", "PATCH"}:
        pytest.skip("no body")
    url = _concrete(path, ids=_real_ids())
    bodies = [*NON_OBJECT_BODIES, DEEP_OBJECT]
    for name in _properties(operation):
        bodies += [f'{{"{name}": {value}}}' for value in HOSTILE_VALUES]
    for client in clients:
        for body in bodies:
            _check(_send(client, method, url, body), f"{method} {url} {body[:80]}")


@pytest.mark.parametrize(("path", "method", "operation"), OPERATIONS, ids=lambda v: str(v)[:60])
def test_hostile_query_and_path_never_answer_5xx(clients, path, method, operation):
    names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
    urls = []
    base = _concrete(path, ids=_real_ids())
    for name in names:
        urls += [f"{base}?{name}={quote(value)}" for value in HOSTILE_QUERY]
    urls += [f"{base}?{name}={quote(value)}" for name, value in HOSTILE_QUERY_PAIRS]
    if "{" in path:
        urls += [_concrete(path, value) for value in HOSTILE_PATH]
    for client in clients:
        for url in urls:
            body = "{}" if method in {"POST", "PUT", "PATCH"} else None
            _check(_send(client, method, url, body), f"{method} {url}")


OPEN311 = (
    "/open311/v2/requests.json?service_request_id=%00",
    "/open311/v2/requests.json?service_request_id=%C2%B2",
    "/open311/v2/requests.json?service_code=%00",
    "/open311/v2/requests.json?status=%00",
    "/open311/v2/requests.json?start_date=9999-12-31T23:59:59-14:00",
    "/open311/v2/requests.json?end_date=0001-01-01T00:00:00%2B14:00",
    "/open311/v2/requests.json?start_date=0001-01-01T00:00:00%2B14:00&end_date=0001-01-02T00:00:00Z",
    "/open311/v2/requests.json?start_date=9999-12-30T00:00:00Z&end_date=9999-12-31T23:59:59-14:00",
    "/open311/v2/requests.xml?start_date=%00",
    "/open311/v2/requests/%00.json",
    "/open311/v2/requests/%C2%B2.json",
    "/open311/v2/requests/99999999999999999999999.json",
    "/open311/v2/services/%00.json",
    "/open311/v2/tokens/%00.json",
    "/open311/v2/servicerequestupdates.json?start_date=9999-12-31T23:59:59-14:00",
    "/open311/v2/servicerequestupdates.json?service_request_id=%00",
    "/open311/v2/requests.json?lat=nan&long=inf",
    "/open311/v2/requests.json?minlon=nan&minlat=nan&maxlon=inf&maxlat=inf",
)


@pytest.mark.parametrize("url", OPEN311)
def test_open311_hostile_queries_never_answer_5xx(api, db, url):
    response = api.get(url)
    figures.count("malformed inputs")
    assert response.status_code < 500, (url, response.status_code, response.content[:300])


@pytest.mark.parametrize(
    "body",
    [
        "service_code=%00&lat=43.84&long=4.36&api_key=x",
        "service_code=nid-de-poule&lat=nan&long=inf&api_key=x",
        "service_code=nid-de-poule&lat=1e400&long=4.36&api_key=x",
        "service_code=%C2%B2&lat=43.84&long=4.36&api_key=%00",
        "service_code=nid-de-poule&lat=43.84&long=4.36&api_key=x&attribute[%00]=%00",
    ],
)
def test_open311_hostile_posts_never_answer_5xx(api, db, body):
    response = api.generic(
        "POST", "/open311/v2/requests.json", body, "application/x-www-form-urlencoded"
    )
    figures.count("malformed inputs")
    assert response.status_code < 500, (body, response.status_code, response.content[:300])


def test_a_json_body_is_parsed_whatever_its_nesting(api, db):
    response = api.generic("POST", "/api/v1/auth/token/", DEEP_OBJECT, "application/json")
    assert response.status_code == 400
    assert json.loads(response.content)["code"] in {"parse_error", "invalid"}


def _valid_bodies() -> tuple[dict[str, str], dict[tuple[str, str], tuple[str, dict]]]:
    """A body each main write accepts, with the persona that may send it: one hostile field
    in an otherwise valid body gets past validation of the others, down to the services
    and the database."""
    from backend.models import Direction
    from contributions.models import CharterReason

    agent = User.objects.get(email="agent.voirie@demo.test")
    queue = Signalement.objects.for_agent(agent).order_by("pk")
    report, original = queue.filter(status="nouveau").values_list("pk", flat=True)[:2]
    contribution = (
        Contribution.objects.filter(consultation__in=Consultation.objects.open())
        .filter(state=Contribution.State.PUBLISHED)
        .exclude(author__email="citoyen@demo.test")
        .filter(consultation__direction__memberships__user__email="agent.eau@demo.test")
        .first()
    ) or Contribution.objects.exclude(author__email="citoyen@demo.test").first()
    reason = CharterReason.objects.values_list("pk", flat=True).first() or 1
    citizen, agent_mail, moderator = (
        "citoyen@demo.test",
        "agent.voirie@demo.test",
        "moderation@demo.test",
    )
    paths = {
        "/api/v1/agent/signalements/{id}": str(report),
        "/api/v1/contributions/{id}": str(contribution.pk),
        "/api/v1/moderation/contributions/{id}": str(contribution.pk),
    }
    return paths, {
        ("POST", "/api/v1/auth/register/"): (
            "",
            {
                "email": "probe@example.test",
                "password": "Un-Mot-De-Passe-2026",
                "first_name": "Zoé",
            },
        ),
        ("POST", "/api/v1/auth/token/"): (
            "",
            {"email": "citoyen@demo.test", "password": "Nimes-Demo-2026"},
        ),
        ("POST", "/api/v1/auth/password/reset/"): ("", {"email": "citoyen@demo.test"}),
        ("PATCH", "/api/v1/me/"): (citizen, {"first_name": "Zoé", "language": "fr"}),
        ("POST", "/api/v1/me/password/"): (
            citizen,
            {"old_password": "Nimes-Demo-2026", "new_password": "Un-Mot-De-Passe-2026"},
        ),
        ("PUT", "/api/v1/me/preferences/"): (
            citizen,
            {"communes": ["30189"], "themes": [], "channels": {}},
        ),
        ("POST", "/api/v1/devices/"): (
            citizen,
            {"token": "probe-token-0001", "platform": "android", "locale": "fr"},
        ),
        ("POST", "/api/v1/signalements/"): (
            citizen,
            {
                "category": Category.objects.values_list("pk", flat=True).first(),
                "latitude": 43.8367,
                "longitude": 4.3601,
                "description": "Un dépôt sauvage devant l'école.",
            },
        ),
        ("POST", "/api/v1/consultations/{slug}/contributions/"): (
            citizen,
            {"kind": "idea", "body": "Planter des arbres le long du boulevard."},
        ),
        ("POST", "/api/v1/contact/"): (
            "",
            {"kind": "question", "body": "Quand passe la collecte ?", "email": "zoe@example.test"},
        ),
        ("POST", "/api/v1/contributions/{id}/flag/"): (
            citizen,
            {"reason": reason, "comment": "Hors sujet."},
        ),
        ("POST", "/api/v1/actors/"): (
            citizen,
            {"kind": "association", "name": "Les jardins", "contact_email": "j@example.test"},
        ),
        ("POST", "/api/v1/agent/signalements/{id}/transition/"): (
            agent_mail,
            {"status": "pris_en_compte", "public_message": "Vu.", "internal_note": "Note."},
        ),
        ("POST", "/api/v1/agent/signalements/{id}/notes/"): (agent_mail, {"text": "Note."}),
        ("POST", "/api/v1/agent/signalements/{id}/assign/"): (agent_mail, {"agent": agent.pk}),
        ("POST", "/api/v1/agent/signalements/{id}/duplicate/"): (
            agent_mail,
            {"original": original},
        ),
        ("POST", "/api/v1/agent/signalements/{id}/transfer/"): (
            agent_mail,
            {
                "direction": Direction.objects.values_list("slug", flat=True).first(),
                "reason": "Pas chez nous.",
            },
        ),
        ("POST", "/api/v1/moderation/contributions/{id}/decision/"): (
            moderator,
            {"action": "hide", "reason": reason, "message": "Hors charte."},
        ),
        ("POST", "/api/v1/contributions/{id}/answer/"): (
            "admin@demo.test",
            {"status": "under_study", "body": "Nous étudions."},
        ),
    }


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/auth/register/"),
        ("POST", "/api/v1/auth/token/"),
        ("POST", "/api/v1/auth/password/reset/"),
        ("PATCH", "/api/v1/me/"),
        ("POST", "/api/v1/me/password/"),
        ("PUT", "/api/v1/me/preferences/"),
        ("POST", "/api/v1/devices/"),
        ("POST", "/api/v1/signalements/"),
        ("POST", "/api/v1/consultations/{slug}/contributions/"),
        ("POST", "/api/v1/contact/"),
        ("POST", "/api/v1/contributions/{id}/flag/"),
        ("POST", "/api/v1/actors/"),
        ("POST", "/api/v1/agent/signalements/{id}/transition/"),
        ("POST", "/api/v1/agent/signalements/{id}/notes/"),
        ("POST", "/api/v1/agent/signalements/{id}/assign/"),
        ("POST", "/api/v1/agent/signalements/{id}/duplicate/"),
        ("POST", "/api/v1/agent/signalements/{id}/transfer/"),
        ("POST", "/api/v1/moderation/contributions/{id}/decision/"),
        ("POST", "/api/v1/contributions/{id}/answer/"),
    ],
)
def test_one_hostile_field_in_a_valid_body_never_answers_5xx(db, method, path):
    paths, bodies = _valid_bodies()
    persona, valid = bodies[(method, path)]
    client = APIClient(HTTP_ACCEPT_ENCODING="identity")
    if persona:
        client.force_authenticate(User.objects.get(email=persona))
    url = _concrete(path, ids={**_real_ids(), **paths})
    response = _send(client, method, url, json.dumps(valid))
    assert response.status_code < 400, (url, response.status_code, response.content[:300])
    extra = ["location", "parent", "theme", "answers", "accuracy_m", "address", "photo"]
    for name in [*valid, *extra]:
        for value in HOSTILE_VALUES:
            body = json.dumps(valid)[:-1] + f', "{name}": {value}}}'
            if name in valid:
                body = json.dumps({k: v for k, v in valid.items() if k != name})
                body = (body[:-1] + ", " if len(body) > 2 else "{") + f'"{name}": {value}}}'
            _check(_send(client, method, url, body), f"{method} {url} {name}={value[:40]}")


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/auth/token/", '{"email": "\\ud800", "password": "x"}', "email"),
        (
            "/api/v1/auth/register/",
            '{"email": "a@b.fr", "password": "x", "language": "\\ud800"}',
            "language",
        ),
        ("/api/v1/contact/", '{"kind": "\\ud800", "body": "x"}', "kind"),
    ],
)
def test_a_lone_surrogate_is_a_400_naming_the_field(api, db, path, body, field):
    response = api.generic("POST", path, body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert field in response.json()["fields"]


@pytest.mark.parametrize(
    "path", ["/api/v1/auth/token/", "/api/v1/contact/", "/open311/v2/requests.json"]
)
@pytest.mark.parametrize("charset", ["iso-8859-1", "utf-16"])
def test_a_form_in_another_encoding_is_a_400(api, db, path, charset):
    response = api.generic(
        "POST",
        path,
        "email=a&password=b",
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert response.status_code == 400, response.content
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/signalements/?category=99999999999999999999",
        "/api/v1/signalements/?created_since=0001-01-01",
        "/api/v1/signalements/?created_since=9999-12-31T23:59:59-12:00",
        "/api/v1/categories/?updated_since=0001-01-01",
        "/api/v1/themes/?updated_since=0001-01-01",
        "/api/v1/signalements/map/?since=0001-01-01",
        "/api/v1/stats/signalements/?category=99999999999999999999",
        "/api/v1/stats/signalements/?since=0001-01-01T00:00:00%2B14:00",
    ],
)
def test_filters_at_the_ends_of_numbers_and_dates_name_the_parameter(api, db, url):
    response = api.get(url)
    assert response.status_code == 400, (url, response.status_code, response.content[:300])
    parameter = url.split("?", 1)[1].split("=", 1)[0]
    assert parameter in response.json()["fields"], response.json()


def test_an_agent_filter_past_a_bigint_names_the_parameter(client_for, agent_voirie):
    for url in (
        "/api/v1/agent/signalements/?category=-1e20",
        "/api/v1/agent/signalements/?created_since=0001-01-01",
    ):
        response = client_for(agent_voirie).get(url)
        assert response.status_code == 400, (url, response.content[:300])


def test_answers_nested_thousands_deep_in_a_multipart_report_are_a_400(client_for, citizen):
    response = client_for(citizen).post(
        "/api/v1/signalements/",
        {
            "category": Category.objects.values_list("pk", flat=True).first(),
            "latitude": "43.8367",
            "longitude": "4.3601",
            "answers": "[" * 5000 + "]" * 5000,
        },
        format="multipart",
    )
    assert response.status_code == 400, response.content[:300]
    assert "answers" in response.json()["fields"]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_path_without_its_final_slash_is_a_404_naming_the_right_one(api, db, settings, method):
    settings.DEBUG = True
    response = api.generic(method, "/api/v1/signalements", "{}", content_type="application/json")
    assert response.status_code == 404
    assert "/api/v1/signalements/" in response.json()["detail"]


def test_open311_with_an_empty_multipart_boundary_is_a_400(api, db):
    response = api.generic(
        "POST", "/open311/v2/requests.xml", "x", content_type="multipart/form-data; boundary="
    )
    assert response.status_code == 400, response.content[:300]
    assert b"<code>400</code>" in response.content
