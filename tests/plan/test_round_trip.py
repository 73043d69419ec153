"""The plan workbook of the demo project imports back into it with no change at all."""

import io

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from workpackages import plan_workbook
from workpackages.plan_sheets import SHEETS

XLSX = plan_workbook.XLSX_TYPE


def upload(content: bytes, name="plan.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


def test_the_demo_exported_and_imported_back_in_a_dry_run_changes_nothing(demo, api_client):
    mu = get_user_model().objects.get(username="mu")
    exported = api_client(mu).get(f"/api/projects/{demo.pk}/plan.xlsx")
    assert exported.status_code == 200
    workbook = load_workbook(io.BytesIO(exported.content))
    assert workbook.sheetnames == [sheet.name for sheet in SHEETS]
    assert workbook["Partners"].max_row == demo.partners.count() + 1
    response = api_client(mu).post("/api/projects/plan-import/", {"file": upload(exported.content), "dry_run": True},
                                   format="multipart")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["project"], body["created"], body["changed"], body["removed"]) == (demo.pk, 0, 0, 0), body["changes"]



def test_the_demo_workbook_under_a_new_acronym_creates_the_same_plan(demo, api_client):
    from consortium.models import Project
    from tests.plan.helpers import edited, post, set_cell

    root = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    content = edited(plan_workbook.export_xlsx(demo), lambda workbook: set_cell(
        workbook, "Project", 2, "acronym", "ReproTwo"))
    response = post(api_client(root), content, dry_run=False)
    assert response.status_code == 201, response.json()
    copy = Project.objects.get(acronym="ReproTwo")
    # Every sheet of the copy holds what the demo's holds, deliverables in the same states included.
    ours, theirs = load_workbook(io.BytesIO(plan_workbook.export_xlsx(demo))), load_workbook(
        io.BytesIO(plan_workbook.export_xlsx(copy)))
    for sheet in SHEETS[1:]:
        assert list(ours[sheet.name].values) == list(theirs[sheet.name].values), sheet.name
    assert sorted(copy.deliverables.values_list("status", flat=True)) == sorted(
        demo.deliverables.values_list("status", flat=True))


def test_the_export_reads_each_sheet_in_a_query_or_two(demo, django_assert_max_num_queries):
    # 13 sheets; activities' partners and lump sums' shares are prefetched: the count does not grow with rows.
    with django_assert_max_num_queries(15):
        plan_workbook.export_xlsx(demo)
