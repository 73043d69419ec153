"""Property-based requests from the OpenAPI schema, as the MU and as a reporter: never a 5xx, always as documented.

Schemathesis derives requests (valid and invalid) for every operation from /api/schema/ and
calls the app through WSGI with the MU's and then a reporter's token; each response must be documented (status code,
content type, body shape). Examples are capped and derandomized, so the run is short and repeatable.
"""

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from knox.models import AuthToken
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

# 8 examples per operation and persona keeps CI short; raise it for a deeper hunt, e.g.
# SCHEMATHESIS_MAX_EXAMPLES=100 pytest tests/api/test_schemathesis.py
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "8"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


# Generating the schema reads no data, so it is loaded once, when the module is collected.
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture(params=["mu", "reporter_a"])
def token(request, world) -> str:
    """The MU (every right) and a reporter (own partner's reports only): the two ways through the checks."""
    return AuthToken.objects.create(user=request.getfixturevalue(request.param))[1]


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
@settings(max_examples=MAX_EXAMPLES, derandomize=True, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_api_answers_as_documented_and_never_with_a_server_error(case, token, keep_connection):
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)


# Defects the fuzzing found, pinned so that they stay fixed whatever examples it draws next time.
@pytest.mark.parametrize("url", [
    "/api/expenditures/?project=13432078786641485824",
    "/api/progress-reports/?project=13432078786641485824",
    "/api/project-reports/?project=13432078786641485824",
    "/api/project-reports/?period=41935477221158232064",
])
def test_an_id_beyond_64_bits_in_a_filter_is_a_400_not_a_server_error(url, mu, api_client):
    response = api_client(mu).get(url)
    assert response.status_code == 400
    assert set(response.json()["fields"]) & {"project", "period"}


def test_calendar_feed_of_a_project_id_beyond_64_bits_is_a_404(db, api_client):
    response = api_client().get("/api/projects/10704136944506953728/deadlines.ics?token=anything")
    assert response.status_code == 404


def test_schema_documents_both_funder_report_formats(mu, api_client):
    schema_doc = api_client(mu).get("/api/schema/?format=json").json()
    path = "/api/projects/{project_id}/funder-reports/{period_number}.{extension}"
    content = schema_doc["paths"][path]["get"]["responses"]["200"]["content"]
    assert set(content) == {"application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
