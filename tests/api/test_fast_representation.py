"""consortium/api/fast.py is only faster: every list and detail answers exactly what stock DRF answers."""

from datetime import date
from decimal import Decimal

import pytest
from rest_framework import serializers

from consortium.api.fast import FastRepresentationMixin, _converter
from reporting import services
from reporting.models import ExchangeRate
from tests import factories as f
from workpackages.models import Deliverable

LISTS = ["projects", "programmes", "partners", "contacts", "memberships", "reporting-periods", "budget-lines",
         "work-packages", "activities", "deliverables", "milestones", "indicators", "effort", "progress-reports",
         "project-reports", "expenditures", "exchange-rates"]


@pytest.fixture
def plan(world, reporter_a):
    """At least one row of every resource, with empty and filled optional fields."""
    f.make_deliverable(world.wp1, internal_reviewer=world.partner_b, status="submitted",
                       submitted_date=date(2026, 7, 2))
    f.make_deliverable(world.wp2)
    f.make_milestone(world.wp1, achieved_date=date(2025, 6, 1))
    f.make_indicator(world.project, baseline=Decimal("1.50"))
    f.make_effort(world.partner_a, world.wp1)
    f.make_budget_line(world.partner_a)
    f.make_contact(world.project, world.partner_a.organisation)
    ExchangeRate.objects.create(currency="DKK", month=date(2025, 3, 1), rate=Decimal("7.4600"))
    report = services.report_create(partner=world.partner_a, period=world.period1, user=reporter_a)
    report = services.report_update(report=report, expected_version=report.version, user=reporter_a, data={
        "summary": "Kick-off.", "work_package_progress": [
            {"work_package": world.wp1, "narrative": "Set up.", "objective_status": "partly"}]})
    services.expenditure_add(report=report, user=reporter_a, data={
        "cost_category": "travel", "description": "Train", "amount": Decimal("100.00"), "currency": "DKK",
        "invoice_date": date(2025, 3, 4), "work_package": world.wp1})
    services.expenditure_add(report=report, user=reporter_a, data={
        "cost_category": "staff", "description": "Researcher", "employee": "Researcher A",
        "annual_gross_cost": Decimal("86000.00"), "hours": Decimal("10.00"), "invoice_date": date(2025, 3, 4)})
    return report


def _pages(client, report) -> dict:
    pages = {}
    for name in LISTS:
        response = client.get(f"/api/{name}/?page_size=500")
        pages[name] = (response.status_code, response.json())
        if response.status_code == 200:
            for row in response.json()["results"][:3]:
                pages[f"{name}/{row['id']}"] = client.get(f"/api/{name}/{row['id']}/").json()
    pages["report"] = client.get(f"/api/progress-reports/{report.pk}/").json()
    return pages


@pytest.mark.parametrize("persona", ["mu", "reporter_a", "viewer"])
def test_fast_representation_answers_exactly_what_drf_answers(persona, plan, request, api_client, monkeypatch):
    client = api_client(request.getfixturevalue(persona))
    fast = _pages(client, plan)
    assert fast["deliverables"][0] == 200 and fast["deliverables"][1]["count"] == 2
    monkeypatch.setattr(FastRepresentationMixin, "to_representation", serializers.Serializer.to_representation)
    stock = _pages(client, plan)
    assert fast == stock


@pytest.mark.parametrize("field", [
    serializers.BooleanField(), serializers.BooleanField(allow_null=True),
    serializers.ChoiceField(choices=[("a", "A"), ("", "none"), (1, "one")]),
    serializers.ChoiceField(choices=Deliverable.Status.choices),
], ids=["bool", "nullable bool", "mixed choices", "text choices"])
def test_the_shortcut_conversions_answer_what_the_field_answers(field):
    convert = _converter(field)
    for value in (True, False, 0, 1, "true", "False", "yes", "", "a", "b", 1.0, "1", Deliverable.Status.PLANNED,
                  "planned", "accepted", "x"):
        assert convert(value) == field.to_representation(value), value
        assert type(convert(value)) is type(field.to_representation(value)), value
