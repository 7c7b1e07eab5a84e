from __future__ import annotations

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_the_schema_is_a_valid_openapi_3_document(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/communes/locate/" in schema["paths"]
    assert "/api/v1/auth/token/" in schema["paths"]


def test_the_docs_page_needs_no_cdn(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()


def test_only_reads_are_paged_or_filtered(tmp_path):
    """A write answers what it made: the schema must not promise a page or list filters."""
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    listy = {"cursor", "page", "page_size", "in_bbox"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method in ("get", "parameters") or not isinstance(operation, dict):
                continue
            names = {parameter.get("name") for parameter in operation.get("parameters", [])}
            assert not names & listy, (method, path, names & listy)
            assert "Paginated" not in str(operation.get("responses")), (method, path)
