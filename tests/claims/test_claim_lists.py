"""The claims and payments lists cost a constant number of queries (5 rows or 40), and `manage.py claim_export`
writes what the download serves."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from claims import services
from claims.models import Claim, ClaimReport, PartnerTransfer, ProgrammePayment
from consortium.models import ReportingPeriod
from reporting.models import ProgressReport
from tests import factories as f

# members + count + page (period joined) = 3, for the MU and for a reporter (whose scope joins the reports).
BUDGETS = {"/api/claims/": 3, "/api/programme-payments/": 3, "/api/partner-transfers/": 3}


def _rows(world, start: int, stop: int) -> None:
    """Claims `start`..`stop`-1 of project A, each with a report of partner A, a payment and a transfer (rows
    written directly: the lists' cost is the subject, not the workflow)."""
    for number in range(start, stop):
        day = date(2030, 1, 1).replace(year=2030 + number)
        period = ReportingPeriod.objects.create(project=world.project, number=100 + number, start_date=day,
                                                end_date=day, report_due_date=day)
        claim = Claim.objects.create(project=world.project, period=period, number=number, status="finalised")
        report = ProgressReport.objects.create(partner=world.partner_a, period=period, status="certified")
        ClaimReport.objects.create(claim=claim, report=report)
        ProgrammePayment.objects.create(claim=claim, fund="erdf", date=day, amount=Decimal("1.00"))
        PartnerTransfer.objects.create(claim=claim, partner=world.partner_a, date=day, amount=Decimal("1.00"))


@pytest.mark.parametrize("path", list(BUDGETS))
@pytest.mark.parametrize("persona", ["mu", "reporter_a"])
def test_list_query_count_does_not_grow_with_rows(path, persona, world, mu, reporter_a, api_client,
                                                  django_assert_num_queries):
    user = {"mu": mu, "reporter_a": reporter_a}[persona]
    counts = []
    for start, stop in ((1, 6), (6, 41)):
        _rows(world, start, stop)
        client = api_client(get_user_model().objects.get(pk=user.pk))
        # An empty page is not read: the count answers it (a reporter's ERDF payments: none are its partner's).
        empty = (persona, path) == ("reporter_a", "/api/programme-payments/")
        with django_assert_num_queries(BUDGETS[path] - empty):
            response = client.get(path, {"page_size": 500})
        assert response.status_code == 200
        counts.append(response.json()["count"])
    # Reporter A reads every claim (each holds its report) and every transfer (to its partner), no ERDF payment.
    expected = [0, 0] if empty else [5, 40]
    assert counts == expected


@pytest.mark.parametrize("persona", ["mu", "reporter_a"])
def test_the_payments_overview_costs_the_same_queries_for_two_claims_or_five(persona, world, mu, reporter_a,
                                                                             api_client):
    """GET /api/projects/{id}/payments/ reads every claim's figures at once (claims.selectors.claims_figures)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = {"mu": mu, "reporter_a": reporter_a}[persona]
    counts, totals = [], []
    for start, stop in ((1, 3), (3, 6)):
        _rows(world, start, stop)
        client = api_client(get_user_model().objects.get(pk=user.pk))
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/api/projects/{world.project.pk}/payments/")
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
        totals.append(response.json()["partners"][0]["received"])
    assert counts[0] == counts[1]
    assert totals == ["2.00", "5.00"]  # a transfer of 1.00 to partner A in each claim


def test_claim_export_writes_the_claim(world, reporter_a, mu, controller_a, rates, tmp_path):
    f.make_certified_report(world.partner_a, world.period1, reporter_a, mu, controller_a, Decimal("1000.00"), "EUR",
                            world.wp1)
    services.claim_create(project=world.project, period=world.period1, user=mu)
    pdf, xlsx = tmp_path / "claim.pdf", tmp_path / "claim.xlsx"
    call_command("claim_export", "alpha", "--claim", "1", "--format", "pdf", "--output", str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")
    call_command("claim_export", "ALPHA", "--claim", "1", "--format", "xlsx", "--output", str(xlsx), "--language",
                 "da")
    workbook = load_workbook(xlsx)
    assert workbook["Cover"]["A2"].value == "Programme" or workbook["Cover"]["A2"].value == "Program"
    categories = [row for row in workbook["Categories"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert categories[0][:2] == ("PP1 KU", "EUR") and 1000.0 in categories[0]
    with pytest.raises(CommandError, match="no claim 2"):
        call_command("claim_export", "ALPHA", "--claim", "2", "--output", str(pdf))
    with pytest.raises(CommandError, match="No project"):
        call_command("claim_export", "NOPE", "--claim", "1", "--output", str(pdf))
