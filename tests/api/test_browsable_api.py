"""The browsable API (Accept: text/html) answers every role without a 500 and shows nothing beyond the JSON.

Its HTML forms listed every row of a related field's queryset in drop-downs (another project's
periods, partners and reports), and `/api/partners/` was a 500 for every role. The HTML forms are
off (consortium/api/renderers.py); the raw JSON form remains.
"""

import re

import pytest

from consortium.urls import api_router
from tests.api.matrix import ENDPOINTS

CANARY = "ZqCanary"
PERSONAS = ("mu", "coordinator", "reporter_a", "reporter_b", "viewer", "outsider", "superuser")


@pytest.fixture
def canaries(world):
    """Project B's objects carry a word that must never reach a page of project A's members.

    Not its organisation: organisations are shared, and an MU reads every one (test_shared_organisations.py).
    """
    from reporting.models import ProgressReport

    type(world.other_project).objects.filter(pk=world.other_project.pk).update(acronym=f"{CANARY}P")
    type(world.other_wp).objects.filter(pk=world.other_wp.pk).update(title=f"{CANARY} WP")
    ProgressReport.objects.create(partner=world.other_partner, period=world.other_period)


def _list_paths():
    return [f"/api/{prefix}/" for prefix, _viewset, _basename in api_router.registry]


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_list_and_detail_renders_as_html_for_every_role(persona, world, personas, superuser, canaries,
                                                             api_client):
    user = superuser if persona == "superuser" else personas[persona]
    client = api_client(user)
    paths = _list_paths()
    for endpoint in ENDPOINTS.values():
        paths.append(f"{endpoint.path}{endpoint.make(world, world.project).pk}/")
    for path in paths:
        response = client.get(path, HTTP_ACCEPT="text/html")
        assert response.status_code in (200, 403, 404), f"{persona} {path}: {response.status_code}"
        assert response["Content-Type"].startswith("text/html"), path
        html = response.content.decode()
        drop_downs = set(re.findall(r'<select[^>]* name="([^"]+)"', html)) - {"_content_type"}
        assert not drop_downs, f"{persona} {path} draws drop-downs {drop_downs}"
        if persona in ("mu", "coordinator", "reporter_a", "reporter_b", "viewer"):
            assert CANARY not in html, f"{persona} sees project B's objects on {path}"


def test_the_raw_json_form_still_posts(world, mu, api_client):
    response = api_client(mu).get("/api/work-packages/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert 'name="_content"' in response.content.decode()
