"""docs/plan-example.xlsx (manage.py plan_workbook ReproUnion) is a workbook the import takes as it is."""

from pathlib import Path

from tests.plan.helpers import post
from workpackages.plan_sheets import SHEETS

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "plan-example.xlsx"


def test_the_documented_example_creates_a_project_in_a_dry_run(world, superuser, api_client):
    response = post(api_client(superuser), EXAMPLE.read_bytes(), dry_run=True)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["project_created"] and body["changed"] == 0 and body["removed"] == 0
    # Every sheet of the example has rows, so the example shows each sheet's layout.
    assert {change["sheet"] for change in body["changes"] if change["action"] == "create"} == {
        sheet.name for sheet in SHEETS}
