"""Plan editing on the web: each part of the plan through its service, field errors, stale pages, rescheduling."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from consortium.models import ReportingPeriod
from partners.models import BudgetLine, Partner
from tests import factories as f
from workpackages import services as plan_services
from workpackages.models import Deliverable, DueDateChange, Milestone, WorkPackage

pytestmark = pytest.mark.django_db


def plan_url(world, kind, obj=None, action=""):
    if obj is None:
        return reverse("web:plan-list", args=[world.project.pk, kind])
    name = "web:plan-delete" if action == "delete" else "web:plan-edit"
    return reverse(name, args=[world.project.pk, kind, obj.pk])


def test_the_plan_pages_list_every_part_of_the_plan(client, world, mu):
    client.force_login(mu)
    response = client.get(reverse("web:plan", args=[world.project.pk]))
    assert response.status_code == 200
    for title in ("Reporting periods", "Partners", "Work packages", "Deliverables", "Budget lines", "Lump sums"):
        assert title in response.content.decode()
    for kind in ("periods", "organisations", "partners", "contacts", "work-packages", "activities", "deliverables",
                 "milestones", "indicators", "effort", "unit-costs", "budget-lines", "lump-sums"):
        assert client.get(plan_url(world, kind)).status_code == 200, kind


def test_the_mu_adds_a_work_package_and_a_bad_one_shows_errors_under_its_fields(client, world, mu):
    client.force_login(mu)
    response = client.post(plan_url(world, "work-packages"), {
        "number": 3, "title": "Dissemination", "lead_partner": world.partner_b.pk, "start_month": 1,
        "end_month": 36, "objectives": ""})
    assert response.status_code == 302
    assert WorkPackage.objects.get(project=world.project, number=3).title == "Dissemination"
    response = client.post(plan_url(world, "work-packages"), {
        "number": 1, "title": "", "lead_partner": world.partner_b.pk, "start_month": 5, "end_month": 2})
    assert response.status_code == 400
    form = response.context["form"]
    assert "title" in form.errors
    assert WorkPackage.objects.filter(project=world.project).count() == 3


def test_a_partner_from_another_project_is_no_choice(client, world, mu):
    client.force_login(mu)
    response = client.post(plan_url(world, "budget-lines"), {
        "partner": world.other_partner.pk, "cost_category": "travel", "period": "", "amount": "100.00"})
    assert response.status_code == 400
    assert "partner" in response.context["form"].errors
    assert not BudgetLine.objects.filter(partner=world.other_partner).exists()


def test_the_mu_adds_a_budget_line_in_decimal(client, world, mu):
    client.force_login(mu)
    response = client.post(plan_url(world, "budget-lines"), {
        "partner": world.partner_a.pk, "cost_category": "travel", "period": world.period1.pk, "amount": "1234.56"})
    assert response.status_code == 302
    assert BudgetLine.objects.get(partner=world.partner_a, cost_category="travel").amount == Decimal("1234.56")


def test_a_stale_edit_is_refused_and_shows_the_other_persons_values(client, world, mu):
    client.force_login(mu)
    wp = world.wp1
    page = client.get(plan_url(world, "work-packages", wp))
    shown_version = page.context["form"].initial["version"]
    plan_services_update = WorkPackage.objects.get(pk=wp.pk)
    from consortium.services import update_versioned
    update_versioned(plan_services_update, expected_version=shown_version, data={"title": "Coordination"})
    response = client.post(plan_url(world, "work-packages", wp), {
        "number": 1, "title": "Project management", "lead_partner": world.partner_a.pk, "start_month": 1,
        "end_month": 12, "objectives": "", "version": shown_version})
    assert response.status_code == 412
    assert WorkPackage.objects.get(pk=wp.pk).title == "Coordination"
    changes = {c["name"]: c for c in response.context["form"].stale_changes}
    assert changes["title"]["theirs"] == "Coordination"
    assert changes["title"]["yours"] == "Project management"
    body = response.content.decode()
    assert "Coordination" in body and "Project management" in body
    # The form now carries the stored version: saving again is the user's deliberate choice.
    assert f'name="version" value="{shown_version + 1}"' in body


def test_the_inline_edit_returns_the_row_form_and_then_the_row(client, world, mu):
    client.force_login(mu)
    response = client.get(plan_url(world, "work-packages", world.wp2), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<form" in response.content.decode() and "<html" not in response.content.decode()
    response = client.post(plan_url(world, "work-packages", world.wp2), {
        "number": 2, "title": "Research and trials", "lead_partner": world.partner_b.pk, "start_month": 1,
        "end_month": 36, "version": world.wp2.version}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Research and trials" in response.content.decode()
    assert f'id="work-packages-{world.wp2.pk}"' in response.content.decode()


def test_only_the_last_period_is_deleted(client, world, mu):
    client.force_login(mu)
    response = client.post(plan_url(world, "periods", world.period1, "delete"))
    assert response.status_code == 409
    assert ReportingPeriod.objects.filter(pk=world.period1.pk).exists()
    response = client.post(plan_url(world, "periods", world.period2, "delete"))
    assert response.status_code == 302
    assert not ReportingPeriod.objects.filter(pk=world.period2.pk).exists()


def test_the_project_details_are_edited_with_their_version(client, world, mu):
    client.force_login(mu)
    url = reverse("web:plan", args=[world.project.pk])
    version = client.get(url).context["form"].initial["version"]
    data = {"acronym": "ALPHA", "title": "Alpha, renamed", "funder_reference": "", "description": "",
            "start_date": "2025-01-01", "end_date": "2027-12-31", "status": "active", "version": version}
    assert client.post(url, data).status_code == 302
    world.project.refresh_from_db()
    assert world.project.title == "Alpha, renamed"
    assert client.post(url, data).status_code == 412


def test_a_partners_cost_options_and_currency_are_edited(client, world, mu):
    client.force_login(mu)
    partner = world.partner_b
    data = {"organisation": partner.organisation.pk, "number": 2, "role": "partner", "cofinancing_rate": "55.00",
            "funding_source": partner.funding_source, "office_option": "real", "travel_option": "real",
            "staff_option": "real", "reporting_currency": "EUR", "version": partner.version}
    response = client.post(plan_url(world, "partners", partner), data)
    assert response.status_code == 302, response.context["form"].errors
    partner.refresh_from_db()
    assert partner.cofinancing_rate == Decimal("55.00")
    assert partner.office_option == "real"


def test_a_lump_sum_is_added_with_its_shares(client, world, mu):
    client.force_login(mu)
    response = client.post(plan_url(world, "lump-sums"), {
        "name": "Preparation", "amount": "30000.00", "period": world.period1.pk,
        f"share_{world.partner_a.pk}": "20000.00", f"share_{world.partner_b.pk}": "5000.00"})
    assert response.status_code == 400  # the shares do not add up
    response = client.post(plan_url(world, "lump-sums"), {
        "name": "Preparation", "amount": "30000.00", "period": world.period1.pk,
        f"share_{world.partner_a.pk}": "20000.00", f"share_{world.partner_b.pk}": "10000.00"})
    assert response.status_code == 302
    lump_sum = world.project.lump_sums.get()
    assert sorted(s.amount for s in lump_sum.shares.all()) == [Decimal("10000.00"), Decimal("20000.00")]


def _deliverable(world):
    return plan_services.deliverable_create(data={
        "work_package": world.wp1, "code": "D1.1", "title": "Plan", "lead_partner": world.partner_a,
        "original_due_date": date(2025, 6, 30), "due_date": date(2025, 6, 30)})


def _deliverable_form(world, deliverable, **changes):
    return {"work_package": world.wp1.pk, "code": "D1.1", "title": "Plan", "description": "", "type": "R",
            "dissemination_level": "PU", "lead_partner": world.partner_a.pk, "internal_reviewer": "",
            "due_date": "2025-06-30", "version": deliverable.version, **changes}


def test_a_new_due_date_asks_for_its_reason_and_keeps_it(client, world, mu):
    client.force_login(mu)
    deliverable = _deliverable(world)
    response = client.post(plan_url(world, "deliverables", deliverable),
                           _deliverable_form(world, deliverable, due_date="2025-09-30"))
    assert response.status_code == 400
    assert "reschedule_reason" in response.context["form"].errors
    assert Deliverable.objects.get(pk=deliverable.pk).due_date == date(2025, 6, 30)
    response = client.post(plan_url(world, "deliverables", deliverable), _deliverable_form(
        world, deliverable, due_date="2025-09-30", reschedule_reason="The ethics approval came late."))
    assert response.status_code == 302
    change = DueDateChange.objects.get(deliverable=deliverable)
    assert (change.old_date, change.new_date, change.reason) == (date(2025, 6, 30), date(2025, 9, 30),
                                                                 "The ethics approval came late.")
    assert change.changed_by == mu
    tracker = client.get(reverse("web:deliverables", args=[world.project.pk])).content.decode()
    assert "The ethics approval came late." in tracker


def test_a_new_deliverable_starts_with_its_due_date_as_the_original(client, world, mu):
    client.force_login(mu)
    response = client.post(plan_url(world, "deliverables"), {
        "work_package": world.wp1.pk, "code": "D1.2", "title": "Report", "type": "R", "dissemination_level": "PU",
        "lead_partner": world.partner_a.pk, "due_date": "2025-12-31"})
    assert response.status_code == 302
    deliverable = Deliverable.objects.get(code="D1.2")
    assert deliverable.original_due_date == deliverable.due_date == date(2025, 12, 31)


def test_a_milestone_moved_without_a_reason_is_refused_by_the_service(world, mu):
    milestone = plan_services.milestone_create(data={"work_package": world.wp1, "code": "MS1", "title": "Kick-off",
                                                     "due_date": date(2025, 3, 31)})
    from consortium.errors import DomainError
    with pytest.raises(DomainError) as refused:
        plan_services.milestone_update(milestone=milestone, expected_version=milestone.version,
                                       data={"due_date": date(2025, 4, 30)})
    assert refused.value.problems[0].field == "reschedule_reason"
    plan_services.milestone_update(milestone=milestone, expected_version=milestone.version,
                                   data={"due_date": date(2025, 4, 30)}, reschedule_reason="Venue moved")
    assert Milestone.objects.get(pk=milestone.pk).due_date_changes.get().reason == "Venue moved"


def test_the_api_names_the_missing_reason(api_client, world, mu):
    deliverable = _deliverable(world)
    client = api_client(mu)
    response = client.patch(f"/api/deliverables/{deliverable.pk}/", {"due_date": "2025-08-31"}, format="json",
                            HTTP_IF_MATCH=f'"{deliverable.version}"')
    assert response.status_code == 400
    assert "reschedule_reason" in response.json()["fields"]
    response = client.patch(f"/api/deliverables/{deliverable.pk}/", {
        "due_date": "2025-08-31", "reschedule_reason": "Data arrived late"}, format="json",
        HTTP_IF_MATCH=f'"{deliverable.version}"')
    assert response.status_code == 200
    assert DueDateChange.objects.get(deliverable=deliverable).reason == "Data arrived late"
    # The other fields change without a reason.
    response = client.patch(f"/api/deliverables/{deliverable.pk}/", {"title": "Plan v2"}, format="json",
                            HTTP_IF_MATCH=f'"{deliverable.version + 1}"')
    assert response.status_code == 200


def test_an_organisation_shared_with_another_project_is_changed_only_by_the_mu_of_both(client, world, mu):
    client.force_login(mu)
    shared = world.other_partner.organisation
    f.make_partner(world.project, shared, number=4)
    response = client.get(plan_url(world, "organisations", shared))
    assert response.status_code == 403
    assert Partner.objects.filter(organisation=shared).count() == 2


@pytest.mark.parametrize("persona", ["mu", "coordinator", "reporter_a", "viewer"])
def test_adding_to_the_plan_answers_as_the_apis_post_in_ones_own_project(persona, world, personas, client,
                                                                          api_client):
    """The web matrix compares strangers by `expected`; in the own project the answers are the API's POST's."""
    user = personas[persona]
    client.force_login(user)
    web = client.post(plan_url(world, "budget-lines"), {
        "partner": world.partner_a.pk, "cost_category": "equipment", "amount": "2500.00"}).status_code
    api = api_client(user).post("/api/budget-lines/", {  # another category: the web's line may exist now
        "partner": world.partner_a.pk, "cost_category": "infrastructure", "amount": "2500.00"},
        format="json").status_code
    assert (web, api) in {(302, 201), (403, 403)}


@pytest.mark.parametrize("kind", ["activities", "deliverables", "partners", "budget-lines", "lump-sums"])
def test_a_plan_list_runs_the_same_queries_for_few_and_many_rows(kind, client, world, mu):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(mu)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(plan_url(world, kind)).status_code == 200
        return len(captured)

    few = queries()
    for n in range(8):
        f.make_activity(world.wp1, number=10 + n, partners=[world.partner_a, world.partner_b])
        f.make_deliverable(world.wp1)
        f.make_partner(world.project, f.make_organisation(short_name=f"ORG{n}"), number=10 + n)
    assert queries() == few
