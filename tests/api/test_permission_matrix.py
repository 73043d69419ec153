"""Every endpoint × persona × own/other project × action answers exactly the code of tests/api/matrix.py.

Lists never show an object of a project the persona is not in, and their counts agree; a viewer
never receives a budget figure anywhere.
"""

import pytest

from tests.api.matrix import ACTIONS, ENDPOINTS, MEMBERS_OF_A, MONEY_KEYS, PERSONAS, PROJECT_READS, REPORT_ACTIONS


def _other_codes(endpoint) -> dict[str, dict[str, int]]:
    if endpoint.other_codes is not None:
        return endpoint.other_codes
    own = endpoint.codes
    table = {"anonymous": own["anonymous"], "outsider": own["mu"]}
    for persona in MEMBERS_OF_A:
        # Not the persona's project: as if it did not exist (a 405 comes first: no such method at all).
        table[persona] = {action: (code if action == "list" or code == 405 else 404)
                          for action, code in own[persona].items()}
    return table


def _client(api_client, personas, persona):
    return api_client(None if persona == "anonymous" else personas[persona])


def _run(client, endpoint, world, obj, action):
    detail = f"{endpoint.path}{obj.pk}/"
    if action == "list":
        return client.get(endpoint.path, {"page_size": 500})
    if action == "detail":
        return client.get(detail)
    if action == "update":
        return client.patch(detail, endpoint.update or {"version": 1}, format="json",
                            HTTP_IF_MATCH=f'"{getattr(obj, "version", 1)}"')
    if action == "delete":
        return client.delete(detail)
    return client.post(endpoint.path, endpoint.create(world) if endpoint.create else {}, format="json")


@pytest.mark.parametrize("side", ["own", "other"])
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", list(ENDPOINTS))
def test_permission_matrix(name, persona, side, world, personas, controllers, api_client):
    personas = {**personas, **controllers}
    endpoint = ENDPOINTS[name]
    project = world.project if side == "own" else world.other_project
    obj = endpoint.make(world, project)
    expected = endpoint.codes[persona] if side == "own" else _other_codes(endpoint)[persona]
    client = _client(api_client, personas, persona)
    actions = ACTIONS if side == "own" else [a for a in ACTIONS if a != "create"]
    for action in actions:
        response = _run(client, endpoint, world, obj, action)
        assert response.status_code == expected[action], (
            f"{persona} {action} {name} ({side}): {response.status_code} {getattr(response, 'data', '')}"
        )
        assert response.status_code == 204 or response["Content-Type"].startswith("application/json")
        if action == "list" and response.status_code == 200:
            body = response.json()
            ids = [row["id"] for row in body["results"]]
            assert body["count"] == len(ids)
            if expected["detail"] == 404:
                assert obj.pk not in ids, f"{persona} sees a foreign {name} in the list"
            elif expected["detail"] == 200:
                assert obj.pk in ids
            member_projects = {world.project.pk} if persona in MEMBERS_OF_A else {world.other_project.pk}
            assert all(row["project"] in member_projects for row in body["results"] if "project" in row)


# Organisations are shared between projects: every MU, the outsider included, reads them all.
@pytest.mark.parametrize("name", [name for name in ENDPOINTS if name != "organisations"])
def test_every_endpoint_answers_404_to_an_outsider_on_detail(name, world, outsider, api_client):
    obj = ENDPOINTS[name].make(world, world.project)
    if name == "programmes":
        obj = ENDPOINTS[name].make(world, world.other_project)  # A's programme is also B's
    response = api_client(outsider).get(f"{ENDPOINTS[name].path}{obj.pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def _keys(value):
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item)


def test_viewer_never_receives_a_budget_figure(world, viewer, api_client):
    objects = {name: endpoint.make(world, world.project) for name, endpoint in ENDPOINTS.items()}
    client = api_client(viewer)
    seen = 0
    for name, endpoint in ENDPOINTS.items():
        for url in (endpoint.path, f"{endpoint.path}{objects[name].pk}/"):
            response = client.get(url)
            if response.status_code == 200:
                seen += 1
                leaked = MONEY_KEYS.intersection(_keys(response.json()))
                assert not leaked, f"{url} shows a viewer {leaked}"
    assert seen >= 20  # the walk really read the plan


def test_reporter_sees_partner_rates_that_viewer_does_not(world, reporter_a, viewer, api_client):
    url = f"/api/partners/{world.partner_b.pk}/"
    assert api_client(reporter_a).get(url).json()["cofinancing_rate"] == "60.00"
    assert "cofinancing_rate" not in api_client(viewer).get(url).json()


@pytest.mark.parametrize("side", ["own", "other"])
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", list(PROJECT_READS))
def test_project_reads(name, persona, side, world, personas, controllers, api_client):
    personas = {**personas, **controllers}
    read = PROJECT_READS[name]
    project = world.project if side == "own" else world.other_project
    expected = read.codes[persona]
    if side == "other":
        expected = {"anonymous": 401, "outsider": read.codes["mu"]}.get(persona, 404)
    response = _client(api_client, personas, persona).get(read.path(project))
    assert response.status_code == expected, f"{persona} {name} ({side}): {response.status_code}"
    assert response["Content-Type"].startswith(read.content_type if expected == 200 else "application/json")
    if expected == 200 and persona.startswith("reporter") and read.rows_by_partner:
        own = personas[persona].memberships.get().partner_id
        # Its own partner's rows only (the payments overview has none for a partner nothing was claimed for).
        assert {row["partner"] for row in read.rows(response.json())} <= {own}
        assert name == "payments" or {row["partner"] for row in read.rows(response.json())} == {own}
    if expected == 200 and persona.startswith("controller") and read.rows_by_partner:
        own = set(personas[persona].memberships.get().controlled_partners.values_list("pk", flat=True))
        assert {row["partner"] for row in read.rows(response.json())} == own


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", list(REPORT_ACTIONS))
def test_report_control_actions(name, persona, in_control, expense, personas, controllers, api_client):
    from reporting.models import LineControl

    action = REPORT_ACTIONS[name]
    control = LineControl.objects.get(expenditure=expense)
    path = action.path.format(report=in_control.pk, line=expense.pk)
    body = action.body
    if body and body.get("ids") == ["{control}"]:
        body = {"ids": [control.pk]}
    client = _client(api_client, {**personas, **controllers}, persona)
    extra = {"HTTP_IF_MATCH": f'"{control.version}"'} if action.method == "patch" else {}
    response = getattr(client, action.method)(path, body, format="json", **extra)
    assert response.status_code == action.codes[persona], (
        f"{persona} {name}: {response.status_code} {getattr(response, 'data', '')}")
