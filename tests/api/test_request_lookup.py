"""An API request reads its token, user and memberships once, and none of them outlives the request.

The requests here carry real tokens (not force_authenticate), as a client's do: authentication is
consortium.tokens.TokenAuthentication, the memberships consortium.permissions' per-request cache.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from consortium import tokens
from consortium.invitations import membership_end
from consortium.models import Membership
from tests import factories as f


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {tokens.token_create(user=user)}")
    return client


def tables(queries) -> list[str]:
    """The table each query reads first (its FROM)."""
    return [q["sql"].split(" FROM ", 1)[1].split()[0].strip('"') for q in queries]


def counted(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.content
    return tables(captured.captured_queries)


def test_a_list_reads_token_user_and_memberships_in_one_query_each(world, mu):
    f.make_deliverable(world.wp1, code="D1.1")
    # 4 queries: the token joined to its user, the memberships, the page's count and its rows. (knox's own
    # authentication read all the user's tokens as well, a fifth; the memberships are read once however many
    # permission checks ask.)
    assert counted(client_for(mu), f"/api/deliverables/?project={world.project.pk}") == [
        "knox_authtoken", "consortium_membership", "workpackages_deliverable", "workpackages_deliverable"]


def test_a_report_asks_many_permission_questions_of_one_membership_read(world, reporter_a, draft):
    # 7 queries: token + user, memberships, the report (scoped to what the reporter may find), its four kinds of
    # nested rows. Finding, reading and the per-object checks all ask the memberships read once.
    assert counted(client_for(reporter_a), f"/api/progress-reports/{draft.pk}/") == [
        "knox_authtoken", "consortium_membership", "reporting_progressreport", "reporting_workpackageprogress",
        "reporting_deliverablecontribution", "reporting_indicatorprogress", "reporting_effortreported"]


@pytest.mark.parametrize("revoke", ["sign_out", "all"])
def test_a_revoked_token_is_refused_on_the_next_request(world, mu, revoke):
    client = client_for(mu)
    assert client.get("/api/projects/").status_code == 200
    if revoke == "sign_out":
        assert client.delete("/api/auth/token/").status_code == 204
    else:
        tokens.tokens_revoke_all(user=mu)  # as a new password does
    assert client.get("/api/projects/").status_code == 401


def test_an_ended_membership_is_refused_on_the_next_request(world, mu, coordinator):
    client = client_for(coordinator)
    project = f"/api/projects/{world.project.pk}/"
    assert client.get(project).status_code == 200
    membership_end(membership=Membership.objects.get(user=coordinator, project=world.project))
    assert client.get(project).status_code == 404  # no longer a member: the project is not even found
    assert client.get("/api/projects/").status_code == 403  # a member of no project lists none


def test_a_deactivated_user_is_refused_on_the_next_request(world, mu):
    client = client_for(mu)
    assert client.get("/api/projects/").status_code == 200
    mu.is_active = False
    mu.save()
    assert client.get("/api/projects/").status_code == 401


@pytest.mark.parametrize("presented", [True, False])
def test_expired_tokens_go_when_presented_or_at_the_next_sign_in(world, mu, presented):
    expired = client_for(mu)
    AuthToken.objects.filter(user=mu).update(expiry=timezone.now() - timedelta(seconds=1))
    if presented:
        assert expired.get("/api/projects/").status_code == 401
        assert not AuthToken.objects.filter(user=mu).exists()
    else:
        client_for(mu)  # signing in again sweeps the expired token
        assert AuthToken.objects.filter(user=mu).count() == 1


def test_filters_still_apply_and_validate_when_asked_for(world, mu):
    """consortium.api.filters.FilterBackend builds no FilterSet for a query string without a filter, only then."""
    first, second = f.make_deliverable(world.wp1, code="D1.1"), f.make_deliverable(world.wp2, code="D2.1")
    client = client_for(mu)
    every = client.get("/api/deliverables/?page_size=10&ordering=code").json()["results"]
    assert [d["id"] for d in every] == [first.pk, second.pk]
    only = client.get(f"/api/deliverables/?work_package={world.wp2.pk}&page_size=10").json()["results"]
    assert [d["id"] for d in only] == [second.pk]
    assert client.get("/api/deliverables/?project=abc").status_code == 400
