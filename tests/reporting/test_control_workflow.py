"""First-level control in the services: the statuses, who reads what, line verification, parking, certifying.

The API, the web and the certificate are tested in their own modules; these are the rules they all share.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from consortium import permissions as perms
from consortium.errors import DomainError, StateConflict
from consortium.models import Profile
from reporting import access, services
from reporting.models import LineControl, ProgressReport
from reporting.money import summarise_report
from reporting.selectors import open_period_for, pending_parked_controls

Status = ProgressReport.Status


def control_of(line) -> LineControl:
    return LineControl.objects.get(expenditure=line)


def add_line(report, user, amount, category="external", **extra):
    return services.expenditure_add(report=report, user=user, data={
        "cost_category": category, "description": f"{category} {amount}", "supplier": "ACME", "invoice_number": "1",
        "invoice_date": date(2025, 3, 2), "payment_date": date(2025, 3, 9), "amount": Decimal(amount),
        "currency": "EUR", **extra})


def test_control_starts_on_an_approved_report_and_gives_every_line_a_row(submitted, mu, controller_a):
    with pytest.raises(StateConflict, match="approves this report's content"):
        services.control_start(report=submitted, user=controller_a, notify=False)
    services.report_approve(report=submitted, user=mu, notify=False)
    services.control_start(report=submitted, user=controller_a, notify=False)
    assert submitted.status == Status.IN_CONTROL
    assert [c.expenditure_id for c in LineControl.objects.all()] == [line.pk for line in submitted.expenditures.all()]


def test_a_project_may_send_submitted_reports_straight_to_control(submitted, controller_a, world):
    world.project.review_before_control = False
    world.project.save()
    submitted.refresh_from_db()
    services.control_start(report=submitted, user=controller_a, notify=False)
    assert submitted.status == Status.IN_CONTROL


def test_a_report_in_control_or_certified_is_read_only(in_control, reporter_a, expense):
    with pytest.raises(StateConflict, match="in first-level control"):
        services.expenditure_delete(expenditure=expense, user=reporter_a)


def test_verification_is_bounded_by_the_declared_amount_and_a_cut_needs_a_type(in_control, controller_a, expense):
    control = control_of(expense)
    with pytest.raises(DomainError) as error:
        services.line_control_update(control=control, expected_version=control.version, user=controller_a,
                                     data={"verified_amount": Decimal("745.01")})
    assert error.value.problems[0].field == "verified_amount"
    with pytest.raises(DomainError) as error:
        services.line_control_update(control=control, expected_version=control.version, user=controller_a,
                                     data={"verified_amount": Decimal("500.00")})
    assert [p.field for p in error.value.problems] == ["deduction_type"]
    control = services.line_control_update(control=control, expected_version=control.version, user=controller_a,
                                           data={"verified_amount": Decimal("500.00"), "deduction_type": "evidence"})
    assert control.deducted_amount == Decimal("245.00")


def test_certify_lists_every_open_line_then_freezes_for_ever(in_control, controller_a, reporter_a, expense):
    with pytest.raises(StateConflict) as error:
        services.report_certify(report=in_control, user=controller_a, notify=False)
    assert [p.object_id for p in error.value.problems] == [expense.pk]
    services.lines_verify_as_declared(report=in_control, control_ids=[control_of(expense).pk], user=controller_a)
    services.report_certify(report=in_control, user=controller_a, notify=False)
    assert in_control.status == Status.CERTIFIED
    assert control_of(expense).certified_in_id == in_control.pk
    for act in (lambda: services.report_control_return(report=in_control, user=controller_a, comment="x"),
                lambda: services.expenditure_delete(expenditure=expense, user=reporter_a)):
        with pytest.raises(StateConflict):
            act()


def test_control_return_keeps_rates_and_results_and_the_cycle_comes_back(in_control, controller_a, reporter_a, mu,
                                                                         expense):
    control = control_of(expense)
    services.line_control_update(control=control, expected_version=control.version, user=controller_a,
                                 data={"verified_amount": Decimal("745.00")})
    expense.refresh_from_db()
    rate = expense.exchange_rate
    assert rate == Decimal("7.4600")
    services.report_control_return(report=in_control, user=controller_a, comment="Add the boarding pass.")
    in_control.refresh_from_db()
    assert (in_control.status, in_control.control_comment) == (Status.RETURNED, "Add the boarding pass.")
    services.report_submit(report=in_control, user=reporter_a, notify=False)
    services.report_approve(report=in_control, user=mu, notify=False)
    services.control_start(report=in_control, user=controller_a, notify=False)
    expense.refresh_from_db()
    assert expense.exchange_rate == rate
    assert control_of(expense).verified_amount == Decimal("745.00")  # the earlier result stays


def test_a_line_changed_after_a_control_return_is_verified_again(in_control, controller_a, reporter_a, expense):
    control = control_of(expense)
    services.line_control_update(control=control, expected_version=control.version, user=controller_a,
                                 data={"verified_amount": Decimal("745.00")})
    services.report_control_return(report=in_control, user=controller_a, comment="Wrong amount.")
    expense.refresh_from_db()
    services.expenditure_update(expenditure=expense, expected_version=expense.version, user=reporter_a,
                                data={"amount": Decimal("700.00")})
    assert control_of(expense).verified_amount is None


def test_the_open_period_moves_on_once_the_report_is_in_control_or_certified(in_control, world):
    assert open_period_for(world.partner_a, today=date(2026, 6, 1)) == world.period2


def test_a_controller_reads_only_the_partners_it_controls(in_control, controller_a, controller_b):
    assert access.report_or_404(controller_a, in_control.pk) == in_control
    with pytest.raises(Http404):
        access.report_or_404(controller_b, in_control.pk)
    access.require_control(controller_a, in_control)
    with pytest.raises(PermissionDenied):
        access.require_write(controller_a, in_control)
    assert perms.controlled_partner_ids(controller_b) == [in_control.partner.project.partners.get(number=2).pk]


def test_the_mu_and_reporters_cannot_control(in_control, mu, reporter_a):
    for user in (mu, reporter_a):
        with pytest.raises(PermissionDenied):
            access.require_control(user, in_control)


def test_a_parked_line_goes_to_the_next_certificate_of_the_partner(world, reporter_a, mu, controller_a, rates,
                                                                    in_control, expense):
    expense.refresh_from_db()
    control = control_of(expense)
    services.line_control_update(control=control, expected_version=control.version, user=controller_a,
                                 data={"parked": True, "comment": "Invoice of the hotel still missing."})
    services.report_certify(report=in_control, user=controller_a, notify=False)
    first = summarise_report(in_control)
    assert (first.control.parked_total, first.control.verified_total) == (expense.amount_eur, Decimal("0.00"))

    second = services.report_create(partner=world.partner_a, period=world.period2, user=reporter_a)
    add_line(second, reporter_a, "100.00")
    services.report_update(report=second, expected_version=second.version, user=reporter_a, data={
        "summary": "Year two.", "work_package_progress": [
            {"work_package": world.wp1, "narrative": "Going on.", "objective_status": "partly"}]})
    services.report_submit(report=second, user=reporter_a, notify=False, today=date(2027, 1, 2))
    services.report_approve(report=second, user=mu, notify=False, today=date(2027, 1, 2))
    services.control_start(report=second, user=controller_a, notify=False)
    assert list(pending_parked_controls(second)) == [control]
    control.refresh_from_db()
    services.line_control_update(control=control, expected_version=control.version, user=controller_a,
                                 data={"parked": False, "verified_amount": expense.amount})
    own = LineControl.objects.get(expenditure__report=second)
    services.lines_verify_as_declared(report=second, control_ids=[own.pk], user=controller_a)
    services.report_certify(report=second, user=controller_a, notify=False)

    later = summarise_report(second)
    assert later.control.verified_total == Decimal("100.00") + expense.amount_eur
    assert later.control.brought_in == [expense.pk]
    # The first certificate is unchanged: the line stays parked there.
    assert summarise_report(in_control).control.parked_total == expense.amount_eur


def test_flat_rates_are_recomputed_on_the_verified_bases(world, reporter_a, mu, controller_a, rates):
    partner = world.partner_a
    partner.office_option, partner.office_flat_rate = "flat_staff", Decimal("15")
    partner.save()
    report = services.report_create(partner=partner, period=world.period1, user=reporter_a)
    services.report_update(report=report, expected_version=report.version, user=reporter_a, data={
        "summary": "s", "work_package_progress": [
            {"work_package": world.wp1, "narrative": "n", "objective_status": "partly"}]})
    staff = services.expenditure_add(report=report, user=reporter_a, data={
        "cost_category": "staff", "description": "Research", "employee": "A. Researcher", "hours": Decimal("100"),
        "hourly_rate": Decimal("33.33"), "payment_date": date(2025, 3, 9)})
    services.report_submit(report=report, user=reporter_a, notify=False)
    services.report_approve(report=report, user=mu, notify=False)
    services.control_start(report=report, user=controller_a, notify=False)
    control = control_of(staff)
    services.line_control_update(control=control, expected_version=control.version, user=controller_a,
                                 data={"verified_amount": Decimal("2333.00"), "deduction_type": "calculation"})
    totals = summarise_report(report).control
    # 15 % of 2,333.00 = 349.95 (down from 15 % of 3,333.00 = 499.95).
    assert totals.flat_rates.office.amount == Decimal("349.95")
    assert totals.verified_total == Decimal("2682.95")
    assert totals.deducted_total == Decimal("1000.00") + Decimal("150.00")


def test_every_control_step_mails_the_people_concerned(submitted, mu, reporter_a, controller_a, controller_b,
                                                       mailoutbox, django_capture_on_commit_callbacks):
    def mails() -> list[tuple[str, list[str]]]:
        sent = [(m.subject, sorted(m.to)) for m in mailoutbox]
        mailoutbox.clear()
        return sent

    with django_capture_on_commit_callbacks(execute=True):
        services.report_approve(report=submitted, user=mu)
    ready = [m for m in mails() if "awaits your control" in m[0]]
    assert [to for _, to in ready] == [[controller_a.email]]  # not partner B's controller

    partner_and_mu = sorted([reporter_a.email, mu.email])
    Profile.objects.create(user=reporter_a, language="da")  # each reads their own language
    with django_capture_on_commit_callbacks(execute=True):
        services.control_start(report=submitted, user=controller_a)
    started = dict((to[0], subject) for subject, to in mails())
    assert sorted(started) == partner_and_mu
    assert "has started" in started[mu.email] and "er begyndt" in started[reporter_a.email]

    with django_capture_on_commit_callbacks(execute=True):
        services.report_control_return(report=submitted, user=controller_a, comment="The hotel invoice is missing.")
    returned = mailoutbox[:]
    assert {m.to[0] for m in returned} == set(partner_and_mu)
    assert all("The hotel invoice is missing." in m.body and f"/reports/{submitted.pk}/" in m.body for m in returned)
    assert "sent back" in next(m.subject for m in returned if m.to == [mu.email])
