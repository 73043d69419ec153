"""Importing a plan workbook: all or nothing, every problem by sheet, row and column, a dry run that matches."""

from datetime import date
from decimal import Decimal

import pytest

from consortium.models import Project
from partners.models import Partner
from tests.plan.helpers import add_row, edited, post, row_of, set_cell
from workpackages import plan_workbook
from workpackages.models import Deliverable, Milestone, WorkPackage


@pytest.fixture
def exported(world):
    return plan_workbook.export_xlsx(world.project)


def test_five_errors_in_three_sheets_are_all_listed_and_nothing_is_written(world, mu, api_client, exported):
    def break_it(workbook):
        set_cell(workbook, "Partners", 2, "cofinancing_rate", "sixty")
        set_cell(workbook, "Partners", 3, "role", "boss")
        set_cell(workbook, "Periods", 2, "end_date", "31/12/2025")
        set_cell(workbook, "Work packages", 2, "lead_partner", "PP9")
        set_cell(workbook, "Work packages", 3, "start_month", "soon")
        # A good change too: it must not be written either.
        set_cell(workbook, "Work packages", 2, "title", "Renamed")

    response = post(api_client(mu), edited(exported, break_it), dry_run=False)
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {
        "Partners!row 2.cofinancing_rate", "Partners!row 3.role", "Periods!row 2.end_date",
        "Work packages!row 2.lead_partner", "Work packages!row 3.start_month"}
    assert "'PP9' is not in the sheet 'Partners'" in response.json()["fields"]["Work packages!row 2.lead_partner"][0]
    world.wp1.refresh_from_db()
    assert (world.wp1.title, world.wp1.version) == ("Management", 1)


def test_a_superuser_creates_a_project_from_a_workbook(world, superuser, api_client, exported):
    def new_project(workbook):
        set_cell(workbook, "Project", 2, "acronym", "GAMMA")
        set_cell(workbook, "Project", 2, "title", "A project from a workbook")

    content = edited(exported, new_project)
    dry = post(api_client(superuser), content, dry_run=True)
    assert dry.status_code == 200, dry.json()
    assert dry.json()["project"] is None and dry.json()["project_created"]
    assert not Project.objects.filter(acronym="GAMMA").exists()
    response = post(api_client(superuser), content, dry_run=False)
    assert response.status_code == 201, response.json()
    gamma = Project.objects.get(acronym="GAMMA")
    assert response.json()["project"] == gamma.pk
    assert [change for change in response.json()["changes"]] == dry.json()["changes"]
    assert gamma.partners.count() == 3 and gamma.work_packages.count() == 2 and gamma.periods.count() == 2
    assert set(gamma.partners.values_list("organisation__short_name", flat=True)) == {"KU", "LU", "OUS"}
    assert list(gamma.work_packages.get(number=2).activities.get().partners.values_list("number", flat=True)) == [2, 3]
    # Read back, the new project's workbook is the one it was made from.
    again = post(api_client(superuser), plan_workbook.export_xlsx(gamma), dry_run=True).json()
    assert (again["created"], again["changed"], again["removed"]) == (0, 0, 0)


def test_an_update_that_changes_adds_and_removes_does_what_its_dry_run_listed(world, mu, api_client):
    world.partner_a.refresh_from_db()
    milestone = Milestone.objects.create(project=world.project, work_package=world.wp1, code="MS9", title="Gone",
                                         due_date=date(2025, 6, 30))

    def update(workbook):
        set_cell(workbook, "Partners", row_of(workbook, "Partners", "number", "PP2"), "cofinancing_rate", 55)
        add_row(workbook, "Work packages", {"number": "WP3", "title": "Communication", "lead_partner": "PP2",
                                            "start_month": 1, "end_month": 36, "objectives": "=Tell everyone"})
        add_row(workbook, "Deliverables", {
            "code": "D3.1", "work_package": "WP3", "title": "Website", "type": "DEC", "dissemination_level": "PU",
            "lead_partner": "PP2", "original_due_date": date(2025, 6, 30), "due_date": date(2025, 6, 30),
            "status": "submitted", "submitted_date": date(2025, 6, 20)})
        workbook["Milestones"].delete_rows(row_of(workbook, "Milestones", "code", "MS9"))

    content = edited(plan_workbook.export_xlsx(world.project), update)
    dry = post(api_client(mu), content, dry_run=True)
    assert dry.status_code == 200, dry.json()
    listed = {(c["sheet"], c["action"], c["key"], tuple(c["columns"])) for c in dry.json()["changes"]}
    assert listed == {("Partners", "change", "PP2", ("cofinancing_rate",)), ("Work packages", "create", "WP3", ()),
                      ("Deliverables", "create", "D3.1", ()), ("Milestones", "remove", "MS9", ())}
    assert not WorkPackage.objects.filter(project=world.project, number=3).exists()
    assert Milestone.objects.filter(pk=milestone.pk).exists()

    real = post(api_client(mu), content, dry_run=False)
    assert real.status_code == 200, real.json()
    assert real.json()["changes"] == dry.json()["changes"]
    assert Partner.objects.get(pk=world.partner_b.pk).cofinancing_rate == Decimal("55.00")
    wp3 = WorkPackage.objects.get(project=world.project, number=3)
    assert wp3.objectives == "=Tell everyone"  # text, exactly as typed: never a formula
    website = Deliverable.objects.get(project=world.project, code="D3.1")
    assert (website.status, website.submitted_date) == ("submitted", date(2025, 6, 20))
    assert not Milestone.objects.filter(pk=milestone.pk).exists()
    after = post(api_client(mu), plan_workbook.export_xlsx(world.project), dry_run=True).json()
    assert (after["created"], after["changed"], after["removed"]) == (0, 0, 0)


def test_a_refusal_of_a_service_names_its_row_and_rolls_everything_back(world, mu, api_client, exported):
    def overlap(workbook):
        set_cell(workbook, "Work packages", 2, "title", "Renamed")
        # WP months beyond the project's 36: the model's own rule, refused while writing.
        set_cell(workbook, "Work packages", 3, "end_month", 99)

    response = post(api_client(mu), edited(exported, overlap), dry_run=False)
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["Work packages!row 3.end_month"]
    world.wp1.refresh_from_db()
    assert world.wp1.title == "Management"


def test_a_sheet_left_out_is_named_rather_than_emptied(world, mu, api_client, exported):
    response = post(api_client(mu), edited(exported, lambda workbook: workbook.remove(workbook["Effort"])),
                    dry_run=True)
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["Effort!__all__"]


def test_a_new_organisation_refused_by_its_model_is_named_by_the_rows_column(world, mu, api_client, exported):
    def new_organisation(workbook):
        row = row_of(workbook, "Partners", "number", "PP3")
        set_cell(workbook, "Partners", row, "organisation", "NEWORG")
        set_cell(workbook, "Partners", row, "organisation_name", "Lund University")  # taken by LU

    response = post(api_client(mu), edited(exported, new_organisation), dry_run=True)
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["Partners!row 4.organisation_name"]


def test_a_row_that_reports_point_at_is_not_removed_and_is_named(world, mu, api_client, submitted):
    # Partner A has a submitted report: removing it from the workbook is refused by the service, naming it.
    def without_partner_a(workbook):
        for sheet in ("Effort", "Budget"):  # the partner is their first column
            for row in reversed(range(2, workbook[sheet].max_row + 1)):
                if workbook[sheet].cell(row=row, column=1).value == "PP1":
                    workbook[sheet].delete_rows(row)
        workbook["Partners"].delete_rows(row_of(workbook, "Partners", "number", "PP1"))
        set_cell(workbook, "Work packages", 2, "lead_partner", "PP2")

    response = post(api_client(mu), edited(plan_workbook.export_xlsx(world.project), without_partner_a),
                    dry_run=True)
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert list(fields) == ["Partners!__all__"]
    assert fields["Partners!__all__"][0].startswith("PP1 cannot be removed: ")
    assert Partner.objects.filter(pk=world.partner_a.pk).exists()
