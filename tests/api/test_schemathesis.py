"""Property-based requests from the OpenAPI schema, as the MU and as a reporter: never a 5xx, always as documented.

What it checks: Schemathesis derives requests from /api/schema/ and calls the app through WSGI with a knox token;
every response must be documented (status code, content type, body shape) and must not be a server error.
- Every operation, fuzzed: Hypothesis draws valid and invalid requests (bodies, path and query parameters).
  Each drawn request is sent as a reporter (own partner's reports only: the refusals and the scoping) and then
  as the MU (every right: the writes go through), so the two personas share one generated case and one world.
- Every GET, with Schemathesis' "coverage" phase as the MU: boundary values of each path and query parameter
  (ids beyond 64 bits, negatives, empty strings, wrong types). This is where it found the defects pinned below.

Kept short and repeatable: examples are capped (MAX_EXAMPLES) and derandomized (the same requests each run), no
deadline (a loaded CI machine must not fail a test), no shrinking phase beyond Hypothesis' default on failure.
The coverage phase of the write operations (hundreds of body variants each, mostly DRF's own field validation) and
more examples are one variable away for a deeper hunt:
    SCHEMATHESIS_DEEP=1 SCHEMATHESIS_MAX_EXAMPLES=100 pytest tests/api/test_schemathesis.py
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
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "3"))
DEEP = os.environ.get("SCHEMATHESIS_DEEP") == "1"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
HYPOTHESIS = {"derandomize": True, "deadline": None, "suppress_health_check": list(HealthCheck)}


def load_schema(**phases):
    # Generating the schema reads no data, so it is loaded when the module is collected.
    config = SchemathesisConfig.from_dict({"phases": {name: {"enabled": on} for name, on in phases.items()}})
    return schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application(), config=config)


fuzzed = load_schema(examples=True, fuzzing=True, coverage=DEEP, stateful=False)
boundaries = load_schema(examples=False, fuzzing=False, coverage=True, stateful=False)
if not DEEP:
    boundaries = boundaries.include(method="GET")


@pytest.fixture
def tokens(world, reporter_a, mu) -> list[str]:
    """A reporter's token, then the MU's: the reporter is refused or scoped; the MU's requests go through."""
    return [AuthToken.objects.create(user=user)[1] for user in (reporter_a, mu)]


@pytest.fixture
def keep_connection():
    """Requests through the real WSGI handler would close the test's database connection at their end
    (harmless on SQLite in memory, fatal on PostgreSQL); Django's own test client unhooks this too."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@fuzzed.parametrize()
@settings(max_examples=MAX_EXAMPLES, **HYPOTHESIS)
def test_api_answers_as_documented_and_never_with_a_server_error(case, tokens, keep_connection):
    for token in tokens:
        case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)


@boundaries.parametrize()
@settings(**HYPOTHESIS)
def test_boundary_values_of_parameters_are_answered_as_documented(case, tokens, keep_connection):
    case.call_and_validate(headers={"Authorization": f"Token {tokens[-1]}"}, checks=CHECKS)


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
