"""bench/load.py's floor is a floor of the same work: each read's rows in as many queries, and no deployment serves it.

The floor's views (bench/load_floor.py) are mounted only by bench/load_settings.py; here by a urlconf override.
"""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from consortium import tokens
from tests import factories as f


def read(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.content[:300])
    return response.json(), len(captured)


def rows(body) -> list:
    return [row["id"] for row in body["results"]] if "results" in body else [body["id"]]


def test_the_site_does_not_serve_the_floor(world, mu):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {tokens.token_create(user=mu)}")
    assert client.get(f"/floor/api/deliverables/?project={world.project.pk}").status_code == 404


@pytest.mark.parametrize("who", ["mu", "reporter_a"])
@override_settings(ROOT_URLCONF="bench.load_floor")
def test_the_floor_reads_the_same_rows_in_as_many_queries(world, expense, draft, who, request):
    user = request.getfixturevalue(who)
    f.make_deliverable(world.wp1, code="D1.1")
    deliverable = f.make_deliverable(world.wp2, code="D2.1")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {tokens.token_create(user=user)}")
    project = world.project.pk
    for path in ["/api/projects/", f"/api/partners/?project={project}", f"/api/deliverables/?project={project}",
                 f"/api/deliverables/{deliverable.pk}/", f"/api/work-packages/?project={project}",
                 "/api/progress-reports/", f"/api/progress-reports/{draft.pk}/",
                 f"/api/progress-reports/{draft.pk}/summary/", "/api/expenditures/?page_size=100"]:
        api, api_queries = read(client, path)
        floor, floor_queries = read(client, "/floor" + path)
        if path.endswith("summary/"):
            assert floor["lines"] and api_queries == floor_queries, path
            continue
        assert rows(api) == rows(floor) and api.get("count") == floor.get("count"), path
        assert api_queries == floor_queries, path
