"""The management unit builds a small project's plan in the web (issue 20) and a stale edit is refused with
the other person's change shown — in headless Chromium. The project itself is made by the service in the
test's setup (the new-project page is another part of the issue); everything after that is the browser's."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from consortium.models import Membership, Programme, Project, ReportingPeriod, Role
from consortium.services import create_validated, update_versioned
from partners.models import BudgetLine, Partner
from workpackages.models import Deliverable, WorkPackage

pytestmark = pytest.mark.browser


@pytest.fixture
def pilot(demo):
    """An empty project of the demo's programme whose MU is the demo's `mu`."""
    project = create_validated(Project, data={
        "programme": Programme.objects.first(), "acronym": "PILOT", "title": "A pilot built in the browser",
        "start_date": date(2026, 1, 1), "end_date": date(2026, 12, 31)})
    Membership.objects.create(user=get_user_model().objects.get(username="mu"), project=project,
                              role=Role.MANAGEMENT_UNIT)
    return project


def add(page, live_server, project, kind: str, fields: dict, selects: dict | None = None):
    page.goto(f"{live_server.url}/projects/{project.pk}/plan/{kind}/")
    form = page.locator("#add form")
    for label, value in fields.items():
        form.get_by_label(label).fill(value)
    for label, option in (selects or {}).items():
        form.get_by_label(label).select_option(label=option)
    form.get_by_role("button", name="Add").click()
    expect(page.locator(".flash.success")).to_contain_text("is added")


def test_the_mu_builds_a_small_projects_plan_in_the_web(sign_in, live_server, pilot, screenshot):
    page = sign_in("mu")
    page.goto(f"{live_server.url}/projects/{pilot.pk}/")
    page.get_by_role("link", name="Edit plan").click()
    expect(page.get_by_role("heading", name="The plan")).to_be_visible()

    add(page, live_server, pilot, "periods", {"Number": "1", "Start date": "2026-01-01", "End date": "2026-06-30",
                                              "Report due on": "2026-08-31"})
    # A gap is refused under the field that must change, and nothing is added.
    form = page.locator("#add form")
    form.get_by_label("Number").fill("2")
    form.get_by_label("Start date").fill("2026-08-01")
    form.get_by_label("End date").fill("2026-12-31")
    form.get_by_label("Report due on").fill("2027-02-28")
    form.get_by_role("button", name="Add").click()
    expect(page.locator("#field-start_date .field-error")).to_contain_text("must start on 2026-07-01")
    form.get_by_label("Start date").fill("2026-07-01")
    form.get_by_role("button", name="Add").click()
    expect(page.locator(".flash.success")).to_contain_text("is added")

    add(page, live_server, pilot, "partners", {"Number": "1", "Co-financing rate (%)": "60.00"},
        {"Organisation": "KU", "Role": "Lead partner"})
    add(page, live_server, pilot, "partners", {"Number": "2", "Co-financing rate (%)": "60.00"}, {"Organisation": "LU"})
    add(page, live_server, pilot, "work-packages", {"Number": "1", "Title": "Pilot management", "Start month": "1",
                                                    "End month": "12"}, {"Lead partner": "PP1 KU"})
    for code, due in (("D1.1", "2026-03-31"), ("D1.2", "2026-11-30")):
        add(page, live_server, pilot, "deliverables", {"Code": code, "Title": f"Deliverable {code}", "Due date": due},
            {"Work package": "WP1 Pilot management", "Lead partner": "PP2 LU"})
    add(page, live_server, pilot, "budget-lines", {"Amount (EUR)": "12500.00"},
        {"Partner": "PP2 LU", "Cost category": "Travel & accommodation"})
    screenshot(page, "plan-budget-lines")

    assert list(ReportingPeriod.objects.filter(project=pilot).values_list("number", flat=True)) == [1, 2]
    assert sorted(Partner.objects.filter(project=pilot).values_list("organisation__short_name", flat=True)) == [
        "KU", "LU"]
    assert WorkPackage.objects.get(project=pilot).lead_partner.number == 1
    assert sorted(Deliverable.objects.filter(project=pilot).values_list("code", flat=True)) == ["D1.1", "D1.2"]
    assert BudgetLine.objects.get(partner__project=pilot).amount == Decimal("12500.00")


def test_a_stale_inline_edit_is_refused_with_the_other_persons_change_shown(sign_in, live_server, screenshot):
    project = Project.objects.get(acronym="ReproUnion")
    wp = WorkPackage.objects.get(project=project, number=2)
    page = sign_in("mu")
    page.goto(f"{live_server.url}/projects/{project.pk}/plan/work-packages/")
    row = page.locator(f"#work-packages-{wp.pk}")
    row.get_by_role("link", name="Edit").click()
    # htmx turned the row into its form, in place.
    title = row.get_by_label("Title")
    expect(title).to_be_visible()
    title.fill("Registry, as I see it")
    # Meanwhile someone else saves the work package.
    update_versioned(WorkPackage.objects.get(pk=wp.pk), expected_version=wp.version,
                     data={"title": "Registry, as the coordinator wrote it"})
    row.get_by_role("button", name="Save").click()
    stale = row.locator(".stale-changes")
    expect(stale).to_contain_text("Registry, as the coordinator wrote it")
    expect(stale).to_contain_text("Registry, as I see it")
    screenshot(page, "plan-stale-edit")
    assert WorkPackage.objects.get(pk=wp.pk).title == "Registry, as the coordinator wrote it"
    # Saving again, with their change in view, is a deliberate choice and goes through.
    row.get_by_role("button", name="Save").click()
    expect(page.locator(f"#work-packages-{wp.pk}")).to_contain_text("Saved.")
    page.reload()
    expect(page.locator(f"#work-packages-{wp.pk}")).to_contain_text("Registry, as I see it")
