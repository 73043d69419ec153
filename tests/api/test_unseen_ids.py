"""An id the user may not see behaves exactly like an id that does not exist, everywhere.

Walks every filter that takes an id of every resource of the router, and every related field
(nested ones included) of every serializer that writes, as tests/api/matrix.py walks the
endpoints: in a filter both match nothing (200, empty); in a body both are a 400 naming the field
with "object does not exist".
"""

import copy
import re

import pytest
from django.contrib.auth import get_user_model
from django_filters.utils import get_model_field
from rest_framework import relations, serializers

from consortium.api.filters import IdFilter
from consortium.api.serializers import InvitationSerializer
from consortium.models import Programme, Project
from consortium.urls import api_router
from partners.models import Organisation
from reporting.models import ProgressReport
from tests import factories as f
from tests.api.matrix import ENDPOINTS

ROUTES = {prefix: viewset for prefix, viewset, _basename in api_router.registry}
NO_SUCH_ID = 2**40
# The serializer a POST is validated with, where it is not the resource's own.
CREATE_SERIALIZERS = {"users": InvitationSerializer}


def _model_of(name: str):
    viewset = ROUTES[name]
    queryset = getattr(viewset, "queryset", None)
    if queryset is not None:
        return queryset.model
    return {"programmes": Programme, "users": get_user_model()}[name]


def _unseen(world, model):
    """An object of `model` that project A's personas may not see: one of project B."""
    if model is Project:
        return world.other_project
    if model is ProgressReport:
        return ProgressReport.objects.get_or_create(partner=world.other_partner, period=world.other_period)[0]
    if model is Organisation:
        # Organisations are shared: one partnering only in project B (the MU may still name it, see below).
        return world.other_partner.organisation
    for name, endpoint in ENDPOINTS.items():
        if _model_of(name) is model:
            return endpoint.make(world, world.other_project)
    raise AssertionError(f"no way to make a {model.__name__} of project B")


# --- filters -------------------------------------------------------------------------------------

def _id_filters():
    for prefix, viewset in ROUTES.items():
        filterset = getattr(viewset, "filterset_class", None)
        if filterset is None:
            continue
        for name, flt in filterset.base_filters.items():
            field = get_model_field(filterset._meta.model, flt.field_name)
            if field is not None and field.is_relation:
                yield prefix, name, flt, field.related_model


ID_FILTERS = list(_id_filters())


def test_every_filter_by_a_related_object_is_a_plain_id():
    """A model-choice filter answers 400 for an unknown id and 200 for a foreign one: the probe of finding 8."""
    strays = [f"{prefix}?{name}" for prefix, name, flt, _model in ID_FILTERS if not isinstance(flt, IdFilter)]
    assert not strays


@pytest.mark.parametrize(("prefix", "name", "model"), [(p, n, m) for p, n, _f, m in ID_FILTERS],
                         ids=[f"{p}?{n}" for p, n, _f, _m in ID_FILTERS])
@pytest.mark.parametrize("persona", ["mu", "reporter_a"])
def test_a_filter_by_an_unseen_id_matches_nothing_like_an_unknown_id(prefix, name, model, persona, world,
                                                                   personas, api_client):
    unseen = _unseen(world, model)
    client = api_client(personas[persona])
    answers = [client.get(f"/api/{prefix}/", {name: value}) for value in (NO_SUCH_ID, unseen.pk)]
    assert [a.status_code for a in answers][0] == answers[1].status_code, [a.json() for a in answers]
    if answers[0].status_code == 403:  # the role reads no such rows at all
        return
    assert [a.status_code for a in answers] == [200, 200], [a.json() for a in answers]
    assert [a.json()["count"] for a in answers] == [0, 0], f"{prefix}?{name}={unseen.pk} shows {answers[1].json()}"


# --- bodies --------------------------------------------------------------------------------------

def _related_paths(serializer, prefix=""):
    """(path in the body, related model, many) of every writable related field, nested lists included."""
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        if isinstance(field, serializers.ListSerializer):
            yield from _related_paths(field.child, f"{prefix}{name}[0].")
        elif isinstance(field, relations.ManyRelatedField):
            yield f"{prefix}{name}", field.child_relation.queryset.model, True
        elif isinstance(field, relations.RelatedField):
            yield f"{prefix}{name}", field.queryset.model, False


def _with(body: dict, path: str, value) -> dict:
    body = copy.deepcopy(body)
    match = re.fullmatch(r"(\w+)\[0\]\.(\w+)", path)
    if match:
        items = body.get(match[1]) or [{}]
        items[0][match[2]] = value
        body[match[1]] = items
    else:
        body[path] = value
    return body


def _cases():
    for name, endpoint in ENDPOINTS.items():
        serializer_class = CREATE_SERIALIZERS.get(name, ROUTES[name].serializer_class)
        for path, model, many in _related_paths(serializer_class()):
            if model is Organisation:
                continue  # organisations are shared: an MU may name any of them (test_organisations.py)
            if endpoint.create is not None and endpoint.codes["mu"]["create"] == 201:
                yield name, "create", path, model, many
            if endpoint.update is not None and endpoint.codes["mu"]["update"] == 200 and name in ENDPOINTS:
                if path in ROUTES[name].serializer_class().fields or "[0]." in path:
                    yield name, "update", path, model, many


CASES = list(_cases())


def _message(response, path: str) -> str:
    assert response.status_code == 400, f"{response.status_code} {response.json()}"
    fields = response.json()["fields"]
    assert path in fields, f"{path} not named: {fields}"
    message = " ".join(fields[path])
    assert "object does not exist" in message, message
    return re.sub(r"\d+", "N", message)


@pytest.mark.parametrize(("name", "action", "path", "model", "many"), CASES,
                         ids=[f"{n}-{a}-{p}" for n, a, p, _m, _many in CASES])
def test_a_body_naming_an_unseen_object_is_like_one_naming_no_object(name, action, path, model, many, world, mu,
                                                                    api_client):
    endpoint = ENDPOINTS[name]
    client = api_client(mu)
    unseen = _unseen(world, model)
    obj = endpoint.make(world, world.project) if action == "update" else None
    messages = []
    for value in (NO_SUCH_ID, unseen.pk):
        value = [value] if many else value
        if action == "create":
            response = client.post(endpoint.path, _with(endpoint.create(world), path, value), format="json")
        else:
            response = client.patch(f"{endpoint.path}{obj.pk}/", _with(endpoint.update, path, value), format="json",
                                    HTTP_IF_MATCH=f'"{getattr(obj, "version", 1)}"')
        messages.append(_message(response, path))
    assert messages[0] == messages[1]


def test_a_reporter_naming_another_partners_report_is_told_it_does_not_exist(world, reporter_a, api_client):
    """Reports are not the whole project's for a reporter: partner B's report is one they may not see."""
    other = ProgressReport.objects.create(partner=world.partner_b, period=world.period1)
    client = api_client(reporter_a)
    messages = []
    for report in (NO_SUCH_ID, other.pk):
        body = {"report": report, "cost_category": "travel", "description": "Train", "amount": "45.00",
                "currency": "EUR"}
        messages.append(_message(client.post("/api/expenditures/", body, format="json"), "report"))
    assert messages[0] == messages[1]


def test_a_report_for_another_projects_partner_is_like_one_for_no_partner(world, mu, api_client):
    """Finding 8's example: one id said "must make a unique set", another "Invalid pk"."""
    client = api_client(mu)
    f.make_partner(world.other_project, f.make_organisation(), number=2)
    messages = [_message(client.post("/api/progress-reports/", {"partner": partner, "period": world.period1.pk},
                                     format="json"), "partner")
                for partner in (NO_SUCH_ID, world.other_partner.pk)]
    assert messages[0] == messages[1]
