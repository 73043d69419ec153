"""Property-based requests from the OpenAPI schema, as the MU: never a 5xx, always as documented.

Schemathesis derives requests (valid and invalid) for every operation from /api/schema/ and
calls the app through WSGI with the MU's token; each response must be documented (status code,
content type, body shape). Examples are capped and derandomized, so the run is short and repeatable.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


# Generating the schema reads no data, so it is loaded once, when the module is collected.
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture
def mu_token(world, mu) -> str:
    return Token.objects.create(user=mu).key


@pytest.fixture
def keep_connection():
    """Requests through the real WSGI handler would close the test's database connection at their end
    (harmless on SQLite in memory, fatal on PostgreSQL); Django's own test client unhooks this too."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=8, derandomize=True, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_api_answers_as_documented_and_never_with_a_server_error(case, mu_token, keep_connection):
    case.call_and_validate(headers={"Authorization": f"Token {mu_token}"}, checks=CHECKS)
