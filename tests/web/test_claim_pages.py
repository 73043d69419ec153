"""The claims and payments pages: the hand-computed case of tests/claims through the web, as the MU does it, and
what a reporter, a coordinator and a viewer see of it."""

from datetime import date
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims import services
from claims.models import Claim, PartnerTransfer, ProgrammePayment
from partners import services as partner_services
from tests import factories as f
from tests.factories import make_certified_report as certified_report


@pytest.fixture
def ous_reporter(world):
    """OUS reports in NOK (as in tests/claims), and its reporter."""
    partner = world.partner_no
    partner_services.partner_update(partner=partner, expected_version=partner.version, data={
        "reporting_currency": "NOK", "budget_approved_month": date(2025, 1, 1)})
    reporter = f.make_user("reporter-ous")
    f.add_member(reporter, world.project, "reporter", partner=partner)
    return reporter


@pytest.fixture
def certified(world, reporter_a, ous_reporter, mu, controller_a, rates):
    """KU: 1,000.00 EUR certified; OUS: 10,000.00 NOK certified (both period 1)."""
    world.partner_no.refresh_from_db()
    certified_report(world.partner_a, world.period1, reporter_a, mu, controller_a, D("1000.00"), "EUR", world.wp1)
    certified_report(world.partner_no, world.period1, ous_reporter, mu, controller_a, D("10000.00"), "NOK",
                     world.wp2)
    return world


def url(name, project, **kwargs):
    return reverse(f"web:{name}", kwargs={"project_id": project.pk, **kwargs})


def test_the_mu_claims_finalises_and_records_the_money(certified, as_mu, mu, reporter_a, login, mailoutbox):
    world = certified
    response = as_mu.post(url("claims", world.project), {"period": world.period1.pk})
    claim = Claim.objects.get(project=world.project)
    assert response.status_code == 302 and response.url == url("claim", world.project, claim_id=claim.pk)

    page = as_mu.get(url("claim", world.project, claim_id=claim.pk))
    html = page.content.decode()
    assert page.status_code == 200
    assert "1,000.00" in html and "10,000.00" in html and "600.00" in html and "5,000.00" in html
    assert page.context["lines"].paginator.count == 2

    as_mu.post(url("claim-submit", world.project, claim_id=claim.pk), {"version": claim.version})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.SUBMITTED
    # A stale page's button: refused, nothing done twice.
    stale = as_mu.post(url("claim-verify", world.project, claim_id=claim.pk), {"version": claim.version - 1})
    claim.refresh_from_db()
    assert (stale.status_code, claim.status) == (412, Claim.Status.SUBMITTED)
    # Submitted twice (two tabs): the claim page again with the conflict, nothing sent twice.
    again = as_mu.post(url("claim-submit", world.project, claim_id=claim.pk), {"version": claim.version})
    assert again.status_code == 409 and "can no longer be changed" in again.content.decode()
    as_mu.post(url("claim-verify", world.project, claim_id=claim.pk), {"version": claim.version})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.IN_VERIFICATION

    ku, ous = world.partner_a.pk, world.partner_no.pk
    form = {"version": claim.version, f"eligible_{ku}": "900.00", f"reason_{ku}": "", f"eligible_{ous}": "10000.00",
            f"reason_{ous}": ""}
    refused = as_mu.post(url("claim-finalise", world.project, claim_id=claim.pk), form)
    assert refused.status_code == 400
    assert refused.context["finalise_form"].errors[f"reason_{ku}"]
    form[f"reason_{ku}"] = "A study invoice was not accepted."
    as_mu.post(url("claim-finalise", world.project, claim_id=claim.pk), form)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.FINALISED

    response = as_mu.post(url("payment-add", world.project), {
        "payment-claim": claim.pk, "payment-fund": "erdf", "payment-date": "2026-06-01",
        "payment-amount": "540.00", "payment-currency": "EUR", "payment-reference": "ÖKS-1"})
    assert response.status_code == 302
    refused = as_mu.post(url("payment-add", world.project), {
        "payment-claim": claim.pk, "payment-fund": "norwegian_national", "payment-date": "2026-06-02",
        "payment-amount": "4000.00", "payment-currency": "NOK"})
    assert refused.status_code == 400 and refused.context["payment_form"].errors["partner"]
    as_mu.post(url("payment-add", world.project), {
        "payment-claim": claim.pk, "payment-fund": "norwegian_national", "payment-date": "2026-06-02",
        "payment-amount": "4000.00", "payment-currency": "NOK", "payment-partner": ous})
    as_mu.post(url("transfer-add", world.project), {
        "transfer-claim": claim.pk, "transfer-partner": ku, "transfer-date": "2026-06-10",
        "transfer-amount": "500.00"})
    assert ProgrammePayment.objects.count() == 2 and PartnerTransfer.objects.count() == 1

    page = as_mu.get(url("payments", world.project))
    rows = {row.partner.pk: row for row in page.context["page"].partners}
    assert (rows[ku].claimed, rows[ku].accepted, rows[ku].received, rows[ku].outstanding) == (
        D("600.00"), D("540.00"), D("500.00"), D("40.00"))
    assert (rows[ous].currency, rows[ous].outstanding) == ("NOK", D("1000.00"))

    # The dashboard: owed by the programme 1,000 NOK (ERDF paid in full); owed to partners 40 EUR + 1,000 NOK.
    tile = as_mu.get("/").context["money"][world.project.pk]
    assert tile.totals() == {"programme": {"EUR": D("0.00"), "NOK": D("1000.00")},
                             "partners": {"EUR": D("40.00"), "NOK": D("1000.00")}}

    # KU's reporter: its own row, the transfer it received; nothing of OUS.
    as_a = login(reporter_a)
    page = as_a.get(url("payments", world.project))
    assert [row.partner.pk for row in page.context["page"].partners] == [ku]
    assert page.context["page"].claims == [] and page.context["page"].payments == []
    assert "500.00" in page.content.decode() and "OUS" not in page.content.decode()
    claim_page = as_a.get(url("claim", world.project, claim_id=claim.pk))
    assert [part.partner.pk for part in claim_page.context["parts"]] == [ku]
    assert claim_page.context["lines"].paginator.count == 1
    assert claim_page.context["narrative"] is None
    tile = as_a.get("/").context["money"][world.project.pk]
    assert [(row.received, row.outstanding) for row in tile.partners] == [(D("500.00"), D("40.00"))]


def test_a_draft_is_gathered_and_deleted(certified, as_mu, mu, reporter_b, controller_a):
    world = certified
    claim = services.claim_create(project=world.project, period=world.period1, user=mu)
    late = certified_report(world.partner_b, world.period1, reporter_b, mu, controller_a, D("50.00"), "EUR",
                            world.wp2)
    as_mu.post(url("claim-gather", world.project, claim_id=claim.pk), {"version": claim.version})
    assert claim.entries.filter(report=late).exists()
    as_mu.post(url("claim-delete", world.project, claim_id=claim.pk), {"version": claim.version})
    assert not Claim.objects.exists()


def test_a_returned_claim_needs_a_reason(certified, as_mu, mu):
    world = certified
    claim = services.claim_create(project=world.project, period=world.period1, user=mu)
    services.claim_submit(claim=claim, user=mu, notify=False)
    refused = as_mu.post(url("claim-return", world.project, claim_id=claim.pk), {"version": claim.version,
                                                                                 "comment": " "})
    assert refused.status_code == 400 and refused.context["return_form"].errors["comment"]
    as_mu.post(url("claim-return", world.project, claim_id=claim.pk), {"version": claim.version,
                                                                       "comment": "Sign the cover."})
    page = as_mu.get(url("claim", world.project, claim_id=claim.pk))
    assert "Sign the cover." in page.content.decode()


@pytest.mark.parametrize("name", ["claims", "payments"])
def test_viewers_see_nothing_of_money(world, viewer, login, name):
    assert login(viewer).get(url(name, world.project)).status_code == 403


def test_the_list_of_expenditure_is_paginated(certified, as_mu, mu, monkeypatch):
    from web import claim_selectors

    world = certified
    claim = services.claim_create(project=world.project, period=world.period1, user=mu)
    monkeypatch.setattr(claim_selectors, "EXPENDITURE_PAGE_SIZE", 1)
    page = as_mu.get(url("claim", world.project, claim_id=claim.pk) + "?page=2")
    assert page.context["lines"].number == 2 and "Page 2 of 2" in page.content.decode()


def test_the_mails_link_to_the_claim_and_the_payments_page(certified, mu, reporter_a, mailoutbox, login,
                                                           django_capture_on_commit_callbacks):
    """Each link opens, for its recipient, the page it promises."""
    world = certified
    claim = services.claim_create(project=world.project, period=world.period1, user=mu)
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_submit(claim=claim, user=mu)
    assert url("claim", world.project, claim_id=claim.pk) in mailoutbox[-1].body
    assert login(mu).get(url("claim", world.project, claim_id=claim.pk)).status_code == 200
    services.claim_finalise(claim=claim, user=mu, accepted=[], notify=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.transfer_record(claim=claim, user=mu, partner=world.partner_a, date=date(2026, 6, 10),
                                 amount=D("600.00"))
    assert mailoutbox[-1].to == [reporter_a.email]
    assert url("payments", world.project) in mailoutbox[-1].body
    assert login(reporter_a).get(url("payments", world.project)).status_code == 200


def test_the_money_tile_costs_the_same_queries_for_two_reports_or_three(certified, as_mu, mu, reporter_b,
                                                                        controller_b):
    """A claim's figures prefetch its reports' lines and lump sums: the dashboard does not grow with them (it does
    with the number of claims sent, a handful of queries each)."""
    world = certified
    claim = services.claim_create(project=world.project, period=world.period1, user=mu)
    services.claim_submit(claim=claim, user=mu, notify=False)
    with CaptureQueriesContext(connection) as two_reports:
        as_mu.get("/")
    services.claim_return(claim=claim, user=mu, comment="Add LU.", notify=False)
    certified_report(world.partner_b, world.period1, reporter_b, mu, controller_b, D("50.00"), "EUR", world.wp2)
    services.claim_gather(claim=claim, user=mu)
    services.claim_submit(claim=claim, user=mu, notify=False)
    with CaptureQueriesContext(connection) as three_reports:
        response = as_mu.get("/")
    assert world.project.pk in response.context["money"]
    assert len(three_reports.captured_queries) == len(two_reports.captured_queries)


def test_a_reporter_whose_partner_has_nothing_claimed_gets_no_money_tile(certified, mu, reporter_a, reporter_b,
                                                                         login):
    world = certified
    claim = services.claim_create(project=world.project, period=world.period1, user=mu)
    services.claim_submit(claim=claim, user=mu, notify=False)
    assert world.project.pk in login(reporter_a).get("/").context["money"]
    assert world.project.pk not in login(reporter_b).get("/").context["money"]


def _count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("name", ["claims", "payments", "dashboard"])
@pytest.mark.parametrize("persona", ["mu", "reporter_a"])
def test_the_claims_pages_cost_the_same_queries_for_two_claims_or_five(certified, mu, reporter_a, login, name,
                                                                       persona):
    """Every claim's figures, payments and transfers are read at once (claims.selectors.claims_figures): the
    claims list, the payments page and the dashboard's money tile do not grow with the claims (issue 22)."""
    from tests.claims.test_claim_lists import _rows

    world = certified
    claim = services.claim_create(project=world.project, period=world.period1, user=mu)  # KU's and OUS' reports
    services.claim_submit(claim=claim, user=mu, notify=False)
    services.claim_finalise(claim=claim, user=mu, accepted=[], notify=False)
    client = login({"mu": mu, "reporter_a": reporter_a}[persona])
    path = "/" if name == "dashboard" else url(name, world.project)
    counts = []
    for start, stop in ((2, 3), (3, 6)):  # 2 claims, then 5: each with a report of KU, a payment and a transfer
        _rows(world, start, stop)
        counts.append(_count(client, path))
    assert Claim.objects.filter(project=world.project).count() == 5
    assert counts[0] == counts[1]


def test_the_money_recorded_is_paged_keeping_the_other_list_page(certified, as_mu, mu, monkeypatch):
    from tests.claims.test_claim_lists import _rows
    from web import claim_selectors

    world = certified
    _rows(world, 1, 4)  # three claims, each with a payment and a transfer
    monkeypatch.setattr(claim_selectors, "RECORDED_PAGE_SIZE", 2)
    page = as_mu.get(url("payments", world.project) + "?transfers=2")
    html = page.content.decode()
    assert len(page.context["page"].transfers) == 1 and len(page.context["page"].payments) == 2
    assert "?payments=2&amp;transfers=2#recorded" in html and "?transfers=1&amp;payments=1#recorded" in html


def test_the_claims_list_is_paged_the_latest_first(certified, as_mu):
    """A long project's claims come ten to a page, the latest first (web.claim_selectors.CLAIMS_PAGE_SIZE), with
    links to the other pages; each page adds up only its own claims' money."""
    from tests.claims.test_claim_lists import _rows

    world = certified
    _rows(world, 1, 13)  # twelve finalised claims, each with a report of KU, a payment and a transfer
    first = as_mu.get(url("claims", world.project))
    assert [view.claim.number for view in first.context["claims"]] == list(range(12, 2, -1))
    html = first.content.decode()
    assert 'data-page-count="12"' in html and '?page=2#claims' in html
    second = as_mu.get(url("claims", world.project) + "?page=2")
    assert [view.claim.number for view in second.context["claims"]] == [2, 1]
    # Out of range: the last page, as every paged list of the web does.
    assert [view.claim.number for view in as_mu.get(url("claims", world.project) + "?page=9").context["claims"]] \
        == [2, 1]
