"""The API side of the People and New project pages: a membership's invitation sent again, a project created
with its periods; and the risk register's lost-update protection."""

from django.core import mail

from consortium.models import Membership, Project
from workpackages.models import Risk


def test_resending_an_invitation_is_the_mus(world, mu, viewer, coordinator, outsider, api_client):
    membership = Membership.objects.get(user=viewer)
    path = f"/api/memberships/{membership.pk}/resend/"
    assert api_client(coordinator).post(path).status_code == 403
    assert api_client(outsider).post(path).status_code == 404
    assert api_client(None).post(path).status_code == 401
    assert api_client(mu).post(path).status_code == 204
    assert [m.to for m in mail.outbox] == [[viewer.email]]


def test_memberships_are_not_created_by_post(world, mu, api_client):
    response = api_client(mu).post("/api/memberships/", {}, format="json")
    assert response.status_code == 405


def test_a_superuser_creates_a_project_with_generated_periods(world, superuser, api_client):
    response = api_client(superuser).post("/api/projects/", {
        "programme": world.project.programme_id, "acronym": "GAMMA", "title": "Gamma", "start_date": "2026-01-01",
        "end_date": "2026-12-31", "period_months": 5}, format="json")
    assert response.status_code == 201, response.json()
    assert "period_months" not in response.json()
    periods = Project.objects.get(acronym="GAMMA").periods.order_by("number")
    assert [(p.start_date.isoformat(), p.end_date.isoformat()) for p in periods] == [
        ("2026-01-01", "2026-05-31"), ("2026-06-01", "2026-10-31"), ("2026-11-01", "2026-12-31")]


def test_a_period_length_beyond_the_project_creates_nothing(world, superuser, api_client):
    response = api_client(superuser).post("/api/projects/", {
        "programme": world.project.programme_id, "acronym": "GAMMA", "title": "Gamma", "start_date": "2026-01-01",
        "end_date": "2026-12-31", "period_months": 13}, format="json")
    assert response.status_code == 400
    assert "period_months" in response.json()["fields"]
    assert not Project.objects.filter(acronym="GAMMA").exists()


def test_periods_are_not_regenerated_by_an_update(world, mu, api_client):
    response = api_client(mu).patch(f"/api/projects/{world.project.pk}/", {"period_months": 3}, format="json",
                                    HTTP_IF_MATCH=f'"{world.project.version}"')
    assert response.status_code == 400


def test_a_risk_edit_needs_the_version_and_a_stale_one_writes_nothing(world, mu, api_client):
    risk = Risk.objects.create(project=world.project, title="Recruitment lags")
    client = api_client(mu)
    detail = client.get(f"/api/risks/{risk.pk}/")
    assert detail["ETag"] == '"1"' and detail.json()["score"] == 4 and detail.json()["owner"] is None
    assert client.patch(f"/api/risks/{risk.pk}/", {"status": "closed"}, format="json").status_code == 428
    assert client.patch(f"/api/risks/{risk.pk}/", {"status": "closed"}, format="json",
                        HTTP_IF_MATCH='"1"').status_code == 200
    assert client.patch(f"/api/risks/{risk.pk}/", {"status": "open"}, format="json",
                        HTTP_IF_MATCH='"1"').status_code == 412
    risk.refresh_from_db()
    assert (risk.status, risk.version) == ("closed", 2)


def test_a_risk_owner_must_be_a_partner_of_its_project(world, mu, outsider, api_client):
    response = api_client(mu).post("/api/risks/", {"project": world.project.pk, "title": "Late ethics approval",
                                                   "owner": world.other_partner.pk}, format="json")
    assert response.status_code == 400
    assert "owner" in response.json()["fields"]


def test_risks_filter_by_project_and_status(world, mu, outsider, api_client):
    Risk.objects.create(project=world.project, title="Open one")
    Risk.objects.create(project=world.project, title="Closed one", status="closed")
    body = api_client(mu).get("/api/risks/", {"project": world.project.pk, "status": "open"}).json()
    assert [r["title"] for r in body["results"]] == ["Open one"]
