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


def test_each_operation_takes_one_media_type_multipart_only_where_files_are_sent(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    multipart = set()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            assert len(content) <= 1, (method, path, list(content))
            if "multipart/form-data" in content:
                multipart.add(f"{method.upper()} {path}")
            else:
                assert not content or "application/json" in content, (method, path)
    assert multipart == {
        "POST /api/v1/signalements/",
        "POST /api/v1/signalements/{id}/photos/",
        "POST /api/v1/agent/signalements/{id}/transition/",
        "POST /api/v1/consultations/{slug}/restitution/documents/",
        "POST /api/v1/panels/{slug}/pool/",
    }


def test_every_operation_documents_its_errors_in_the_one_error_shape(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    error = {"$ref": "#/components/schemas/Error"}
    assert set(schema["components"]["schemas"]["Error"]["required"]) == {"code", "detail", "fields"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            for status in ("400", "503") + (("404",) if "{" in path else ()):
                assert responses[status]["content"]["application/json"]["schema"] == error, (
                    method,
                    path,
                    status,
                )
            if method in ("post", "put", "patch"):
                assert "415" in responses and "413" in responses, (method, path)
