"""Who may export a plan workbook and who may import one (the API's side; the web's is in tests/web/matrix.py)."""

import pytest

from tests.plan.helpers import edited, post, set_cell
from workpackages import plan_workbook

EXPORT = {"mu": 200, "coordinator": 200, "reporter_a": 200, "reporter_b": 200, "viewer": 403, "outsider": 404,
          "anonymous": 401}
# A dry run of project A's own workbook: only its MU (and superusers) may; the MU of project B is refused like
# any member without the right, so that an upload reveals no project's existence.
IMPORT = {"mu": 200, "coordinator": 403, "reporter_a": 403, "reporter_b": 403, "viewer": 403, "outsider": 403,
          "anonymous": 401, "superuser": 200}


def _client(api_client, personas, superuser, persona):
    if persona == "anonymous":
        return api_client()
    return api_client(superuser if persona == "superuser" else personas[persona])


@pytest.mark.parametrize("persona", list(EXPORT))
def test_who_exports_the_plan_workbook(persona, world, personas, api_client, superuser):
    response = _client(api_client, personas, superuser, persona).get(f"/api/projects/{world.project.pk}/plan.xlsx")
    assert response.status_code == EXPORT[persona]
    if response.status_code == 200:
        assert response["Content-Type"] == plan_workbook.XLSX_TYPE
        assert 'filename="ALPHA-plan.xlsx"' in response["Content-Disposition"]
    other = _client(api_client, personas, superuser, persona).get(
        f"/api/projects/{world.other_project.pk}/plan.xlsx")
    assert other.status_code == {"anonymous": 401, "outsider": 200}.get(persona, 404)


@pytest.mark.parametrize("persona", list(IMPORT))
def test_who_imports_a_plan_workbook(persona, world, personas, api_client, superuser):
    response = post(_client(api_client, personas, superuser, persona), plan_workbook.export_xlsx(world.project),
                    dry_run=True)
    assert response.status_code == IMPORT[persona], response.content


def test_the_mu_of_a_project_does_not_create_one(world, mu, api_client):
    content = edited(plan_workbook.export_xlsx(world.project),
                     lambda workbook: set_cell(workbook, "Project", 2, "acronym", "NEW"))
    response = post(api_client(mu), content, dry_run=True)
    assert response.status_code == 403
    assert "Only superusers create projects" in response.json()["detail"]


def test_a_superuser_sees_a_projects_plan_without_membership(world, superuser, api_client):
    assert api_client(superuser).get(f"/api/projects/{world.project.pk}/plan.xlsx").status_code == 200
