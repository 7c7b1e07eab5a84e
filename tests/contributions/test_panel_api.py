"""The participation officer runs the panel's first stage from the API; the public sees its
record, never the pool."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from backend.models import OrganisationRole, User
from contributions.models import Panel, PoolPerson
from tests.contributions.pool_factory import pool_csv, pool_rows

pytestmark = pytest.mark.django_db
SEED = "Loto du 5 décembre 2026 : 3 14 15 27 41, numéro chance 6"


@pytest.fixture
def panel(agglomeration) -> Panel:
    return Panel.objects.create(
        organisation=agglomeration,
        slug="panel-2027",
        title="Panel citoyen 2027",
        purpose="Donner un avis sur le plan climat.",
        invitations=40,
    )


@pytest.fixture
def officer(agglomeration) -> User:
    user = User.objects.create_user(email="participation@example.test", password="x" * 12)
    OrganisationRole.objects.create(
        user=user, organisation=agglomeration, role=OrganisationRole.Role.PARTICIPATION
    )
    return user


def upload(client, panel: Panel, data: bytes, **headers: str):
    file = SimpleUploadedFile("liste-electorale.csv", data, "text/csv")
    return client.post(
        f"/api/v1/panels/{panel.slug}/pool/", {"file": file}, format="multipart", **headers
    )


def test_the_officer_imports_the_pool_and_reads_the_refused_rows(client_for, panel, officer):
    rows = [*pool_rows(200), ["DURAND", "Paul", "M", "01/01/1990", "1 rue", "30000", "Arles"]]
    response = upload(client_for(officer), panel, pool_csv(rows))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["imported"] == 200
    assert body["rejected"] == [
        {"line": 202, "field": "commune", "message": "Cette commune n'est pas du territoire."}
    ]
    assert body["panel"]["pool_size"] == 200 and len(body["panel"]["pool_hash"]) == 64
    english = upload(client_for(officer), panel, pool_csv(rows), HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["rejected"][0]["message"] == "This commune is not one of the territory's."


def test_a_file_without_its_columns_is_a_400_naming_the_field(client_for, panel, officer):
    response = upload(client_for(officer), panel, b"nom;prenom\nDURAND;Paul\n")
    assert response.status_code == 400
    assert "Colonnes manquantes" in response.json()["fields"]["file"][0]
    assert not PoolPerson.objects.exists()
    assert upload(client_for(officer), panel, b"\xff\xfe\x00garbage").status_code == 400


def test_only_the_participation_officer_runs_the_draw(client_for, panel, org_admin, citizen):
    data = pool_csv(pool_rows(5))
    assert upload(client_for(None), panel, data).status_code == 401
    for person in (org_admin, citizen):
        assert upload(client_for(person), panel, data).status_code == 403
        response = client_for(person).post(
            f"/api/v1/panels/{panel.slug}/invitations/", {"seed": SEED}, format="json"
        )
        assert response.status_code == 403
    assert not PoolPerson.objects.exists()


def test_the_public_record_gives_numbers_and_never_names(client_for, panel, officer):
    rows = pool_rows(300)
    upload(client_for(officer), panel, pool_csv(rows))
    drawn = client_for(officer).post(
        f"/api/v1/panels/{panel.slug}/invitations/", {"seed": SEED}, format="json"
    )
    assert drawn.status_code == 200, drawn.content
    public = client_for(None).get(f"/api/v1/panels/{panel.slug}/")
    record = public.json()
    assert record["invitation_seed"] == SEED
    assert record["invited_numbers"] == drawn.json()["invited_numbers"]
    assert len(record["invited_numbers"]) == 40
    listing = client_for(None).get("/api/v1/panels/").content.decode()
    for payload in (public.content.decode(), listing):
        for row in rows[:50]:
            assert row[0] not in payload and row[4] not in payload  # no name, no address


def test_the_letters_are_for_the_officer_once_drawn(client_for, panel, officer, org_admin):
    rows = pool_rows(60)
    rows[0][0] = '=HYPERLINK("http://example.test")'
    upload(client_for(officer), panel, pool_csv(rows))
    url = f"/api/v1/panels/{panel.slug}/letters.csv"
    assert client_for(officer).get(url).status_code == 409
    client_for(officer).post(
        f"/api/v1/panels/{panel.slug}/invitations/", {"seed": "0 0 0"}, format="json"
    )
    assert client_for(org_admin).get(url).status_code == 403
    response = client_for(officer).get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())  # UTF-8 with BOM: French Excel reads it
    text = raw.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0] == "numero;nom;prenoms;adresse;code_postal;commune;code"
    assert len(lines) == 41
    assert not any(line.split(";")[1].startswith("=") for line in lines[1:])
