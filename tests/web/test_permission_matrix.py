"""Every web URL × persona × own/other project gives the same answer as the API for the same act.

The acts are in tests/web/matrix.py. Each runs in a savepoint that is rolled back, so the web act
and its API twin meet the same data.
"""

import pytest
from django.db import transaction

from tests.web.matrix import PERSONAS, WEB_ACTS

MEMBERS_OF_A = ("mu", "coordinator", "reporter_a", "reporter_b", "viewer")


pytestmark = pytest.mark.usefixtures("media")  # uploads land in this test's own directory


def web_outcome(response) -> str:
    code = response.status_code
    if code == 302 and response.url.startswith("/accounts/login/"):
        return "login"
    if 200 <= code < 400:
        return "ok"
    return {400: "invalid", 403: "forbidden", 404: "not_found", 405: "not_allowed", 409: "conflict",
            412: "stale"}[code]


def api_outcome(response) -> str:
    code = response.status_code
    if 200 <= code < 300:
        return "ok"
    if code == 400:
        # An object named in a body that the user may not know of: the API's 404 for a body.
        messages = [m for ms in response.json().get("fields", {}).values() for m in ms]
        return "not_found" if any("does not exist" in m for m in messages) else "invalid"
    return {401: "login", 403: "forbidden", 404: "not_found", 405: "not_allowed", 409: "conflict",
            412: "stale", 428: "version_required"}[code]


def run_web(client, act, made) -> str:
    with transaction.atomic():
        data = act.data(made) if act.data else None
        response = client.post(act.url(made), data) if act.method == "post" else client.get(act.url(made))
        transaction.set_rollback(True)
    return web_outcome(response)


def run_api(client, act, made) -> str:
    with transaction.atomic():
        outcome = "ok"
        for request in act.api:
            path = request.path(made)
            kwargs = {"format": "multipart" if request.multipart else "json"}
            if request.if_match:
                kwargs["HTTP_IF_MATCH"] = f'"{made[request.if_match].version}"'
            response = getattr(client, request.method)(path, request.body(made) if request.body else None, **kwargs)
            outcome = api_outcome(response)
            if outcome != "ok":
                break
        transaction.set_rollback(True)
    return outcome


def expected_without_api_twin(act, persona: str, side: str) -> str:
    if side == "own" or not act.project_scoped:
        return act.expected[persona]
    if persona == "outsider":  # project B is theirs: they act as its MU
        return act.expected["mu"]
    return "login" if persona == "anonymous" else "not_found"


@pytest.fixture
def web_personas(personas, controller_a, controller_b):
    """The shared personas and the first-level controllers of partners A1 and A2."""
    return {**personas, "controller_a": controller_a, "controller_b": controller_b}


@pytest.mark.parametrize("side", ["own", "other"])
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", list(WEB_ACTS))
def test_web_answers_as_the_api_does(name, persona, side, world, web_personas, client, api_client):
    act = WEB_ACTS[name]
    made = act.make(world, world.project if side == "own" else world.other_project)
    user = None if persona == "anonymous" else web_personas[persona]
    if user is not None:
        client.force_login(user)
    web = run_web(client, act, made)
    if act.api:
        api = run_api(api_client(user), act, made)
        assert web == api, f"{persona} {name} ({side}): the web says {web}, the API {api}"
    else:
        assert web == expected_without_api_twin(act, persona, side), f"{persona} {name} ({side}): {web}"


def test_the_matrix_covers_every_web_url():
    """A new page must be added to tests/web/matrix.py, and so compared with the API."""
    from web import urls as web_urls

    missing = {pattern.name for pattern in web_urls.urlpatterns} - {act.url_name for act in WEB_ACTS.values()}
    assert not missing, f"web URLs missing from tests/web/matrix.py: {sorted(missing)}"
