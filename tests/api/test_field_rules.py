"""Field-level rules of the plan resources: who may change what, and which references are valid."""

from datetime import date

import pytest
from rest_framework.exceptions import PermissionDenied

from consortium.api.pagination import Pagination
from partners.serializers import PartnerSerializer
from tests import factories as f
from workpackages.models import Deliverable


def _patch(client, url, data, version):
    return client.patch(url, data, format="json", HTTP_IF_MATCH=f'"{version}"')


@pytest.mark.parametrize("persona", ["coordinator", "reporter_a", "viewer"])
def test_only_the_mu_changes_a_deliverables_status(persona, world, personas, api_client):
    deliverable = f.make_deliverable(world.wp1)
    response = _patch(api_client(personas[persona]), f"/api/deliverables/{deliverable.pk}/",
                      {"status": "in_progress"}, deliverable.version)
    assert response.status_code == 403
    deliverable.refresh_from_db()
    assert deliverable.status == "planned"


@pytest.mark.parametrize("persona", ["coordinator", "reporter_a", "viewer"])
def test_only_the_mu_changes_a_partners_cofinancing_rate(persona, world, personas, api_client):
    response = _patch(api_client(personas[persona]), f"/api/partners/{world.partner_a.pk}/",
                      {"cofinancing_rate": "80.00"}, world.partner_a.version)
    assert response.status_code == 403
    world.partner_a.refresh_from_db()
    assert str(world.partner_a.cofinancing_rate) == "60.00"


def test_partner_serializer_refuses_a_rate_change_by_someone_without_the_plan_right(world, reporter_a, rf):
    request = rf.patch("/")
    request.user = reporter_a
    serializer = PartnerSerializer(world.partner_a, data={"cofinancing_rate": "80.00"}, partial=True,
                                   context={"request": request})
    with pytest.raises(PermissionDenied):
        serializer.is_valid()


def test_mu_changes_a_cofinancing_rate(world, mu, api_client):
    response = _patch(api_client(mu), f"/api/partners/{world.partner_a.pk}/", {"cofinancing_rate": "75.50"},
                      world.partner_a.version)
    assert response.status_code == 200
    assert response.json()["cofinancing_rate"] == "75.50"


def test_deliverable_status_moves_along_the_lifecycle_and_sets_the_date(world, mu, api_client):
    deliverable = f.make_deliverable(world.wp1, status="in_progress")
    response = _patch(api_client(mu), f"/api/deliverables/{deliverable.pk}/", {"status": "submitted"},
                      deliverable.version)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "submitted"
    assert body["submitted_date"] is not None
    assert body["version"] == deliverable.version + 1


def test_an_illegal_status_jump_is_400_naming_status_and_writes_nothing(world, mu, api_client):
    deliverable = f.make_deliverable(world.wp1)
    response = _patch(api_client(mu), f"/api/deliverables/{deliverable.pk}/", {"status": "accepted"},
                      deliverable.version)
    assert response.status_code == 400
    assert "status" in response.json()["fields"]
    deliverable.refresh_from_db()
    assert (deliverable.status, deliverable.version) == ("planned", 1)


def test_a_deliverable_cannot_point_at_a_work_package_of_another_of_my_projects(world, mu, api_client):
    f.add_member(mu, world.other_project, "management_unit")
    deliverable = f.make_deliverable(world.wp1)
    response = _patch(api_client(mu), f"/api/deliverables/{deliverable.pk}/", {"work_package": world.other_wp.pk},
                      deliverable.version)
    assert response.status_code == 400
    assert "work_package" in response.json()["fields"]


def test_a_work_package_of_a_project_i_am_not_in_is_an_unknown_id(world, mu, api_client):
    deliverable = f.make_deliverable(world.wp1)
    response = _patch(api_client(mu), f"/api/deliverables/{deliverable.pk}/", {"work_package": world.other_wp.pk},
                      deliverable.version)
    assert response.status_code == 400
    assert "work_package" in response.json()["fields"]


def test_a_deliverables_lead_partner_must_belong_to_its_project(world, mu, api_client):
    f.add_member(mu, world.other_project, "management_unit")
    response = api_client(mu).post("/api/deliverables/", {
        "work_package": world.wp1.pk, "code": "D1.X", "title": "T", "lead_partner": world.other_partner.pk,
        "original_due_date": "2026-01-31", "due_date": "2026-01-31"}, format="json")
    assert response.status_code == 400
    assert "lead_partner" in response.json()["fields"]


def test_a_new_deliverable_takes_its_work_packages_project(world, mu, api_client):
    response = api_client(mu).post("/api/deliverables/", {
        "work_package": world.wp2.pk, "code": "D2.X", "title": "T", "lead_partner": world.partner_b.pk,
        "original_due_date": "2026-01-31", "due_date": "2026-01-31"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["project"] == world.project.pk
    assert body["status"] == "planned"
    assert body["due_month"] == 13
    assert response["ETag"] == '"1"'


def test_a_new_deliverable_starts_planned(world, mu, api_client):
    response = api_client(mu).post("/api/deliverables/", {
        "work_package": world.wp2.pk, "code": "D2.Y", "title": "T", "lead_partner": world.partner_b.pk,
        "original_due_date": "2026-01-31", "due_date": "2026-01-31", "status": "accepted"}, format="json")
    assert response.status_code == 400
    assert "status" in response.json()["fields"]


def test_a_milestones_project_must_be_its_work_packages(world, mu, api_client):
    f.add_member(mu, world.other_project, "management_unit")
    response = api_client(mu).post("/api/milestones/", {
        "project": world.other_project.pk, "work_package": world.wp1.pk, "code": "MSX", "title": "T",
        "due_date": "2026-01-31"}, format="json")
    assert response.status_code == 400
    assert "work_package" in response.json()["fields"]


def test_periods_must_tile_the_project(world, mu, api_client):
    response = api_client(mu).post("/api/reporting-periods/", {
        "project": world.project.pk, "number": 3, "start_date": "2027-02-01", "end_date": "2027-12-31",
        "report_due_date": "2028-01-31"}, format="json")
    assert response.status_code == 400
    assert "start_date" in response.json()["fields"]


def test_only_the_last_period_is_deleted(world, mu, api_client):
    assert api_client(mu).delete(f"/api/reporting-periods/{world.period1.pk}/").status_code == 409
    assert api_client(mu).delete(f"/api/reporting-periods/{world.period2.pk}/").status_code == 204


def test_activity_partners_must_belong_to_the_project(world, mu, api_client):
    f.add_member(mu, world.other_project, "management_unit")
    response = api_client(mu).post("/api/activities/", {
        "work_package": world.wp1.pk, "number": 9, "title": "T", "start_month": 1, "end_month": 2,
        "partners": [world.other_partner.pk]}, format="json")
    assert response.status_code == 400
    assert "partners" in response.json()["fields"]


def test_organisation_update_needs_the_mu_role_in_every_project_it_partners_in(world, mu, outsider, api_client):
    shared = world.partner_a.organisation
    f.make_partner(world.other_project, shared, number=5)
    response = _patch(api_client(mu), f"/api/organisations/{shared.pk}/", {"website": "https://ku.dk/"},
                      shared.version)
    assert response.status_code == 403
    f.add_member(mu, world.other_project, "management_unit")
    mu = type(mu).objects.get(pk=mu.pk)  # a new request: memberships are read afresh
    response = _patch(api_client(mu), f"/api/organisations/{shared.pk}/", {"website": "https://ku.dk/"},
                      shared.version)
    assert response.status_code == 200


def test_mu_finds_the_organisation_it_just_created(world, mu, api_client):
    created = api_client(mu).post("/api/organisations/", {
        "name": "Medicon Valley Alliance", "short_name": "MVA", "country": "DK", "legal_status": "non_profit"},
        format="json").json()
    listed = api_client(mu).get("/api/organisations/", {"country": "DK"}).json()["results"]
    assert created["id"] in [row["id"] for row in listed]


def test_partner_reads_nested_organisation_and_writes_its_id(world, mu, api_client):
    org = f.make_organisation(name="Region Skåne", short_name="RS", country="SE")
    response = api_client(mu).post("/api/partners/", {
        "project": world.project.pk, "organisation": org.pk, "number": 4, "cofinancing_rate": "60.00"},
        format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["organisation"] == {"id": org.pk, "name": "Region Skåne", "short_name": "RS",
                                               "country": "SE"}


def test_partner_without_a_rate_is_400_naming_it(world, mu, api_client):
    response = api_client(mu).post("/api/partners/", {
        "project": world.project.pk, "organisation": f.make_organisation().pk, "number": 4}, format="json")
    assert response.status_code == 400
    assert "cofinancing_rate" in response.json()["fields"]


class TestFilters:
    def test_deliverables_filter_by_overdue_status_and_dates(self, world, mu, api_client):
        late = f.make_deliverable(world.wp1, due_date=date(2025, 3, 31))
        done = f.make_deliverable(world.wp1, due_date=date(2025, 3, 31), status="submitted",
                                  submitted_date=date(2025, 3, 1))
        future = f.make_deliverable(world.wp2, due_date=date(2099, 1, 31))
        client = api_client(mu)

        def ids(**query):
            return {row["id"] for row in client.get("/api/deliverables/", query).json()["results"]}

        assert ids(overdue="true") == {late.pk}
        assert ids(overdue="false") == {done.pk, future.pk}
        assert ids(status="submitted") == {done.pk}
        assert ids(work_package=world.wp2.pk) == {future.pk}
        assert ids(due_after="2030-01-01") == {future.pk}
        assert ids(due_before="2025-12-31") == {late.pk, done.pk}
        assert ids(lead_partner=world.partner_b.pk) == {future.pk}
        assert ids(project=world.other_project.pk) == set()

    def test_deliverable_flags_are_computed(self, world, mu, api_client):
        d = f.make_deliverable(world.wp1, due_date=date(2025, 3, 31), status="submitted",
                               submitted_date=date(2025, 4, 2))
        Deliverable.objects.filter(pk=d.pk).update(original_due_date=date(2025, 2, 28))
        body = api_client(mu).get(f"/api/deliverables/{d.pk}/").json()
        assert (body["overdue"], body["late"], body["rescheduled"], body["due_month"]) == (False, True, True, 3)

    def test_partners_filter_by_role_and_country(self, world, mu, api_client):
        client = api_client(mu)
        rows = client.get("/api/partners/", {"country": "NO"}).json()["results"]
        assert [r["id"] for r in rows] == [world.partner_no.pk]
        rows = client.get("/api/partners/", {"role": "lead"}).json()["results"]
        assert [r["id"] for r in rows] == [world.partner_a.pk]

    def test_milestones_filter_by_achieved(self, world, mu, api_client):
        done = f.make_milestone(world.wp1, achieved_date=date(2025, 5, 1))
        open_ = f.make_milestone(world.wp1)
        client = api_client(mu)
        assert [r["id"] for r in client.get("/api/milestones/", {"achieved": "true"}).json()["results"]] == [done.pk]
        assert [r["id"] for r in client.get("/api/milestones/", {"achieved": "false"}).json()["results"]] == [
            open_.pk]

    def test_budget_lines_filter_by_partner_and_category(self, world, mu, api_client):
        staff = f.make_budget_line(world.partner_a)
        f.make_budget_line(world.partner_a, cost_category="travel")
        f.make_budget_line(world.partner_b)
        rows = api_client(mu).get("/api/budget-lines/", {"partner": world.partner_a.pk,
                                                         "cost_category": "staff"}).json()["results"]
        assert [r["id"] for r in rows] == [staff.pk]
        assert rows[0]["amount"] == "100000.00"

    def test_ordering_and_page_size(self, world, mu, api_client):
        for _ in range(3):
            f.make_indicator(world.project)
        body = api_client(mu).get("/api/indicators/", {"ordering": "-code", "page_size": 2}).json()
        assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
        codes = [r["code"] for r in body["results"]]
        assert codes == sorted(codes, reverse=True)

    def test_page_size_is_capped_at_500(self, world, mu, api_client):
        assert Pagination.max_page_size == 500
        assert api_client(mu).get("/api/partners/", {"page_size": 100000}).status_code == 200

    def test_activities_filter_by_work_package(self, world, mu, api_client):
        mine = f.make_activity(world.wp1)
        rows = api_client(mu).get("/api/activities/", {"work_package": world.wp1.pk}).json()["results"]
        assert [r["id"] for r in rows] == [mine.pk]

    def test_memberships_filter_by_role(self, world, personas, api_client):
        rows = api_client(personas["mu"]).get("/api/memberships/", {"role": "reporter"}).json()["results"]
        assert {r["user"] for r in rows} == {personas["reporter_a"].pk, personas["reporter_b"].pk}


def test_anonymous_gets_401_json_and_unknown_paths_json_404(db, api_client):
    response = api_client().get("/api/projects/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert api_client().get("/api/no-such-thing/").json() == {"detail": "Not found.", "code": "not_found"}
