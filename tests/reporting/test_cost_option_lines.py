"""Report lines of the simplified cost options: staff lines by method, unit-cost lines, and their import.

Amounts are worked out beside each case (half-up to the cent, once per line).
"""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partners.models import UnitCost
from reporting.imports import COLUMNS
from reporting.models import Expenditure

D = Decimal


@pytest.fixture
def unit_cost(world):
    return UnitCost.objects.create(project=world.project, name="Partnership meeting", unit="participant-day",
                                   price_per_unit=D("84.21"), cost_category="travel")


def post_line(client, report, **body):
    return client.post("/api/expenditures/", {"report": report.pk, "description": "Line", **body}, format="json")


def test_fixed_percentage_staff_line_is_computed_and_shows_its_computation(draft, reporter_a, api_client):
    # 4,123.45 × 33.33 % × 6 months = 8,246.07531 → 8,246.08
    response = post_line(api_client(reporter_a), draft, cost_category="staff", employee="Coordinator",
                         staff_method="fixed_percentage", monthly_gross_cost="4123.45", percentage="33.33",
                         months="6", amount="1.00", hours="10", currency="DKK")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["amount"], body["hours"], body["hourly_rate"]) == ("8246.08", None, None)
    assert body["computation"] == "4,123.45 per month × 33.33 % × 6 months = 8,246.08"


def test_full_time_staff_line(draft, reporter_a, api_client):
    # 4,123.47 × 5.50 months = 22,679.085 → 22,679.09
    response = post_line(api_client(reporter_a), draft, cost_category="staff", staff_method="full_time",
                         monthly_gross_cost="4123.47", months="5.50", percentage="50", currency="EUR")
    assert (response.json()["amount"], response.json()["percentage"]) == ("22679.09", None)


def test_a_staff_line_without_a_method_is_hourly(draft, reporter_a, api_client):
    # 612,000.00 ÷ 1,720 = 355.81 per hour; × 10 h = 3,558.10
    response = post_line(api_client(reporter_a), draft, cost_category="staff", hours="10",
                         annual_gross_cost="612000.00", currency="DKK")
    assert (response.json()["staff_method"], response.json()["amount"]) == ("hourly", "3558.10")
    assert response.json()["computation"] == "612,000.00 ÷ 1,720 h = 355.81 per hour × 10.00 h = 3,558.10"


def test_months_may_not_exceed_the_period(world, draft, reporter_a, api_client):
    # The world's period 1 runs 12 months.
    response = post_line(api_client(reporter_a), draft, cost_category="staff", staff_method="full_time",
                         monthly_gross_cost="4000.00", months="12.50", currency="EUR")
    assert response.status_code == 400
    assert response.json()["fields"] == {"months": ["Period 1 has 12 months; give at most 12."]}
    response = post_line(api_client(reporter_a), draft, cost_category="staff", staff_method="fixed_percentage",
                         currency="EUR")
    assert set(response.json()["fields"]) == {"monthly_gross_cost", "percentage", "months"}


def test_unit_cost_line_takes_the_unit_costs_category_eur_and_price(draft, reporter_a, api_client, unit_cost):
    # 12.5 participant-days × 84.21 = 1,052.625 → 1,052.63
    response = post_line(api_client(reporter_a), draft, unit_cost=unit_cost.pk, units="12.5", amount="99.00")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["cost_category"], body["currency"], body["amount"]) == ("travel", "EUR", "1052.63")
    assert body["computation"] == "12.50 participant-day × 84.21 = 1,052.63"


def test_unit_cost_line_problems(world, draft, reporter_a, api_client, unit_cost):
    client = api_client(reporter_a)
    response = post_line(client, draft, unit_cost=unit_cost.pk, cost_category="external", currency="DKK")
    assert set(response.json()["fields"]) == {"cost_category", "units", "currency"}
    other = UnitCost.objects.create(project=world.other_project, name="Other", unit="day", price_per_unit=D("1"),
                                    cost_category="travel")
    response = post_line(client, draft, unit_cost=other.pk, units="1")
    assert response.status_code == 400 and "unit_cost" in response.json()["fields"]  # not a pk reporter_a may see


def test_changing_a_lines_category_makes_it_a_line_of_that_kind(draft, reporter_a, api_client, unit_cost):
    client = api_client(reporter_a)
    line = post_line(client, draft, cost_category="staff", staff_method="full_time", monthly_gross_cost="1000.00",
                     months="2", currency="EUR").json()
    response = client.patch(f"/api/expenditures/{line['id']}/", {"cost_category": "external", "amount": "250.00"},
                            format="json", HTTP_IF_MATCH=f'"{line["version"]}"')
    assert response.status_code == 200
    body = response.json()
    assert (body["amount"], body["staff_method"], body["monthly_gross_cost"], body["months"]) == (
        "250.00", "", None, None)


def test_summary_counts_unit_cost_lines_in_their_category_base(world, draft, reporter_a, api_client, unit_cost):
    # Partner A: office 15 % of staff. Travel unit-cost line 1,052.63 is in no office base; staff full time
    # 2,000.00 × 1 = 2,000.00 → office 15 % = 300.00.
    client = api_client(reporter_a)
    post_line(client, draft, unit_cost=unit_cost.pk, units="12.5")
    post_line(client, draft, cost_category="staff", staff_method="full_time", monthly_gross_cost="2000.00", months="1",
              currency="EUR")
    summary = client.get(f"/api/progress-reports/{draft.pk}/summary/").json()
    categories = {row["cost_category"]: row["total"] for row in summary["categories"]}
    assert (categories["travel"], categories["staff"], categories["office_admin"]) == ("1052.63", "2000.00", "300.00")
    assert summary["eligible_total"] == "3352.63"


def _csv(rows: list[dict]) -> SimpleUploadedFile:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile("lines.csv", out.getvalue().encode(), content_type="text/csv")


def test_import_reads_staff_methods_and_unit_costs_by_name(draft, reporter_a, api_client, unit_cost):
    rows = [
        {"cost_category": "staff", "description": "Coordinator", "currency": "DKK", "staff_method": "fixed_percentage",
         "monthly_gross_cost": "48500.00", "percentage": "50", "months": "6"},
        {"description": "Meeting", "unit_cost": "partnership MEETING", "units": "3"},
    ]
    response = api_client(reporter_a).post("/api/expenditures/import/", {"report": draft.pk, "file": _csv(rows)},
                                           format="multipart")
    assert response.status_code == 201, response.json()
    # 48,500.00 × 50 % × 6 = 145,500.00 DKK; 3 × 84.21 = 252.63 EUR
    assert sorted(Expenditure.objects.filter(report=draft).values_list("cost_category", "amount", "currency")) == [
        ("staff", D("145500.00"), "DKK"), ("travel", D("252.63"), "EUR")]


def test_import_names_unknown_methods_and_unit_costs_by_row(draft, reporter_a, api_client, unit_cost):
    rows = [{"cost_category": "staff", "description": "A", "currency": "EUR", "staff_method": "daily"},
            {"description": "B", "unit_cost": "Per diem", "units": "1"}]
    response = api_client(reporter_a).post("/api/expenditures/import/", {"report": draft.pk, "file": _csv(rows)},
                                           format="multipart")
    assert response.json()["fields"] == {
        "row 2.staff_method": ["Unknown staff-cost method 'daily' (use one of hourly, fixed_percentage, full_time)."],
        "row 3.unit_cost": ["Unknown unit cost 'Per diem' (this project has 'Partnership meeting')."],
    }


def test_a_file_of_the_older_template_still_imports(draft, reporter_a, api_client):
    old_columns = COLUMNS[:13]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(old_columns)
    writer.writerow(["travel", "", "Bus", "", "", "", "", "12.50", "EUR", "", "", "", ""])
    upload = SimpleUploadedFile("old.csv", out.getvalue().encode())
    response = api_client(reporter_a).post("/api/expenditures/import/", {"report": draft.pk, "file": upload},
                                           format="multipart")
    assert response.status_code == 201, response.json()


@pytest.mark.usefixtures("media")
def test_the_list_reads_each_kind_of_line_as_its_detail_does(draft, expense, reporter_a, api_client, unit_cost):
    """The list serialises plain rows (reporting.api.ExpenditureRow), the detail a model instance: the same."""
    client = api_client(reporter_a)
    assert post_line(client, draft, unit_cost=unit_cost.pk, units="12.5").status_code == 201
    assert post_line(client, draft, cost_category="staff", employee="Researcher A", staff_method="hourly",
                     annual_gross_cost="86000.00", hours="10.00").status_code == 201
    assert post_line(client, draft, cost_category="external", amount="100.00", invoice_date="2024-11-02",
                     payment_date="2024-12-01").status_code == 201  # paid before the period: earlier_period
    upload = SimpleUploadedFile("Faktura 17.pdf", b"%PDF-1.4\n%%EOF\n")
    assert client.post(f"/api/expenditures/{expense.pk}/attachment/", {"file": upload},
                       format="multipart").status_code == 201
    rows = client.get("/api/expenditures/").json()["results"]
    assert len(rows) == 4
    assert {row["earlier_period"] for row in rows} == {True, False}
    assert any(row["unit_cost"] and "84.21" in row["computation"] for row in rows)
    assert any(row["attachment_url"] for row in rows)
    for row in rows:
        assert row == client.get(f"/api/expenditures/{row['id']}/").json()
