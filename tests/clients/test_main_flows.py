"""The app's main flows, driven through the generated Python client, unedited.

The client talks HTTP to the whole Django stack (middleware included) through httpx's WSGI
transport, and every answer is checked against the schema: its status must be documented
for the operation and its body must match that status's schema.
"""

from __future__ import annotations

import io
from http import HTTPStatus
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
import schemathesis
from PIL import Image
from schemathesis.core.transport import Response as CheckedResponse

from backend.wsgi import application
from signalements.models import Category

pytestmark = pytest.mark.django_db

PASSWORD = "Nimes-Demo-2026"


@pytest.fixture
def schema(schema_file):
    return schemathesis.openapi.from_path(str(schema_file))


@pytest.fixture
def checked(schema, connections_kept_open):
    """httpx arguments (the WSGI app as transport, each answer checked against the schema)
    and the answers seen."""
    seen: list[str] = []

    def check(response: httpx.Response) -> None:
        response.read()
        request = response.request
        operation = schema.find_operation_by_path(request.method, request.url.path)
        assert operation is not None, f"{request.method} {request.url.path} is not in the schema"
        documented = operation.definition.raw["responses"]
        assert str(response.status_code) in documented, (
            f"{request.method} {request.url.path} answered {response.status_code}, "
            f"documented: {sorted(documented)}: {response.text[:300]}"
        )
        schema.validate_response(operation, CheckedResponse.from_any(response))
        seen.append(f"{response.status_code} {operation.label}")

    return SimpleNamespace(
        httpx_args={
            "transport": httpx.WSGITransport(app=application),
            "event_hooks": {"response": [check]},
        },
        seen=seen,
    )


def photo(name: str) -> Any:
    from agglo_client.types import File

    buffer = io.BytesIO()
    Image.radial_gradient("L").resize((1600, 1200)).convert("RGB").save(buffer, "JPEG")
    buffer.seek(0)
    return File(payload=buffer, file_name=name, mime_type="image/jpeg")


def ok(response: Any, status: HTTPStatus = HTTPStatus.OK) -> Any:
    assert response.status_code == status, (response.status_code, response.content[:500])
    return response.parsed


def test_a_resident_and_an_agent_through_the_generated_client(agglo_client, checked):
    from agglo_client import AuthenticatedClient, Client, models
    from agglo_client.api.agent import (
        agent_signalements_list,
        agent_signalements_retrieve,
        agent_signalements_transition_create,
    )
    from agglo_client.api.auth import (
        auth_register_create,
        auth_token_create,
        auth_token_refresh_create,
    )
    from agglo_client.api.consultations import (
        consultations_contributions_create,
        consultations_contributions_list,
        consultations_list,
    )
    from agglo_client.api.contributions import (
        contributions_flag_create,
        contributions_support_create,
    )
    from agglo_client.api.devices import devices_create, devices_preferences_partial_update
    from agglo_client.api.me import me_preferences_retrieve, me_signalements_list
    from agglo_client.api.notifications import notifications_list
    from agglo_client.api.organisations import organisations_charter_list
    from agglo_client.api.signalements import (
        signalements_create,
        signalements_follow_create,
        signalements_list,
        signalements_retrieve,
    )

    base = "http://testserver"
    anonymous = Client(base_url=base, httpx_args=checked.httpx_args)

    # A phone without an account registers its FCM token and chooses its interests.
    device = models.DeviceRequest(token="fcm-token-flows", platform=models.PlatformEnum.ANDROID)
    ok(devices_create.sync_detailed(client=anonymous, body=device), HTTPStatus.CREATED)
    ok(
        devices_preferences_partial_update.sync_detailed(
            "fcm-token-flows",
            client=anonymous,
            body=models.PatchedPreferencesRequest(communes=["30189"], themes=["transports"]),
        )
    )

    # Register on that phone: the answer has the tokens, and the phone's interests.
    email = "flows@example.fr"
    session = ok(
        auth_register_create.sync_detailed(
            client=anonymous,
            body=models.RegisterRequest(
                email=email,
                password="Un-Bon-Mot-2026",
                first_name="Inès",
                device_token="fcm-token-flows",
            ),
        ),
        HTTPStatus.CREATED,
    )
    assert session.user.email == email
    resident = AuthenticatedClient(
        base_url=base, token=session.access, httpx_args=checked.httpx_args
    )
    preferences = ok(me_preferences_retrieve.sync_detailed(client=resident))
    assert preferences.communes == ["30189"] and preferences.themes == ["transports"]

    # Log in again and refresh.
    pair = ok(
        auth_token_create.sync_detailed(
            client=anonymous,
            body=models.LoginRequest(email=email, password="Un-Bon-Mot-2026"),
        )
    )
    pair = ok(
        auth_token_refresh_create.sync_detailed(
            client=anonymous, body=models.TokenRefreshRequest(refresh=pair.refresh)
        )
    )
    resident = AuthenticatedClient(base_url=base, token=pair.access, httpx_args=checked.httpx_args)
    ok(devices_create.sync_detailed(client=resident, body=device))

    # File a report with two photos (multipart), as a retry-safe request.
    category = Category.objects.get(slug="fuite-d-eau")
    answers = models.SignalementCreateRequestAnswers.from_dict({"emplacement": "trottoir"})
    filed = ok(
        signalements_create.sync_detailed(
            client=resident,
            idempotency_key="flows-1",
            body=models.SignalementCreateRequest(
                category=category.pk,
                description="De l'eau coule sur le trottoir",
                answers=answers,
                latitude=43.8367,
                longitude=4.3601,
                photos=[photo("avant.jpg"), photo("detail.jpg")],
            ),
        ),
        HTTPStatus.CREATED,
    )
    assert len(filed.photos) == 2

    # Follow someone else's public report, read my reports and my inbox.
    public = ok(signalements_list.sync_detailed(client=resident))
    other = next(item for item in public.results if item.id != filed.id)
    ok(signalements_follow_create.sync_detailed(other.id, client=resident))
    followed = ok(signalements_retrieve.sync_detailed(other.id, client=resident))
    assert followed.following and not followed.mine
    mine = ok(me_signalements_list.sync_detailed(client=resident))
    assert [item.id for item in mine.results] == [filed.id]
    ok(notifications_list.sync_detailed(client=resident))

    # Consultations: list, contribute, support and flag another contribution.
    consultations = ok(consultations_list.sync_detailed(client=resident))
    slug = "plan-de-mobilite-2035"
    assert slug in [item.slug for item in consultations.results]
    ok(
        consultations_contributions_create.sync_detailed(
            slug,
            client=resident,
            body=models.ContributionCreateRequest(
                kind=models.ContributionKindEnum.IDEA, body="Un parking vélo à la gare"
            ),
        ),
        HTTPStatus.CREATED,
    )
    listed = ok(consultations_contributions_list.sync_detailed(slug, client=resident))
    others = [item for item in listed.results if item.author_name != "Inès"]
    ok(contributions_support_create.sync_detailed(others[0].id, client=resident))
    charter = ok(organisations_charter_list.sync_detailed("nimes-metropole", client=resident))
    reason = charter[0].id if isinstance(charter, list) else charter.reasons[0].id
    flagged = contributions_flag_create.sync_detailed(
        others[1].id, client=resident, body=models.FlagRequest(reason=reason)
    )
    assert flagged.status_code in (HTTPStatus.CREATED, HTTPStatus.OK)

    # An agent of the direction takes the report through the workflow.
    agent_pair = ok(
        auth_token_create.sync_detailed(
            client=anonymous,
            body=models.LoginRequest(email="agent.eau@demo.test", password=PASSWORD),
        )
    )
    agent = AuthenticatedClient(
        base_url=base, token=agent_pair.access, httpx_args=checked.httpx_args
    )
    queue = ok(agent_signalements_list.sync_detailed(client=agent))
    assert filed.id in [item.id for item in queue.results]
    for status in ("pris_en_compte", "programme", "en_cours"):
        ok(
            agent_signalements_transition_create.sync_detailed(
                filed.id,
                client=agent,
                body=models.TransitionRequest(
                    status=models.SignalementStatusEnum(status), public_message="En route."
                ),
            )
        )
    resolved = ok(
        agent_signalements_transition_create.sync_detailed(
            filed.id,
            client=agent,
            body=models.TransitionRequest(
                status=models.SignalementStatusEnum.RESOLU,
                public_message="C'est réparé.",
                photo=photo("apres.jpg"),
            ),
        )
    )
    assert resolved.status == models.SignalementStatusEnum.RESOLU
    detail = ok(agent_signalements_retrieve.sync_detailed(filed.id, client=agent))
    assert [step.status for step in detail.timeline][-1] == models.SignalementStatusEnum.RESOLU

    # The reporter sees the resolution and may reopen it.
    seen = ok(signalements_retrieve.sync_detailed(filed.id, client=resident))
    assert seen.mine and seen.can_reopen
    assert len(checked.seen) >= 25, checked.seen
