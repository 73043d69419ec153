"""The plan workbook's upload page: a dry run lists the changes, problems are listed by sheet, row and column."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.plan.helpers import edited, set_cell
from workpackages import plan_workbook

URL = reverse("web:plan-import")


def _renamed(world, title: str) -> bytes:
    return edited(plan_workbook.export_xlsx(world.project),
                  lambda workbook: set_cell(workbook, "Work packages", 2, "title", title))


def test_a_dry_run_lists_the_changes_and_writes_nothing(world, as_mu):
    client = as_mu
    response = client.post(URL, {"file": SimpleUploadedFile("plan.xlsx", _renamed(world, "Coordination")),
                                 "dry_run": "on"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dry run: nothing was written" in page and "Importing it updates ALPHA." in page
    assert "<td>Work packages</td><td>2</td><td>WP1</td><td>changed</td><td>title</td>" in page
    world.wp1.refresh_from_db()
    assert world.wp1.title == "Management"


def test_the_real_run_writes_and_goes_to_the_project(world, as_mu):
    response = as_mu.post(URL, {"file": SimpleUploadedFile("plan.xlsx", _renamed(world, "Coordination"))})
    assert response.status_code == 302 and response.url == reverse("web:project", args=[world.project.pk])
    world.wp1.refresh_from_db()
    assert world.wp1.title == "Coordination"


def test_problems_are_listed_by_sheet_row_and_column(world, as_mu):
    content = edited(plan_workbook.export_xlsx(world.project), lambda workbook: (
        set_cell(workbook, "Partners", 2, "cofinancing_rate", "sixty"),
        set_cell(workbook, "Work packages", 3, "lead_partner", "PP7")))
    response = as_mu.post(URL, {"file": SimpleUploadedFile("plan.xlsx", content), "dry_run": "on"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported: 2 problems" in page
    assert "<td>Partners</td><td>2</td><td>cofinancing_rate</td>" in page
    assert "<td>Work packages</td><td>3</td><td>lead_partner</td>" in page


def test_the_overview_links_the_workbook_and_the_upload_for_the_mu_only(world, as_mu, login, viewer):
    page = as_mu.get(reverse("web:project", args=[world.project.pk])).content.decode()
    assert f"/api/projects/{world.project.pk}/plan.xlsx" in page and URL in page
    page = login(viewer).get(reverse("web:project", args=[world.project.pk])).content.decode()
    assert "plan.xlsx" not in page and URL not in page
