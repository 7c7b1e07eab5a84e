"""Every operation of the OpenAPI schema, for every role, against what that role may do.

The schema is enumerated: an operation without an entry in RULES fails the suite.
Each call carries a body the operation accepts (BODIES) on objects that can take it.
"Allowed" means the role gets the success status the schema documents for the
operation (its 2xx responses); only the pairs listed in CANNOT_SUCCEED, each with its
reason, may answer the 400 or 409 of a body that cannot hold for that role. "Denied"
means 401 for anonymous and 403 or 404 for a logged-in person who may not act.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable

import pytest
import yaml
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from PIL import Image
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from backend.demo import DEMO_PASSWORD
from backend.models import Direction, Organisation, OrganisationRole, User
from contributions.demo import demo_panel_criteria
from contributions.models import Panel, PanelVolunteer, PoolPerson
from contributions.services.panel import (
    panel_draw_invitations,
    panel_pool_import,
    panel_set_criteria,
)
from contributions.services.restitution import restitution_save
from push import services as push_services
from push.models import Kind
from signalements import services as signalement_services
from signalements.models import Category, Status
from tests import figures
from tests.contributions.pool_factory import pool_csv, pool_rows
from tests.signalements.factories import NIMES, SAINT_GILLES, file_report

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
    "participation",
]
EVERYONE = set(ROLES)
LOGGED_IN = EVERYONE - {"anonymous"}
OWNER = {"owner"}
DIRECTION = {"agent_routed", "manager"}
ORG_STAFF = {"moderator", "org_admin"}
ORG_ADMIN = {"org_admin"}
# The citizen panel's pool is personal data: its organisation's participation officer only.
PARTICIPATION = {"participation"}
# Anyone with a role or a seat in a direction: staff lists are filtered to what they may see.
STAFF = LOGGED_IN - {"owner", "other_citizen"}
# A seat in any direction (the moderator manages one) or the back-office superuser (org_admin).
FIELD_SERVICE = STAFF - {"moderator_other", "participation"}

MODERATOR_OTHER = "Gard-Mod-2026"
# The passwords of the personas who are not demo accounts (those share DEMO_PASSWORD).
PARTICIPATION_PASSWORD = "Panel-Tirage-2026"
PASSWORDS = {
    "voisin@example.test": "Voisin-Password-2026",
    "moderation.gard@example.test": MODERATOR_OTHER,
    "participation@example.test": PARTICIPATION_PASSWORD,
}
NEW_PASSWORD = "Un-Autre-Mot-De-Passe-2026"

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
    "GET /api/v1/organisations/{slug}/": EVERYONE,
    "GET /api/v1/organisations/{slug}/charter/": EVERYONE,
    "GET /api/v1/communes/": EVERYONE,
    "GET /api/v1/communes/{insee_code}/": EVERYONE,
    "GET /api/v1/communes/locate/": EVERYONE,
    "GET /api/v1/themes/": EVERYONE,
    "GET /api/v1/themes/{slug}/": EVERYONE,
    "GET /api/v1/consultation-themes/": EVERYONE,
    "GET /api/v1/consultation-themes/{slug}/": EVERYONE,
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
    "GET /api/v1/consultations/feed.atom": EVERYONE,
    "GET /api/v1/consultations/calendar.ics": EVERYONE,
    "GET /api/v1/consultations/{slug}/calendar.ics": EVERYONE,
    "GET /api/v1/consultations/{slug}/meetings/{meeting_id}/calendar.ics": EVERYONE,
    "GET /api/v1/consultations/map/": EVERYONE,
    "GET /api/v1/consultations/{slug}/contributions/": EVERYONE,
    "GET /api/v1/consultations/{slug}/restitution/": EVERYONE,
    "GET /api/v1/contributions/{id}/": EVERYONE,
    "GET /api/v1/contributions/{id}/replies/": EVERYONE,
    "GET /api/v1/actors/": EVERYONE,
    "GET /api/v1/panels/": EVERYONE,
    "GET /api/v1/panels/{slug}/": EVERYONE,
    "POST /api/v1/panels/{slug}/pool/": PARTICIPATION,
    "POST /api/v1/panels/{slug}/invitations/": PARTICIPATION,
    "GET /api/v1/panels/{slug}/letters.csv": PARTICIPATION,
    "GET /api/v1/panels/{slug}/members.csv": PARTICIPATION,
    "POST /api/v1/panels/{slug}/criteria/": PARTICIPATION,
    "POST /api/v1/panels/{slug}/selection/": PARTICIPATION,
    "POST /api/v1/panels/{slug}/departures/": PARTICIPATION,
    # The files to re-run the selection: numbers and declared criteria, never names.
    "GET /api/v1/panels/{slug}/volunteers.csv": EVERYONE,
    "GET /api/v1/panels/{slug}/quotas.csv": EVERYONE,
    # Whoever got a letter answers it from their account.
    "POST /api/v1/panels/{slug}/volunteers/": LOGGED_IN,
    "GET /api/v1/me/panels/": LOGGED_IN,
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
    "GET /api/v1/agent/signalements/{id}/photos/{photo_id}/original/": DIRECTION,
    "POST /api/v1/agent/signalements/{id}/notes/": DIRECTION,
    "POST /api/v1/agent/signalements/{id}/category/": DIRECTION,
    # A direction's people, for assigning (the report's direction), and one's own directions.
    "GET /api/v1/directions/{slug}/members/": DIRECTION | {"org_admin"},
    "GET /api/v1/me/directions/": LOGGED_IN,
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
    # Moderators and directions answer the contact form; the participation officer does not.
    "GET /api/v1/contact-messages/": STAFF - PARTICIPATION,
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
    "GET /api/v1/moderation/log/": ORG_STAFF | {"moderator_other"},
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
    """One object of each kind, owned by the citizen, in a state the writes accept; and
    the ten personas."""
    from contributions.models import (
        Actor,
        CharterReason,
        Consultation,
        ContactMessage,
        Contribution,
        Meeting,
    )

    gard = Organisation.objects.get(slug="departement-du-gard")
    moderator_other = User.objects.create_user("moderation.gard@example.test", MODERATOR_OTHER)
    OrganisationRole.objects.create(
        user=moderator_other, organisation=gard, role=OrganisationRole.Role.MODERATOR
    )
    report = file_report(
        citizen, at=SAINT_GILLES, photos=[SimpleUploadedFile("p.jpg", jpeg(), "image/jpeg")]
    )
    # A second report of the same queue, which the first may duplicate.
    original = file_report(other_citizen, at=SAINT_GILLES)
    # A resolved report, which its reporter may reopen.
    resolved = file_report(citizen, at=SAINT_GILLES)
    for status in (Status.ACKNOWLEDGED, Status.RESOLVED):
        signalement_services.signalement_transition(
            signalement=resolved, actor=agent_voirie, status=status
        )
    push_services.device_register(token="matrix-token", platform="android", user=citizen)
    [notification] = push_services.notify(
        users=[citizen], kind=Kind.MY_REPORTS, title={"fr": "x"}, body={"fr": "y"}
    )
    # Open, of the moderator's organisation, and in the hands of a direction none of the
    # personas sits in: only the organisation's staff act on it.
    consultation = (
        Consultation.objects.open()
        .filter(contributions_allowed=True, organisation__slug="nimes-metropole")
        .exclude(
            direction__memberships__user__in=[agent_voirie, agent_eau, manager_voirie, moderator]
        )
        .first()
    )
    # A closed consultation with its restitution written, not yet published.
    closed = Consultation.objects.closed().filter(restitution__isnull=True).first()
    restitution_save(
        consultation=closed, by=org_admin, body="Ce que nous avons retenu.", visibility="public"
    )
    # In the open consultation: a closed one refuses supports and edits to everyone.
    contribution = Contribution.objects.create(
        consultation=consultation,
        author=citizen,
        kind=Contribution.Kind.IDEA,
        body="Une idée",
        state=Contribution.State.PUBLISHED,
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
    officer = User.objects.create_user("participation@example.test", PARTICIPATION_PASSWORD)
    agglomeration = Organisation.objects.get(slug="nimes-metropole")
    OrganisationRole.objects.create(
        user=officer, organisation=agglomeration, role=OrganisationRole.Role.PARTICIPATION
    )
    # A panel with its pool imported, and one whose invitations are drawn.
    pooled, drawn = (
        Panel.objects.create(organisation=agglomeration, slug=slug, title=slug, invitations=3)
        for slug in ("panel-vivier", "panel-invitations")
    )
    for panel in (pooled, drawn):
        panel_pool_import(panel=panel, data=pool_csv(pool_rows(10)))
    panel_draw_invitations(panel=drawn, seed="1 2 3")
    # One taking volunteers (a letter for each persona), one whose quotas are set.
    answering = Panel.objects.create(
        organisation=agglomeration, slug="panel-volontaires", title="v", invitations=12
    )
    panel_pool_import(panel=answering, data=pool_csv(pool_rows(12)))
    panel_set_criteria(panel=answering, criteria=demo_panel_criteria())
    panel_draw_invitations(panel=answering, seed="4 5 6")
    quotas = [{"criterion": "sexe", "value": "F", "min": 50, "max": 52}]
    Panel.objects.create(
        organisation=agglomeration, slug="panel-quotas", title="q", selection_quotas=quotas
    )
    restituted = Consultation.objects.filter(restitution_published_at__isnull=False).first()
    meeting = Meeting.objects.filter(consultation=consultation).first() or Meeting.objects.first()
    params = {
        "/api/v1/signalements/{id}": report.pk,
        "/api/v1/signalements/{id}/reopen/": resolved.pk,
        "/api/v1/agent/signalements/{id}": report.pk,
        "/api/v1/notifications/{id}": notification.pk,
        "/api/v1/actors/{id}": actor.pk,
        "/api/v1/contact-messages/{id}": message.pk,
        "/api/v1/directions/{slug}": report.direction.slug,
        "/api/v1/contributions/{id}": contribution.pk,
        "/api/v1/moderation/contributions/{id}": contribution.pk,
        "/api/v1/categories/{id}": report.category_id,
        "/api/v1/themes/{slug}": report.category.theme.slug,
        "/api/v1/consultation-themes/{slug}": "transports",
        "/api/v1/consultations/{slug}/restitution": restituted.slug,
        "/api/v1/consultations/{slug}/restitution/publish/": closed.slug,
        "{slug}": consultation.slug,
        "/api/v1/organisations/{slug}": "nimes-metropole",
        "/api/v1/panels/{slug}": pooled.slug,
        "/api/v1/panels/{slug}/letters.csv": drawn.slug,
        "/api/v1/panels/{slug}/criteria/": drawn.slug,
        "/api/v1/panels/{slug}/volunteers": answering.slug,
        "/api/v1/panels/{slug}/selection/": answering.slug,
        "/api/v1/panels/{slug}/quotas.csv": "panel-quotas",
        "{meeting_id}": meeting.pk,
        "{photo_id}": report.photos.get().pk,
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
        "participation": officer,
    }
    data = {
        "citizen": citizen,
        "agent": agent_voirie,
        "original": original,
        "category": Category.objects.filter(is_active=True).exclude(pk=report.category_id).first(),
        "report_category": report.category_id,
        "other_direction": Direction.objects.filter(is_active=True)
        .exclude(pk=report.direction_id)
        .first(),
        "reason": CharterReason.objects.first(),
    }
    return params, people, data


ANSWERS = {"sexe": "F", "age": "30-44", "secteur": "Nîmes", "logement": "locataire"}


def _unused_code(slug: str) -> str:
    """A letter's code nobody has answered yet."""
    used = PanelVolunteer.objects.filter(panel__slug=slug).values("invitation_code")
    letters = PoolPerson.objects.filter(panel__slug=slug).exclude(invitation_code="")
    return letters.exclude(invitation_code__in=used).first().invitation_code


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


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "blue").save(buffer, format="JPEG")
    return buffer.getvalue()


def _refresh(person: User | None, data: dict) -> str:
    return str(RefreshToken.for_user(person or data["citizen"]))


def _reset_link(data: dict) -> dict:
    citizen = data["citizen"]
    return {
        "uid": urlsafe_base64_encode(force_bytes(citizen.pk)),
        "token": default_token_generator.make_token(citizen),
        "new_password": NEW_PASSWORD,
    }


# "METHOD path" -> a valid body, made from (the person calling, the world's objects), and
# its format. Operations without an entry are sent no body.
Body = Callable[[User | None, dict], dict]
BODIES: dict[str, tuple[Body, str]] = {
    "POST /api/v1/auth/register/": (
        lambda person, data: {"email": "nouvelle@example.test", "password": NEW_PASSWORD},
        "json",
    ),
    "POST /api/v1/auth/token/": (
        lambda person, data: {"email": "citoyen@demo.test", "password": DEMO_PASSWORD},
        "json",
    ),
    "POST /api/v1/auth/token/refresh/": (
        lambda person, data: {"refresh": _refresh(person, data)},
        "json",
    ),
    "POST /api/v1/auth/logout/": (lambda person, data: {"refresh": _refresh(person, data)}, "json"),
    "POST /api/v1/auth/password/reset/": (
        lambda person, data: {"email": "citoyen@demo.test"},
        "json",
    ),
    "POST /api/v1/auth/password/reset/confirm/": (lambda person, data: _reset_link(data), "json"),
    "PUT /api/v1/me/": (
        lambda person, data: {"first_name": "Zoé", "last_name": "Martin", "language": "fr"},
        "json",
    ),
    "PATCH /api/v1/me/": (lambda person, data: {"first_name": "Zoé"}, "json"),
    "POST /api/v1/me/password/": (
        lambda person, data: {
            "old_password": PASSWORDS.get(getattr(person, "email", ""), DEMO_PASSWORD),
            "new_password": NEW_PASSWORD,
        },
        "json",
    ),
    "PUT /api/v1/me/preferences/": (
        lambda person, data: {"communes": ["30189"], "themes": [], "channels": {}},
        "json",
    ),
    "PATCH /api/v1/me/preferences/": (lambda person, data: {"communes": ["30189"]}, "json"),
    "POST /api/v1/devices/": (
        lambda person, data: {"token": "matrix-new-token", "platform": "android", "locale": "fr"},
        "json",
    ),
    "PUT /api/v1/devices/{token}/preferences/": (
        lambda person, data: {"communes": ["30189"], "themes": [], "channels": {}},
        "json",
    ),
    "PATCH /api/v1/devices/{token}/preferences/": (
        lambda person, data: {"communes": ["30189"]},
        "json",
    ),
    "POST /api/v1/signalements/": (
        lambda person, data: {
            "category": data["report_category"],
            "latitude": SAINT_GILLES[0],
            "longitude": SAINT_GILLES[1],
            "description": "Un nid-de-poule devant l'école.",
        },
        "json",
    ),
    "POST /api/v1/signalements/{id}/photos/": (
        lambda person, data: {"photos": [io.BytesIO(jpeg())]},
        "multipart",
    ),
    "POST /api/v1/panels/{slug}/pool/": (
        lambda person, data: {
            "file": SimpleUploadedFile("liste.csv", pool_csv(pool_rows(5)), "text/csv")
        },
        "multipart",
    ),
    "POST /api/v1/panels/{slug}/invitations/": (
        lambda person, data: {"seed": "Loto du 5 décembre : 3 14 15 27 41"},
        "json",
    ),
    "POST /api/v1/panels/{slug}/criteria/": (
        lambda person, data: {"criteria": demo_panel_criteria()},
        "json",
    ),
    "POST /api/v1/panels/{slug}/volunteers/": (
        lambda person, data: {"code": _unused_code("panel-volontaires"), "answers": ANSWERS},
        "json",
    ),
    "POST /api/v1/panels/{slug}/selection/": (
        lambda person, data: {
            "seed": "Euromillions",
            "quotas": [{"criterion": "sexe", "value": "F", "min": 1, "max": 2}],
        },
        "json",
    ),
    "POST /api/v1/panels/{slug}/departures/": (lambda person, data: {"number": 1}, "json"),
    "POST /api/v1/signalements/{id}/reopen/": (
        lambda person, data: {"public_message": "Le trou est revenu."},
        "json",
    ),
    "POST /api/v1/agent/signalements/{id}/transition/": (
        lambda person, data: {"status": "pris_en_compte", "public_message": "Vu."},
        "json",
    ),
    "POST /api/v1/agent/signalements/{id}/assign/": (
        lambda person, data: {"agent": data["agent"].pk},
        "json",
    ),
    "POST /api/v1/agent/signalements/{id}/transfer/": (
        lambda person, data: {
            "direction": data["other_direction"].slug,
            "reason": "Pas chez nous.",
        },
        "json",
    ),
    "POST /api/v1/agent/signalements/{id}/duplicate/": (
        lambda person, data: {"original": data["original"].pk},
        "json",
    ),
    "POST /api/v1/agent/signalements/{id}/notes/": (lambda person, data: {"text": "Vu."}, "json"),
    "POST /api/v1/agent/signalements/{id}/category/": (
        lambda person, data: {"category": data["category"].slug},
        "json",
    ),
    "PUT /api/v1/consultations/{slug}/restitution/": (
        lambda person, data: {"body": "Ce que nous avons retenu.", "visibility": "public"},
        "json",
    ),
    "POST /api/v1/consultations/{slug}/restitution/documents/": (
        lambda person, data: {
            "title": "Bilan",
            "file": SimpleUploadedFile("bilan.pdf", b"%PDF-1.4\n%%EOF\n"),
        },
        "multipart",
    ),
    "POST /api/v1/actors/": (
        lambda person, data: {
            "kind": "association",
            "name": "Les jardins",
            "contact_email": "jardins@example.test",
        },
        "json",
    ),
    "PUT /api/v1/actors/{id}/": (
        lambda person, data: {"kind": "association", "name": "Mon asso"},
        "json",
    ),
    "PATCH /api/v1/actors/{id}/": (lambda person, data: {"name": "Mon association"}, "json"),
    "POST /api/v1/contact/": (
        lambda person, data: {
            "kind": "question",
            "body": "Quand passe la collecte ?",
            "email": "zoe@example.test",
        },
        "json",
    ),
    "POST /api/v1/contact-messages/{id}/redirect/": (
        lambda person, data: {"direction": "nm-voirie"},
        "json",
    ),
    "POST /api/v1/contact-messages/{id}/reply/": (
        lambda person, data: {"body": "Le mardi."},
        "json",
    ),
    "POST /api/v1/consultations/{slug}/contributions/": (
        lambda person, data: {"kind": "idea", "body": "Planter des arbres."},
        "json",
    ),
    "PATCH /api/v1/contributions/{id}/": (
        lambda person, data: {"body": "Planter des arbres fruitiers."},
        "json",
    ),
    "POST /api/v1/contributions/{id}/answer/": (
        lambda person, data: {"status": "under_study", "body": "Nous étudions."},
        "json",
    ),
    "POST /api/v1/contributions/{id}/flag/": (
        lambda person, data: {"reason": data["reason"].pk, "comment": "Hors sujet."},
        "json",
    ),
    "POST /api/v1/moderation/contributions/{id}/decision/": (
        lambda person, data: {"action": "hide", "reason": data["reason"].pk, "message": "Non."},
        "json",
    ),
}

# "METHOD path" -> the query string of a reading that needs one.
QUERIES = {
    "GET /api/v1/communes/locate/": f"latitude={NIMES[0]}&longitude={NIMES[1]}",
    "GET /api/v1/signalements/map/": "bbox=4.2,43.6,4.6,43.9&zoom=12",
    "GET /api/v1/signalements/nearby/": (
        f"latitude={SAINT_GILLES[0]}&longitude={SAINT_GILLES[1]}&category={{category}}"
    ),
}

# (operation, role) -> why that role's call cannot succeed with the world's data, and the
# status it answers instead. Nothing else may answer anything but the documented success.
CANNOT_SUCCEED: dict[tuple[str, str], tuple[int, str]] = {
    ("POST /api/v1/panels/{slug}/selection/", "participation"): (
        400,
        "no panel of this world has more volunteers than seats (tests/contributions select)",
    ),
    ("POST /api/v1/panels/{slug}/departures/", "participation"): (
        409,
        "no panel of this world is constituted (tests/contributions replace members)",
    ),
    ("POST /api/v1/signalements/{id}/follow/", "owner"): (
        409,
        "the reporter follows their own report from the start",
    ),
}
# "METHOD path" -> the success status the operation answers where the schema documents
# another one: a defect of the schema, listed so that it is seen and fixed, not hidden.
SCHEMA_DISAGREES: dict[str, tuple[int, str]] = {}


@pytest.fixture(scope="module")
def successes(django_db_setup, django_db_blocker) -> dict[str, set[int]]:
    """The 2xx statuses the schema documents for each operation."""
    from django.test import Client

    with django_db_blocker.unblock():
        document = yaml.safe_load(Client().get("/api/schema/").content)
    return {
        f"{method.upper()} {path}": {int(code) for code in operation["responses"] if code[0] == "2"}
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    }


def test_every_listed_exception_is_an_allowed_call(successes):
    for (operation, role), (status, _reason) in CANNOT_SUCCEED.items():
        assert role in RULES[operation], (operation, role)
        assert status in (400, 409), (operation, role, status)
    for operation, (status, _reason) in SCHEMA_DISAGREES.items():
        assert status not in successes[operation], f"{operation} is documented: drop its entry"


@pytest.mark.parametrize("operation", sorted(RULES))
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_it_may(world, successes, operation, role):
    params, people, data = world
    method, template = operation.split(" ", 1)
    path = concrete(template, params)
    assert "{" not in path, path
    client = APIClient()
    person = people[role]
    if person is not None:
        client.force_authenticate(person)
    if operation in QUERIES:
        path += "?" + QUERIES[operation].format(category=data["report_category"])
    make, format = BODIES.get(operation, (lambda person, data: {}, "json"))
    # Denied roles get the valid body too: it must not carry them past the permissions.
    response = getattr(client, method.lower())(path, make(person, data), format=format)
    figures.count("permission matrix: operation x role")
    status = response.status_code
    content = b"" if response.streaming else response.content
    detail = (operation, role, status, content[:300])
    if role in RULES[operation]:
        expected = successes[operation]
        if operation in SCHEMA_DISAGREES:
            expected = {SCHEMA_DISAGREES[operation][0]}
        if (operation, role) in CANNOT_SUCCEED:
            expected = {CANNOT_SUCCEED[operation, role][0]}
        assert status in expected, detail
    elif role == "anonymous":
        # 401, or 404 where a resource is invisible to whoever does not hold it.
        assert status in (401, 403, 404), detail
    else:
        assert status in (403, 404), detail
