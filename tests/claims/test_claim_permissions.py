"""The claim's own routes (actions, list of expenditure, downloads) and the payments for every persona, the
controllers included; the resources' list/detail/create/delete codes are in tests/api/matrix.py.

The claim holds partner A's report, certified by controller_a, and partner B's, certified by controller_b.
A controller reads the claims holding a report it certified, whole (it certified part of the money in them);
one who certified nothing in it is a member without access (403). Order of the codes: 401, 404, 403, 409, 400.
"""

from decimal import Decimal

import pytest

from claims import services
from tests import factories as f

PERSONAS = ("mu", "coordinator", "reporter_a", "reporter_b", "viewer", "outsider", "controller_a",
            "controller_other", "anonymous")
READERS = {"mu": 200, "coordinator": 200, "reporter_a": 200, "reporter_b": 200, "viewer": 403, "outsider": 404,
           "controller_a": 200, "controller_other": 403, "anonymous": 401}
WRITERS = {**{persona: 403 for persona in PERSONAS}, "outsider": 404, "anonymous": 401}

# (method, route, body, codes): in this order, on one draft claim (the MU's gather and submit change it last).
ROUTES = [
    ("get", "{claim}/lines/", None, READERS),
    ("get", "{export}.pdf", None, READERS),
    ("get", "{export}.xlsx", None, READERS),
    ("post", "{claim}/verify/", None, {**WRITERS, "mu": 409}),  # a draft is not under verification
    ("post", "{claim}/finalise/", {"accepted": []}, {**WRITERS, "mu": 409}),
    ("post", "{claim}/return/", {"comment": ""}, {**WRITERS, "mu": 409}),  # the state before the input
    ("post", "{claim}/gather/", None, {**WRITERS, "mu": 200}),
    ("post", "{claim}/submit/", None, {**WRITERS, "mu": 200}),
    ("get", "/api/projects/{project}/payments/", None,
     {**READERS, "controller_a": 403, "controller_other": 403}),
    ("get", "/api/programme-payments/", None, {**READERS, "outsider": 200, "controller_a": 403,
                                               "controller_other": 403}),
]


@pytest.fixture
def claim(world, reporter_a, reporter_b, mu, controller_a, controller_b):
    f.make_certified_report(world.partner_a, world.period1, reporter_a, mu, controller_a, Decimal("100.00"), "EUR",
                            world.wp1)
    f.make_certified_report(world.partner_b, world.period1, reporter_b, mu, controller_b, Decimal("50.00"), "EUR",
                            world.wp2)
    return services.claim_create(project=world.project, period=world.period1, user=mu)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_route_for_every_persona(persona, claim, world, personas, controller_a, api_client):
    users = {**personas, "controller_a": controller_a, "anonymous": None}
    if persona == "controller_other":
        users[persona] = f.make_user("controller-no")
        f.add_member(users[persona], world.project, "controller", controlled_partners=[world.partner_no])
    client = api_client(users[persona])
    for method, route, body, codes in ROUTES:
        path = route.format(claim=f"/api/claims/{claim.pk}", export=f"/api/claims/{claim.pk}",
                            project=world.project.pk)
        response = client.get(path) if method == "get" else client.post(path, body or {}, format="json")
        assert response.status_code == codes[persona], f"{persona} {method} {path}: {response.status_code}"


def test_a_controller_reads_the_claims_holding_reports_it_certified(claim, world, controller_a, controller_b,
                                                                    api_client):
    for controller in (controller_a, controller_b):
        client = api_client(controller)
        assert [c["id"] for c in client.get("/api/claims/").json()["results"]] == [claim.pk]
        body = client.get(f"/api/claims/{claim.pk}/").json()
        # The whole claim: the certificates of other controllers' partners sum into the same totals.
        assert {p["partner_name"] for p in body["partners"]} == {"KU", "LU"}
    stranger = f.make_user("controller-no")
    f.add_member(stranger, world.project, "controller", controlled_partners=[world.partner_no])
    assert api_client(stranger).get("/api/claims/").json()["count"] == 0


def test_a_reporter_whose_partner_is_not_in_the_claim_sees_nothing_of_it(claim, world, ous, api_client):
    _partner, reporter = ous
    client = api_client(reporter)
    assert client.get("/api/claims/").json()["count"] == 0
    assert client.get(f"/api/claims/{claim.pk}/").status_code == 403
    assert client.get(f"/api/claims/{claim.pk}.pdf").status_code == 403
