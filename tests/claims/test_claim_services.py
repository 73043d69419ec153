"""Claims and payments in the services and selectors: a hand-computed case, and a report in exactly one claim.

The exports, the API and the web are tested in their own modules against the same figures.
"""

from datetime import date
from decimal import Decimal as D

import pytest

from claims import services
from claims.models import Claim
from claims.selectors import claim_figures, project_payments
from consortium.errors import DomainError, StateConflict
from tests import factories as f

AFTER_PERIOD_2 = date(2027, 1, 2)


certified_report = f.make_certified_report


def test_claim_accepted_paid_and_passed_on_agrees_to_the_cent(world, ous, reporter_a, mu, controller_a, rates,
                                                              mailoutbox, django_capture_on_commit_callbacks):
    partner_no, reporter_no = ous
    certified_report(world.partner_a, world.period1, reporter_a, mu, controller_a, D("1000.00"), "EUR", world.wp1)
    certified_report(partner_no, world.period1, reporter_no, mu, controller_a, D("10000.00"), "NOK", world.wp2)

    claim = services.claim_create(project=world.project, period=world.period1, user=mu)
    figures = {part.partner.pk: part for part in claim_figures(claim).partners}
    # KU: external 1,000.00 EUR, no staff so no office flat rate; ERDF 60 % = 600.00.
    assert (figures[world.partner_a.pk].claimed, figures[world.partner_a.pk].claimed_cofinancing) == (
        D("1000.00"), D("600.00"))
    # OUS: 10,000.00 NOK, in NOK; Norwegian funds 50 % = 5,000.00 NOK.
    assert (figures[partner_no.pk].currency, figures[partner_no.pk].claimed,
            figures[partner_no.pk].claimed_cofinancing) == ("NOK", D("10000.00"), D("5000.00"))

    with django_capture_on_commit_callbacks(execute=True):
        services.claim_submit(claim=claim, user=mu)
    assert "was submitted to the programme" in mailoutbox[-1].subject
    services.claim_verify(claim=claim, user=mu)
    with pytest.raises(DomainError) as error:
        services.claim_finalise(claim=claim, user=mu, accepted=[{"partner": world.partner_a, "eligible": D("900")}])
    assert [p.field for p in error.value.problems] == ["reason"]
    services.claim_finalise(claim=claim, user=mu, notify=False, accepted=[
        {"partner": world.partner_a, "eligible": D("900.00"), "reason": "A study invoice was not accepted."}])
    figures = {part.partner.pk: part for part in claim_figures(claim).partners}
    # 60 % of 900.00 = 540.00; OUS accepted as claimed.
    assert figures[world.partner_a.pk].accepted_cofinancing == D("540.00")
    assert figures[partner_no.pk].accepted_cofinancing == D("5000.00")

    services.payment_record(claim=claim, user=mu, fund="erdf", date=date(2026, 6, 1), amount=D("540.00"))
    services.payment_record(claim=claim, user=mu, fund="norwegian_national", date=date(2026, 6, 2),
                            amount=D("4000.00"), currency="NOK", partner=partner_no)
    with django_capture_on_commit_callbacks(execute=True):
        services.transfer_record(claim=claim, user=mu, partner=world.partner_a, date=date(2026, 6, 10),
                                 amount=D("500.00"))
    assert "500.00 EUR passed on" in mailoutbox[-1].subject
    assert mailoutbox[-1].to == [reporter_a.email]

    payments = project_payments(world.project)
    rows = {p.partner.pk: p for p in payments.partners}
    ku, no = rows[world.partner_a.pk], rows[partner_no.pk]
    assert (ku.claimed, ku.accepted, ku.received, ku.outstanding) == (D("600.00"), D("540.00"), D("500.00"),
                                                                      D("40.00"))
    assert (no.currency, no.claimed, no.accepted, no.received, no.outstanding) == (
        "NOK", D("5000.00"), D("5000.00"), D("4000.00"), D("1000.00"))
    per_fund = {(c.fund, c.currency): c for c in payments.claims}
    assert (per_fund[("erdf", "EUR")].accepted, per_fund[("erdf", "EUR")].received,
            per_fund[("erdf", "EUR")].outstanding) == (D("540.00"), D("540.00"), D("0.00"))
    assert per_fund[("norwegian_national", "NOK")].outstanding == D("1000.00")


def test_a_report_certified_late_is_claimed_once(world, reporter_a, reporter_b, mu, controller_a, rates):
    certified_report(world.partner_a, world.period1, reporter_a, mu, controller_a, D("100.00"), "EUR", world.wp1)
    first = services.claim_create(project=world.project, period=world.period1, user=mu)
    services.claim_submit(claim=first, user=mu, notify=False)
    # Partner B's report of period 1 is certified after claim 1 went out: claim 2 (period 2) takes it.
    late = certified_report(world.partner_b, world.period1, reporter_b, mu, controller_a, D("50.00"), "EUR",
                            world.wp2)
    second = services.claim_create(project=world.project, period=world.period2, user=mu)
    assert [e.report for e in first.entries.all()] != [late]
    assert [e.report for e in second.entries.all()] == [late]
    assert Claim.objects.filter(entries__report=late).count() == 1
    assert services.claim_gather(claim=second, user=mu) == 0  # nothing left to gather: each report once


def test_a_sent_claim_is_read_only_until_returned(world, reporter_a, mu, controller_a, rates):
    certified_report(world.partner_a, world.period1, reporter_a, mu, controller_a, D("100.00"), "EUR", world.wp1)
    claim = services.claim_create(project=world.project, period=world.period1, user=mu)
    services.claim_submit(claim=claim, user=mu, notify=False)
    for act in (lambda: services.claim_gather(claim=claim, user=mu),
                lambda: services.claim_delete(claim=claim, user=mu),
                lambda: services.payment_record(claim=claim, user=mu, fund="erdf", date=date(2026, 1, 1),
                                                amount=D("1.00"))):
        with pytest.raises(StateConflict):
            act()
    services.claim_return(claim=claim, user=mu, comment="Add the signed cover page.", notify=False)
    assert (claim.status, claim.return_comment) == (Claim.Status.DRAFT, "Add the signed cover page.")


def test_no_more_is_paid_or_passed_on_than_the_programme_accepted(world, reporter_a, mu, controller_a, rates):
    certified_report(world.partner_a, world.period1, reporter_a, mu, controller_a, D("100.00"), "EUR", world.wp1)
    claim = services.claim_create(project=world.project, period=world.period1, user=mu)
    services.claim_submit(claim=claim, user=mu, notify=False)
    services.claim_finalise(claim=claim, user=mu, accepted=[], notify=False)  # 60 % of 100.00 = 60.00
    services.payment_record(claim=claim, user=mu, fund="erdf", date=date(2026, 6, 1), amount=D("50.00"))
    with pytest.raises(DomainError) as error:
        services.payment_record(claim=claim, user=mu, fund="erdf", date=date(2026, 6, 2), amount=D("10.01"))
    assert error.value.problems[0].field == "amount" and "at most 10.00 EUR" in error.value.message
    services.payment_record(claim=claim, user=mu, fund="erdf", date=date(2026, 6, 2), amount=D("10.00"))
    services.transfer_record(claim=claim, user=mu, partner=world.partner_a, date=date(2026, 6, 3), amount=D("60.00"),
                             notify=False)
    with pytest.raises(DomainError):
        services.transfer_record(claim=claim, user=mu, partner=world.partner_a, date=date(2026, 6, 4),
                                 amount=D("0.01"), notify=False)
