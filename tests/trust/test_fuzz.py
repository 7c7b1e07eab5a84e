"""Schemathesis against our own OpenAPI schema: no 5xx, and every answer matches the schema.

Each operation gets valid data (positive mode) and data that breaks the schema on purpose
(negative mode: wrong types, out-of-range numbers, missing fields, NUL bytes), through
the examples, coverage (boundary values) and fuzzing phases. Each operation is called
anonymously and as a logged-in resident. Each call runs in a savepoint that is rolled back,
so one example cannot spoil the next. ``test_malformed_input`` adds fixed hostile inputs.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.db import transaction
from hypothesis import HealthCheck, settings
from rest_framework_simplejwt.tokens import RefreshToken
from schemathesis.checks import not_a_server_error, response_schema_conformance
from schemathesis.generation import GenerationMode

from backend.models import User
from backend.wsgi import application
from tests import figures

# Permissions and schemas do not depend on the database: checked once, in the PostGIS run.
pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("spatialite"), reason="run on PostGIS"
)

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
schema.config.phases.update(phases=["examples", "coverage", "fuzzing"])
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
# The same cases on every run, so that a red build points at a change; FUZZ_RANDOM=1
# explores new ones (how the schema's promise of a page for added photos was found).
DERANDOMIZE = os.environ.get("FUZZ_RANDOM", "") != "1"


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=DERANDOMIZE,
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_5xx_or_off_schema(case, db, connections_kept_open):
    token = RefreshToken.for_user(User.objects.get(email="citoyen@demo.test")).access_token
    # The test transport does not inflate gzip: ask for plain bodies to validate them.
    plain = {"Accept-Encoding": "identity"}
    for headers in (plain, {**plain, "Authorization": f"Bearer {token}"}):
        with transaction.atomic():
            response = case.call(headers=headers)
            transaction.set_rollback(True)
        figures.count("schemathesis cases")
        mode = case.meta.generation.mode.value if case.meta else "explicit"
        figures.count(f"schemathesis cases, {mode}")
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
