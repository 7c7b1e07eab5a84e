"""Restitutions: who writes, who reads, the regulatory rule, participants told exactly once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.models import Direction
from contributions.models import (
    Consultation,
    ConsultationFollow,
    ContributionSupport,
    Meeting,
    MeetingRegistration,
)
from contributions.selectors.restitution import consultations_restitution_overdue
from contributions.services.answers import contribution_answer
from contributions.services.contributions import contribution_create
from contributions.services.restitution import restitution_save
from push.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(open_consultation):
    return open_consultation("voirie", direction=Direction.objects.get(slug="nm-voirie"))


def _close(consultation: Consultation, days_ago: int = 1) -> None:
    consultation.closes_at = timezone.now() - timedelta(days=days_ago)
    consultation.opens_at = consultation.closes_at - timedelta(days=30)
    consultation.save()


def _write(client_for, user, slug="voirie", visibility="public"):
    return client_for(user).put(
        f"/api/v1/consultations/{slug}/restitution/",
        {"body": "<p>Synthèse</p><script>x</script>", "visibility": visibility},
        format="json",
    )


def _publish(client_for, user, slug="voirie"):
    return client_for(user).post(f"/api/v1/consultations/{slug}/restitution/publish/")


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("manager_voirie", 200),
        ("org_admin", 200),
        ("agent_voirie", 403),
        ("moderator", 403),
        ("citizen", 403),
        (None, 401),
    ],
)
def test_who_writes_the_restitution(client_for, request, consultation, persona, expected):
    user = request.getfixturevalue(persona) if persona else None
    response = _write(client_for, user)
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["body"] == "<p>Synthèse</p>"


def test_a_regulatory_restitution_must_be_public(client_for, open_consultation, org_admin):
    open_consultation("plu", kind=Consultation.Kind.REGULATORY)
    response = _write(client_for, org_admin, slug="plu", visibility="participants")
    assert response.status_code == 400
    assert "visibility" in response.json()["fields"]
    assert _write(client_for, org_admin, slug="plu").status_code == 200


def test_it_is_published_once_the_consultation_is_closed(client_for, consultation, org_admin):
    _write(client_for, org_admin)
    assert _publish(client_for, org_admin).status_code == 409
    _close(consultation)
    assert _publish(client_for, org_admin).status_code == 200
    detail = client_for(None).get("/api/v1/consultations/voirie/").json()
    assert detail["status"] == "restitution"


def test_nothing_to_publish_before_it_is_written(client_for, consultation, org_admin):
    _close(consultation)
    assert _publish(client_for, org_admin).status_code == 409


def test_every_participant_is_told_exactly_once(
    client_for, consultation, org_admin, citizen, other_citizen, agent_eau, manager_voirie
):
    idea = contribution_create(
        consultation=consultation, author=citizen, kind="idea", body="Des trottoirs plus larges"
    )
    ContributionSupport.objects.create(contribution=idea, user=other_citizen)
    ContributionSupport.objects.create(contribution=idea, user=citizen)
    start = timezone.now() + timedelta(days=2)
    meeting = Meeting.objects.create(
        consultation=consultation,
        title="Atelier",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )
    MeetingRegistration.objects.create(meeting=meeting, user=agent_eau, status="confirmed")
    ConsultationFollow.objects.create(consultation=consultation, user=manager_voirie)
    _write(client_for, org_admin)
    _close(consultation)
    assert _publish(client_for, org_admin).status_code == 200
    assert _publish(client_for, org_admin).status_code == 409
    restitution_save(consultation=consultation, by=org_admin, body="Corrigée", visibility="public")
    for user in (citizen, other_citizen, agent_eau, manager_voirie):
        assert Notification.objects.filter(user=user, kind="restitutions").count() == 1, user
    assert not Notification.objects.filter(user=org_admin, kind="restitutions").exists()


def test_a_draft_restitution_is_for_the_staff_only(client_for, consultation, org_admin, citizen):
    _write(client_for, org_admin)
    assert client_for(None).get("/api/v1/consultations/voirie/restitution/").status_code == 404
    assert client_for(citizen).get("/api/v1/consultations/voirie/restitution/").status_code == 404
    assert client_for(org_admin).get("/api/v1/consultations/voirie/restitution/").status_code == 200


def test_a_participants_only_restitution(
    client_for, consultation, org_admin, citizen, other_citizen
):
    contribution_create(consultation=consultation, author=citizen, kind="idea", body="Des bancs")
    _write(client_for, org_admin, visibility="participants")
    _close(consultation)
    _publish(client_for, org_admin)
    url = "/api/v1/consultations/voirie/restitution/"
    assert client_for(citizen).get(url).status_code == 200
    assert client_for(other_citizen).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 403


def test_a_public_restitution_with_its_key_figures(
    client_for, consultation, org_admin, citizen, other_citizen, manager_voirie
):
    consultation.themes.set([])
    idea = contribution_create(
        consultation=consultation,
        author=citizen,
        kind="idea",
        body="Des bancs",
        location=None,
    )
    contribution_create(
        consultation=consultation, author=other_citizen, kind="question", body="Quand ?"
    )
    contribution_create(
        consultation=consultation, author=other_citizen, kind="comment", parent=idea, body="Oui"
    )
    contribution_answer(contribution=idea, by=manager_voirie, status="retained", body="Ok")
    _write(client_for, org_admin)
    _close(consultation)
    _publish(client_for, org_admin)
    body = client_for(None).get("/api/v1/consultations/voirie/restitution/").json()
    figures = body["key_figures"]
    assert figures["participants"] == 2
    assert figures["by_kind"] == {"idea": 1, "question": 1, "comment": 1}
    assert figures["answered_share"] == 0.5


def test_the_demo_has_a_published_restitution(api):
    response = api.get("/api/v1/consultations/concertation-prealable-tram-ligne-2/restitution/")
    assert response.status_code == 200
    assert response.json()["key_figures"]["by_kind"]["idea"] >= 1


def test_an_overdue_regulatory_restitution_is_flagged(open_consultation, client_for, org_admin):
    late = open_consultation("plu-en-retard", kind=Consultation.Kind.REGULATORY)
    _close(late, days_ago=31)
    recent = open_consultation("plu-recent", kind=Consultation.Kind.REGULATORY)
    _close(recent, days_ago=5)
    voluntary = open_consultation("volontaire")
    _close(voluntary, days_ago=60)
    overdue = set(consultations_restitution_overdue().values_list("slug", flat=True))
    assert "plu-en-retard" in overdue
    assert not {"plu-recent", "volontaire", "concertation-prealable-tram-ligne-2"} & overdue
    rows = client_for(org_admin).get("/api/v1/staff/restitutions/").json()["results"]
    flags = {row["slug"]: row["restitution_overdue"] for row in rows}
    assert flags["plu-en-retard"] is True
    assert flags["plu-recent"] is False
    assert flags["volontaire"] is False


def test_documents_are_attached_by_the_writers(client_for, consultation, org_admin, citizen):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from contributions.demo import _pdf

    _write(client_for, org_admin)
    url = "/api/v1/consultations/voirie/restitution/documents/"
    upload = {"title": "Bilan", "file": SimpleUploadedFile("bilan.pdf", _pdf("Bilan"))}
    assert client_for(citizen).post(url, upload, format="multipart").status_code == 403
    upload["file"].seek(0)
    response = client_for(org_admin).post(url, upload, format="multipart")
    assert response.status_code == 201, response.content
    restitution = client_for(org_admin).get("/api/v1/consultations/voirie/restitution/").json()
    assert restitution["documents"][0]["title"] == "Bilan"
