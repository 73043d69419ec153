"""The plan's money through the API: a partner's cost options, unit costs and lump sums (docs/REPORTING.md)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from consortium.models import MAXIMUM_FLAT_RATES, local_today
from partners.cost_options import REGULATION_MAXIMA
from partners.models import LumpSum, Partner, UnitCost
from reporting import services
from tests import factories as f

D = Decimal


def patch(client, path: str, obj, body: dict):
    return client.patch(path, body, format="json", HTTP_IF_MATCH=f'"{obj.version}"')


def partner_path(partner) -> str:
    return f"/api/partners/{partner.pk}/"


# --- cost options --------------------------------------------------------------------------------

def test_programme_ceilings_are_the_regulations(db):
    assert {name.removeprefix("max_"): D(value) for name, value in MAXIMUM_FLAT_RATES.items()} == vars(
        REGULATION_MAXIMA)


def test_mu_sets_a_partners_options_and_reads_them_back(world, mu, api_client):
    client = api_client(mu)
    response = patch(client, partner_path(world.partner_b), world.partner_b, {
        "staff_option": "flat_direct", "staff_flat_rate": "20.00", "office_option": "flat_staff",
        "office_flat_rate": "15.00"})
    assert response.status_code == 200, response.json()
    assert {k: response.json()[k] for k in Partner.COST_OPTION_FIELDS} == {
        "office_option": "flat_staff", "office_flat_rate": "15.00", "travel_option": "real", "travel_flat_rate": None,
        "staff_option": "flat_direct", "staff_flat_rate": "20.00", "uses_other_costs_flat_rate": False,
        "other_costs_flat_rate": None}


def test_every_option_problem_is_answered_at_once_by_field(world, mu, api_client):
    response = patch(api_client(mu), partner_path(world.partner_a), world.partner_a, {
        "office_flat_rate": "15.50", "travel_option": "flat_staff", "staff_option": "flat_direct",
        "staff_flat_rate": "20.00", "uses_other_costs_flat_rate": True, "other_costs_flat_rate": "40.00"})
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert fields["office_flat_rate"] == ["The office & administration flat rate on direct staff costs may be at "
                                          "most 15.00 % in this programme; 15.50 % was given."]
    assert fields["travel_flat_rate"] == ["The travel & accommodation flat rate on direct staff costs needs a rate, "
                                          "in percent."]
    assert len(fields["uses_other_costs_flat_rate"]) == 3  # office, travel and staff flat rates
    world.partner_a.refresh_from_db()
    assert (world.partner_a.travel_option, world.partner_a.version) == ("real", 1)


def test_a_programme_with_lower_maxima_refuses_a_higher_rate(world, mu, api_client):
    programme = world.project.programme
    programme.max_office_on_staff = D("10.00")
    programme.save()
    response = patch(api_client(mu), partner_path(world.partner_a), world.partner_a, {"office_flat_rate": "12.00"})
    assert response.status_code == 400
    assert "at most 10.00 % in this programme" in response.json()["fields"]["office_flat_rate"][0]


def test_real_costs_given_alone_clear_the_rate(world, mu, api_client):
    response = patch(api_client(mu), partner_path(world.partner_a), world.partner_a, {"office_option": "real"})
    assert response.status_code == 200
    assert (response.json()["office_option"], response.json()["office_flat_rate"]) == ("real", None)


def test_options_are_fixed_once_the_partner_has_submitted_a_report(world, mu, reporter_a, api_client, draft):
    services.report_submit(report=draft, user=reporter_a, notify=False)
    partner = Partner.objects.get(pk=world.partner_a.pk)
    client = api_client(mu)
    response = patch(client, partner_path(partner), partner, {"office_option": "flat_direct",
                                                              "office_flat_rate": "7.00"})
    assert response.status_code == 409
    assert set(response.json()["fields"]) == {"office_option", "office_flat_rate"}
    # Everything else of the partner may still change, and sending the options unchanged is no change.
    response = patch(client, partner_path(partner), partner, {"funding_source": "none", "office_option": "flat_staff"})
    assert response.status_code == 200


def test_a_new_partner_gets_the_default_options_and_is_checked(world, mu, api_client):
    body = {"project": world.project.pk, "organisation": f.make_organisation().pk, "number": 8,
            "cofinancing_rate": "60.00"}
    created = api_client(mu).post("/api/partners/", body, format="json")
    assert created.status_code == 201
    assert (created.json()["office_option"], created.json()["office_flat_rate"]) == ("flat_staff", "15.00")
    refused = api_client(mu).post("/api/partners/", {**body, "number": 9, "organisation": f.make_organisation().pk,
                                                     "office_option": "flat_direct"}, format="json")
    assert refused.status_code == 400
    assert "may be at most 7.00 %" in refused.json()["fields"]["office_flat_rate"][0]


# --- unit costs ----------------------------------------------------------------------------------

@pytest.fixture
def unit_cost(world):
    return UnitCost.objects.create(project=world.project, name="Meeting day", unit="participant-day",
                                   price_per_unit=D("84.21"), cost_category="travel")


def test_unit_cost_price_is_fixed_once_a_line_claims_it(unit_cost, draft, reporter_a, mu, api_client):
    client = api_client(mu)
    assert patch(client, f"/api/unit-costs/{unit_cost.pk}/", unit_cost, {"price_per_unit": "90.00"}).status_code == 200
    unit_cost.refresh_from_db()
    services.expenditure_add(report=draft, user=reporter_a, data={"unit_cost": unit_cost, "units": D("2"),
                                                                  "description": "Workshop"})
    response = patch(client, f"/api/unit-costs/{unit_cost.pk}/", unit_cost, {"price_per_unit": "95.00"})
    assert response.status_code == 409 and set(response.json()["fields"]) == {"price_per_unit"}
    assert patch(client, f"/api/unit-costs/{unit_cost.pk}/", unit_cost, {"name": "Meeting day (2026)"}
                 ).status_code == 200
    assert client.delete(f"/api/unit-costs/{unit_cost.pk}/").status_code == 409


# --- lump sums -----------------------------------------------------------------------------------

def lump_sum_body(world, **changes) -> dict:
    return {"project": world.project.pk, "name": "Pilot completed", "amount": "30000.00", "period": world.period1.pk,
            "shares": [{"partner": world.partner_a.pk, "amount": "12000.00"},
                       {"partner": world.partner_b.pk, "amount": "10000.01"},
                       {"partner": world.partner_no.pk, "amount": "7999.99"}], **changes}


def test_mu_creates_a_lump_sum_whose_shares_add_up(world, mu, reporter_b, api_client):
    response = api_client(mu).post("/api/lump-sums/", lump_sum_body(world), format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["achieved"], response.json()["claimed"]) == (False, False)
    listed = api_client(reporter_b).get(f"/api/lump-sums/?project={world.project.pk}&partner={world.partner_b.pk}")
    assert [row["name"] for row in listed.json()["results"]] == ["Pilot completed"]


def test_shares_that_do_not_add_up_are_refused_all_at_once(world, mu, api_client):
    body = lump_sum_body(world, shares=[{"partner": world.partner_a.pk, "amount": "12000.00"},
                                        {"partner": world.partner_a.pk, "amount": "5000.00"},
                                        {"partner": world.partner_b.pk, "amount": "0.00"}])
    response = api_client(mu).post("/api/lump-sums/", body, format="json")
    assert response.status_code == 400
    assert response.json()["fields"] == {
        "shares[1].partner": ["PP1 KU is listed twice"],
        "shares[2].amount": ["A share must be a positive amount in cents; 0.00 was given."],
        "shares": ["The partners' shares add up to 17,000.00, not to the lump sum of 30,000.00."]}
    body = lump_sum_body(world, shares=[{"partner": world.partner_a.pk, "amount": "12000.00"},
                                        {"partner": world.partner_b.pk, "amount": "-1.00"}])
    response = api_client(mu).post("/api/lump-sums/", body, format="json")
    assert response.json()["fields"] == {
        "shares[1].amount": ["A share must be a positive amount in cents; -1.00 was given."],
        "shares": ["The partners' shares add up to 11,999.00, not to the lump sum of 30,000.00."]}
    assert not LumpSum.objects.exists()


def test_a_lump_sum_is_achieved_with_evidence_and_not_in_the_future(world, mu, api_client):
    lump_sum_id = api_client(mu).post("/api/lump-sums/", lump_sum_body(world), format="json").json()["id"]
    lump_sum = LumpSum.objects.get(pk=lump_sum_id)
    path = f"/api/lump-sums/{lump_sum_id}/"
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    response = patch(api_client(mu), path, lump_sum, {"achieved_date": tomorrow})
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"achieved_date", "evidence"}
    response = patch(api_client(mu), path, lump_sum, {"achieved_date": "2025-11-30", "evidence": "Pilot report D2.1"})
    assert response.status_code == 200 and response.json()["achieved"] is True


def test_an_achieved_lump_sum_is_claimed_whole_once_then_fixed(world, mu, reporter_a, api_client, draft):
    lump_sum_id = api_client(mu).post("/api/lump-sums/", lump_sum_body(world, achieved_date="2025-11-30",
                                                                       evidence="Pilot report"),
                                      format="json").json()["id"]
    summary = api_client(reporter_a).get(f"/api/progress-reports/{draft.pk}/summary/").json()
    assert summary["lump_sums"] == [{"lump_sum": lump_sum_id, "name": "Pilot completed", "period_number": 1,
                                     "amount": "12000.00", "claimed": False}]
    assert (summary["lump_sum_total"], summary["eligible_total"]) == ("12000.00", "12000.00")
    services.report_submit(report=draft, user=reporter_a, notify=False)
    summary = api_client(reporter_a).get(f"/api/progress-reports/{draft.pk}/summary/").json()
    assert summary["lump_sums"][0]["claimed"] is True
    # Claimed once: the partner's next report does not claim it again.
    later = services.report_create(partner=world.partner_a, period=world.period2, user=reporter_a)
    assert api_client(reporter_a).get(f"/api/progress-reports/{later.pk}/summary/").json()["lump_sums"] == []
    # What was claimed is fixed; the evidence may still be completed.
    lump_sum = LumpSum.objects.get(pk=lump_sum_id)
    client = api_client(mu)
    response = patch(client, f"/api/lump-sums/{lump_sum_id}/", lump_sum, {"amount": "31000.00"})
    assert response.status_code == 409 and set(response.json()["fields"]) == {"amount"}
    response = patch(client, f"/api/lump-sums/{lump_sum_id}/", lump_sum, {"evidence": "Pilot report D2.1, p. 4"})
    assert response.status_code == 200
    assert client.delete(f"/api/lump-sums/{lump_sum_id}/").status_code == 409


def test_a_lump_sum_achieved_after_its_periods_report_goes_into_the_next_report(world, mu, reporter_a, api_client,
                                                                                 draft):
    lump_sum_id = api_client(mu).post("/api/lump-sums/", lump_sum_body(world), format="json").json()["id"]
    services.report_submit(report=draft, user=reporter_a, notify=False)  # P1 submitted before it was achieved
    lump_sum = LumpSum.objects.get(pk=lump_sum_id)
    patch(api_client(mu), f"/api/lump-sums/{lump_sum_id}/", lump_sum, {"achieved_date": "2026-02-15",
                                                                        "evidence": "Pilot report"})
    assert api_client(reporter_a).get(f"/api/progress-reports/{draft.pk}/summary/").json()["lump_sums"] == []
    later = services.report_create(partner=world.partner_a, period=world.period2, user=reporter_a)
    items = api_client(reporter_a).get(f"/api/progress-reports/{later.pk}/summary/").json()["lump_sums"]
    assert [(item["name"], item["amount"], item["claimed"]) for item in items] == [
        ("Pilot completed", "12000.00", False)]


def test_model_refuses_an_achieved_lump_sum_without_evidence(world):
    lump_sum = LumpSum(project=world.project, name="X", amount=D("1.00"), period=world.period1,
                       achieved_date=local_today())
    with pytest.raises(ValidationError):
        lump_sum.full_clean()


def test_a_lump_sum_moves_only_to_a_period_of_its_project(world, mu, api_client):
    other = f.make_project(world.project.programme, acronym="GAMMA")  # the MU's too
    f.add_member(mu, other, "management_unit")
    foreign = f.make_period(other, 1, world.period1.start_date, world.period1.end_date)
    lump_sum_id = api_client(mu).post("/api/lump-sums/", lump_sum_body(world), format="json").json()["id"]
    lump_sum = LumpSum.objects.get(pk=lump_sum_id)
    response = patch(api_client(mu), f"/api/lump-sums/{lump_sum_id}/", lump_sum, {"period": foreign.pk})
    assert response.status_code == 400
    assert response.json()["fields"] == {"period": ["The period must belong to the lump sum's project."]}
    response = patch(api_client(mu), f"/api/lump-sums/{lump_sum_id}/", lump_sum, {"period": world.period2.pk,
                                                                                   "amount": "31000.00"})
    assert response.status_code == 400  # the shares no longer add up
    assert set(response.json()["fields"]) == {"shares"}
