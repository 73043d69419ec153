"""Who may import a plan workbook (the API's side; the web's is in tests/web/matrix.py, the export's codes in
tests/api/matrix.py PROJECT_READS)."""

import pytest

from tests.plan.helpers import edited, post, set_cell
from workpackages import plan_workbook

# A dry run of project A's own workbook: only its MU (and superusers) may; the MU of project B is refused like
# any member without the right, so that an upload reveals no project's existence.
IMPORT = {"mu": 200, "coordinator": 403, "reporter_a": 403, "reporter_b": 403, "viewer": 403, "outsider": 403,
          "anonymous": 401, "superuser": 200}


def _client(api_client, personas, superuser, persona):
    if persona == "anonymous":
        return api_client()
    return api_client(superuser if persona == "superuser" else personas[persona])


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


def test_a_superuser_exports_any_projects_plan_named_after_it(world, superuser, api_client):
    response = api_client(superuser).get(f"/api/projects/{world.project.pk}/plan.xlsx")
    assert response.status_code == 200
    assert 'filename="ALPHA-plan.xlsx"' in response["Content-Disposition"]
