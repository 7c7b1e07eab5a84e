"""Every operation of the OpenAPI schema, for every role, against what that role may do.

The schema is enumerated: an operation without an entry in RULES fails the suite.
"Allowed" means the role gets past authentication and authorisation (the answer may
still be 400 for an empty body, or 409); "denied" means 401 for anonymous and
403 or 404 for a logged-in person who may not act.
"""

from __future__ import annotations

import os

import pytest
import yaml
from rest_framework.test import APIClient

from backend.models import Organisation, OrganisationRole, User
from push import services as push_services
from push.models import Kind
from tests import figures
from tests.signalements.factories import file_report

# Permissions and schemas do not depend on the database: checked once, in the PostGIS run.
pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("spatialite"), reason="run on PostGIS"
)

ROLES = [
    "anonymous",
    "owner",
    "other_citizen",
    "agent_routed",
    "agent_other",
    "manager",
    "moderator",
    "moderator_other",
    "org_admin",
]
EVERYONE = set(ROLES)
LOGGED_IN = EVERYONE - {"anonymous"}
OWNER = {"owner"}
DIRECTION = {"agent_routed", "manager"}
ORG_STAFF = {"moderator", "org_admin"}
ORG_ADMIN = {"org_admin"}
# Anyone with a role or a seat in a direction: staff lists are filtered to what they may see.
STAFF = LOGGED_IN - {"owner", "other_citizen"}
# A seat in any direction (the moderator manages one) or the back-office superuser (org_admin).
FIELD_SERVICE = STAFF - {"moderator_other"}

# "METHOD path" -> the roles allowed.
RULES: dict[str, set[str]] = {
    # Accounts: forms anyone may post; the rest acts on one's own account.
    "POST /api/v1/auth/register/": EVERYONE,
    "POST /api/v1/auth/token/": EVERYONE,
    "POST /api/v1/auth/token/refresh/": EVERYONE,
    "POST /api/v1/auth/logout/": EVERYONE,
    "POST /api/v1/auth/password/reset/": EVERYONE,
    "POST /api/v1/auth/password/reset/confirm/": EVERYONE,
    "GET /api/v1/me/": LOGGED_IN,
    "PUT /api/v1/me/": LOGGED_IN,
    "PATCH /api/v1/me/": LOGGED_IN,
    "DELETE /api/v1/me/": LOGGED_IN,
    "GET /api/v1/me/export/": LOGGED_IN,
    "POST /api/v1/me/password/": LOGGED_IN,
    "GET /api/v1/me/preferences/": LOGGED_IN,
    "PUT /api/v1/me/preferences/": LOGGED_IN,
    "PATCH /api/v1/me/preferences/": LOGGED_IN,
    "GET /api/v1/me/signalements/": LOGGED_IN,
    "GET /api/v1/me/contributions/": LOGGED_IN,
    # Public reading.
    "GET /api/v1/organisations/": EVERYONE,
    "GET /api/v1/organisations/{id}/": EVERYONE,
    "GET /api/v1/organisations/{slug}/charter/": EVERYONE,
    "GET /api/v1/communes/": EVERYONE,
    "GET /api/v1/communes/{insee_code}/": EVERYONE,
    "GET /api/v1/communes/locate/": EVERYONE,
    "GET /api/v1/themes/": EVERYONE,
    "GET /api/v1/themes/{id}/": EVERYONE,
    "GET /api/v1/categories/": EVERYONE,
    "GET /api/v1/categories/{id}/": EVERYONE,
    "GET /api/v1/signalements/": EVERYONE,
    "GET /api/v1/signalements/{id}/": EVERYONE,
    "GET /api/v1/signalements/map/": EVERYONE,
    "GET /api/v1/signalements/nearby/": EVERYONE,
    "GET /api/v1/stats/signalements/": EVERYONE,
    "GET /api/v1/consultations/": EVERYONE,
    "GET /api/v1/consultations/{slug}/": EVERYONE,
    "GET /api/v1/consultations/feed.json": EVERYONE,
    "GET /api/v1/consultations/map/": EVERYONE,
    "GET /api/v1/consultations/{slug}/contributions/": EVERYONE,
    "GET /api/v1/consultations/{slug}/restitution/": EVERYONE,
    "GET /api/v1/contributions/{id}/": EVERYONE,
    "GET /api/v1/actors/": EVERYONE,
    # Devices: whoever holds the token, but a device linked to an account is that account's.
    "POST /api/v1/devices/": EVERYONE,
    "DELETE /api/v1/devices/{token}/": OWNER,
    "GET /api/v1/devices/{token}/preferences/": OWNER,
    "PUT /api/v1/devices/{token}/preferences/": OWNER,
    "PATCH /api/v1/devices/{token}/preferences/": OWNER,
    # The inbox.
    "GET /api/v1/notifications/": LOGGED_IN,
    "POST /api/v1/notifications/{id}/read/": OWNER,
    "POST /api/v1/notifications/read-all/": LOGGED_IN,
    # Reports, the citizen side.
    "POST /api/v1/signalements/": LOGGED_IN,
    "POST /api/v1/signalements/{id}/photos/": OWNER,
    "POST /api/v1/signalements/{id}/reopen/": OWNER,
    "POST /api/v1/signalements/{id}/follow/": LOGGED_IN,
    "DELETE /api/v1/signalements/{id}/follow/": LOGGED_IN,
    # Reports, the field service (the queue lists only the direction's tickets).
    "GET /api/v1/agent/signalements/": FIELD_SERVICE,
    "GET /api/v1/agent/signalements/export/csv/": FIELD_SERVICE,
    "GET /api/v1/agent/signalements/export/geojson/": FIELD_SERVICE,
    "GET /api/v1/agent/signalements/{id}/": DIRECTION,
    "POST /api/v1/agent/signalements/{id}/transition/": DIRECTION,
    "POST /api/v1/agent/signalements/{id}/assign/": DIRECTION,
    "POST /api/v1/agent/signalements/{id}/transfer/": DIRECTION,
    "POST /api/v1/agent/signalements/{id}/duplicate/": DIRECTION,
    "GET /api/v1/agent/signalements/{id}/notes/": DIRECTION,
    "POST /api/v1/agent/signalements/{id}/notes/": DIRECTION,
    "POST /api/v1/agent/signalements/{id}/category/": DIRECTION,
    # Consultations.
    "POST /api/v1/consultations/{slug}/follow/": LOGGED_IN,
    "DELETE /api/v1/consultations/{slug}/follow/": LOGGED_IN,
    "POST /api/v1/consultations/{slug}/meetings/{meeting_id}/registration/": LOGGED_IN,
    "DELETE /api/v1/consultations/{slug}/meetings/{meeting_id}/registration/": LOGGED_IN,
    "POST /api/v1/consultations/{slug}/publish/": ORG_ADMIN,
    "PUT /api/v1/consultations/{slug}/restitution/": ORG_ADMIN,
    "POST /api/v1/consultations/{slug}/restitution/documents/": ORG_ADMIN,
    "POST /api/v1/consultations/{slug}/restitution/publish/": ORG_ADMIN,
    "GET /api/v1/staff/restitutions/": STAFF,
    "POST /api/v1/organisations/{slug}/follow/": LOGGED_IN,
    "DELETE /api/v1/organisations/{slug}/follow/": LOGGED_IN,
    "POST /api/v1/actors/": LOGGED_IN,
    "GET /api/v1/actors/{id}/": OWNER | ORG_ADMIN,
    "PUT /api/v1/actors/{id}/": OWNER,
    "PATCH /api/v1/actors/{id}/": OWNER,
    "POST /api/v1/actors/{id}/validate/": ORG_ADMIN,
    "POST /api/v1/contact/": EVERYONE,
    "GET /api/v1/contact-messages/": STAFF,
    "GET /api/v1/contact-messages/{id}/": ORG_STAFF,
    "POST /api/v1/contact-messages/{id}/close/": ORG_STAFF,
    "POST /api/v1/contact-messages/{id}/redirect/": ORG_STAFF,
    "POST /api/v1/contact-messages/{id}/reply/": ORG_STAFF,
    # Contributions and moderation.
    "POST /api/v1/consultations/{slug}/contributions/": LOGGED_IN,
    "PATCH /api/v1/contributions/{id}/": OWNER,
    "POST /api/v1/contributions/{id}/answer/": ORG_ADMIN,
    "POST /api/v1/contributions/{id}/flag/": LOGGED_IN - OWNER,
    "POST /api/v1/contributions/{id}/support/": LOGGED_IN,
    "DELETE /api/v1/contributions/{id}/support/": LOGGED_IN,
    "GET /api/v1/moderation/contributions/": ORG_STAFF | {"moderator_other"},
    "POST /api/v1/moderation/contributions/{id}/decision/": ORG_STAFF,
    "GET /api/v1/moderation/log/": ORG_ADMIN,
}


def _operations() -> list[str]:
    from django.test import Client

    document = yaml.safe_load(Client().get("/api/schema/").content)
    return [
        f"{method.upper()} {path}"
        for path, item in document["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    ]


@pytest.fixture(scope="module")
def operations(django_db_setup, django_db_blocker) -> list[str]:
    with django_db_blocker.unblock():
        return _operations()


def test_every_operation_of_the_schema_has_an_entry(operations):
    missing = sorted(set(operations) - set(RULES))
    stale = sorted(set(RULES) - set(operations))
    assert not missing, f"operations without an entry in RULES: {missing}"
    assert not stale, f"entries of RULES for no operation: {stale}"


@pytest.fixture
def world(
    db, citizen, other_citizen, agent_voirie, agent_eau, manager_voirie, moderator, org_admin
):
    """One object of each kind, owned by the citizen; and the nine personas."""
    from contributions.models import Actor, Consultation, ContactMessage, Contribution, Meeting

    gard = Organisation.objects.get(slug="departement-du-gard")
    moderator_other = User.objects.create_user("moderation.gard@example.test", "Gard-Mod-2026")
    OrganisationRole.objects.create(
        user=moderator_other, organisation=gard, role=OrganisationRole.Role.MODERATOR
    )
    report = file_report(citizen, at=(43.67861, 4.43167))
    push_services.device_register(token="matrix-token", platform="android", user=citizen)
    [notification] = push_services.notify(
        users=[citizen], kind=Kind.MY_REPORTS, title={"fr": "x"}, body={"fr": "y"}
    )
    consultation = Consultation.objects.open().filter(contributions_allowed=True).first()
    contribution = Contribution.objects.filter(
        author=citizen
    ).first() or Contribution.objects.create(
        consultation=consultation, author=citizen, kind="idee", body="Une idée"
    )
    actor = Actor.objects.create(
        owner=citizen, name="Mon asso", kind="association", contact_email="a@example.test"
    )
    message = ContactMessage.objects.create(
        kind="question",
        body="Bonjour",
        email="citoyen@demo.test",
        organisation=Organisation.objects.get(slug="nimes-metropole"),
    )
    restituted = Consultation.objects.filter(restitution_published_at__isnull=False).first()
    meeting = Meeting.objects.filter(consultation=consultation).first() or Meeting.objects.first()
    params = {
        "/api/v1/signalements/{id}": report.pk,
        "/api/v1/agent/signalements/{id}": report.pk,
        "/api/v1/notifications/{id}": notification.pk,
        "/api/v1/actors/{id}": actor.pk,
        "/api/v1/contact-messages/{id}": message.pk,
        "/api/v1/organisations/{id}": Organisation.objects.get(slug="nimes-metropole").pk,
        "/api/v1/contributions/{id}": contribution.pk,
        "/api/v1/moderation/contributions/{id}": contribution.pk,
        "/api/v1/categories/{id}": report.category_id,
        "/api/v1/themes/{id}": report.category.theme_id,
        "/api/v1/consultations/{slug}/restitution": restituted.slug,
        "{slug}": consultation.slug,
        "/api/v1/organisations/{slug}": "nimes-metropole",
        "{meeting_id}": meeting.pk,
        "{insee_code}": "30189",
        "{token}": "matrix-token",
    }
    people = {
        "anonymous": None,
        "owner": citizen,
        "other_citizen": other_citizen,
        "agent_routed": agent_voirie,
        "agent_other": agent_eau,
        "manager": manager_voirie,
        "moderator": moderator,
        "moderator_other": moderator_other,
        "org_admin": org_admin,
    }
    return params, people


def concrete(path: str, params: dict) -> str:
    """Fill a path's placeholders: the longest matching prefix rule first, then by name."""
    for template, value in sorted(params.items(), key=lambda item: -len(item[0])):
        if template.startswith("/") and path.startswith(template):
            start = template.rindex("{")
            placeholder = template[start : template.index("}", start) + 1]
            path = template.replace(placeholder, str(value)) + path[len(template) :]
            break
    for template, value in params.items():
        if template.startswith("{"):
            path = path.replace(template, str(value))
    return path


@pytest.mark.parametrize("operation", sorted(RULES))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_it_may(world, operation, role):
    params, people = world
    method, template = operation.split(" ", 1)
    path = concrete(template, params)
    assert "{" not in path, path
    client = APIClient()
    if people[role] is not None:
        client.force_authenticate(people[role])
    response = getattr(client, method.lower())(path, {}, format="json")
    figures.count("permission matrix: operation x role")
    status = response.status_code
    assert status < 500, (operation, role, status)
    if role in RULES[operation]:
        assert status not in (401, 403, 404, 405), (operation, role, status, response.content[:200])
    elif role == "anonymous":
        # 401, or 404 where a resource is invisible to whoever does not hold it.
        assert status in (401, 403, 404), (operation, role, status)
    else:
        assert status in (403, 404), (operation, role, status, response.content[:200])
