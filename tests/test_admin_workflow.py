"""The admin obeys the workflow: what the API refuses, the admin refuses too."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consortium.models import Membership, Role
from reporting import services
from reporting.models import Expenditure, ProgressReport
from tests import factories as f
from tests.reporting.helpers import line


@pytest.fixture
def mu_staff(mu):
    mu.is_staff = True
    mu.save(update_fields=["is_staff"])
    return mu


@pytest.fixture
def approved(world, reporter_a, mu, rates):
    report = services.report_create(partner=world.partner_a, period=world.period1, user=reporter_a)
    report = services.report_update(report=report, expected_version=report.version, user=reporter_a, data={
        "work_package_progress": [{"work_package": world.wp1, "narrative": "Done.", "objective_status": "fully"}]})
    expense = line(report, reporter_a, amount=Decimal("120.00"), currency="DKK")
    services.report_submit(report=report, user=reporter_a, notify=False)
    services.report_approve(report=report, user=mu, notify=False)
    return report, Expenditure.objects.get(pk=expense.pk)


def _change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def _delete_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_delete", args=[obj.pk])


def test_an_approved_report_and_its_lines_cannot_be_changed_or_deleted_in_the_admin(client, mu_staff, approved):
    report, expense = approved
    client.force_login(mu_staff)
    # The change page shows them read-only; a forged POST changes nothing.
    page = client.get(_change_url(expense))
    assert page.status_code == 200 and 'name="amount"' not in page.content.decode()
    client.post(_change_url(expense), {"amount": "1.00", "description": "Changed", "cost_category": "travel",
                                      "currency": "DKK"})
    client.post(_change_url(report), {"summary": "Changed afterwards"})
    assert client.post(_delete_url(expense), {"post": "yes"}).status_code == 403
    assert client.post(_delete_url(report), {"post": "yes"}).status_code == 403
    expense.refresh_from_db()
    report.refresh_from_db()
    assert (expense.amount, expense.amount_eur, expense.description) == (Decimal("120.00"), Decimal("16.09"),
                                                                         "Train ticket")
    assert report.summary == "" and report.status == ProgressReport.Status.APPROVED


def test_bulk_delete_of_lines_in_an_approved_report_deletes_nothing(client, mu_staff, approved):
    report, expense = approved
    client.force_login(mu_staff)
    changelist = reverse("admin:reporting_expenditure_changelist")
    client.post(changelist, {"action": "delete_selected", "_selected_action": [expense.pk], "post": "yes"})
    assert Expenditure.objects.filter(pk=expense.pk).exists()


def test_an_admin_edit_of_a_draft_line_goes_through_the_service(client, mu_staff, world, reporter_a, rates):
    report = services.report_create(partner=world.partner_a, period=world.period1, user=reporter_a)
    expense = line(report, reporter_a, cost_category="staff", hours=Decimal("10"), annual_gross_cost=Decimal("1720"),
                   amount=None)
    client.force_login(mu_staff)
    response = client.post(_change_url(expense), {
        "cost_category": "staff", "description": "Researcher", "hours": "20.00", "annual_gross_cost": "1720.00",
        "amount": "1.00", "currency": "EUR", "invoice_date": "2025-02-01"})
    assert response.status_code == 302
    expense.refresh_from_db()
    # The service computes a staff line's amount (20 h × 1.00/h); the typed 1.00 does not stand.
    assert (expense.hours, expense.hourly_rate, expense.amount) == (Decimal("20.00"), Decimal("1.00"),
                                                                    Decimal("20.00"))


def test_an_html_file_is_refused_as_an_invoice_in_the_admin(client, mu_staff, world, reporter_a):
    report = services.report_create(partner=world.partner_a, period=world.period1, user=reporter_a)
    expense = line(report, reporter_a)
    client.force_login(mu_staff)
    evil = SimpleUploadedFile("invoice.html", b"<script>alert(1)</script>", content_type="text/html")
    response = client.post(_change_url(expense), {
        "cost_category": "travel", "description": "Train ticket", "amount": "100.00", "currency": "EUR",
        "invoice_date": "2025-01-01", "attachment": evil})
    assert response.status_code == 200
    assert "are not accepted" in response.content.decode()
    expense.refresh_from_db()
    assert not expense.attachment


def test_a_pdf_invoice_uploaded_in_the_admin_is_stored_by_the_service(client, mu_staff, world, reporter_a):
    report = services.report_create(partner=world.partner_a, period=world.period1, user=reporter_a)
    expense = line(report, reporter_a)
    client.force_login(mu_staff)
    pdf = SimpleUploadedFile("invoice.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    client.post(_change_url(expense), {"cost_category": "travel", "description": "Train ticket", "amount": "100.00",
                                      "currency": "EUR", "invoice_date": "2025-01-01", "attachment": pdf})
    expense.refresh_from_db()
    assert expense.attachment_name == "invoice.pdf"
    assert expense.attachment.name.startswith("invoices/") and "invoice" not in expense.attachment.name[9:]


def test_the_last_mu_cannot_be_removed_in_the_admin(client, mu_staff, world):
    membership = Membership.objects.get(user=mu_staff, project=world.project)
    client.force_login(mu_staff)
    assert client.post(_delete_url(membership), {"post": "yes"}).status_code == 403
    changelist = reverse("admin:consortium_membership_changelist")
    client.post(changelist, {"action": "delete_selected", "_selected_action": [membership.pk], "post": "yes"})
    response = client.post(_change_url(membership), {"user": mu_staff.pk, "project": world.project.pk,
                                                     "role": "viewer"})
    assert response.status_code == 200 and "at least one management-unit member" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.MANAGEMENT_UNIT


def test_an_mu_that_is_not_the_last_one_can_be_removed_in_the_admin(client, mu_staff, world):
    second = f.make_user("second-mu")
    other = Membership.objects.create(user=second, project=world.project, role=Role.MANAGEMENT_UNIT)
    client.force_login(mu_staff)
    assert client.post(_delete_url(other), {"post": "yes"}).status_code == 302
    assert not Membership.objects.filter(pk=other.pk).exists()


def test_a_draft_never_submitted_can_be_deleted_in_the_admin_but_a_returned_one_cannot(
        client, mu_staff, world, reporter_a, mu, rates):
    draft = services.report_create(partner=world.partner_a, period=world.period1, user=reporter_a)
    client.force_login(mu_staff)
    assert client.post(_delete_url(draft), {"post": "yes"}).status_code == 302
    assert not ProgressReport.objects.filter(pk=draft.pk).exists()

    report = services.report_create(partner=world.partner_b, period=world.period1, user=mu)
    report = services.report_update(report=report, expected_version=report.version, user=mu, data={
        "work_package_progress": [{"work_package": world.wp2, "narrative": "Done.", "objective_status": "fully"}]})
    services.report_submit(report=report, user=mu, notify=False)
    services.report_return(report=report, user=mu, comment="Add the invoice.", notify=False)
    assert client.post(_delete_url(report), {"post": "yes"}).status_code == 403
    assert ProgressReport.objects.filter(pk=report.pk).exists()


def test_the_admin_offers_staff_a_link_from_the_app(client, mu_staff, world):
    client.force_login(mu_staff)
    assert reverse("admin:index") in client.get(reverse("web:dashboard")).content.decode()
    client.force_login(get_user_model().objects.get(pk=f.make_user("plain").pk))
    assert reverse("admin:index") not in client.get(reverse("web:dashboard")).content.decode()


def test_a_certified_report_its_lines_and_their_controls_are_read_only_in_the_admin(
        client, mu_staff, in_control, expense, controller_a, superuser):
    from reporting.models import LineControl

    control = LineControl.objects.get(expenditure=expense)
    services.lines_verify_as_declared(report=in_control, control_ids=[control.pk], user=controller_a)
    services.report_certify(report=in_control, user=controller_a, notify=False)
    for user in (mu_staff, superuser):  # nothing changes a certified report, the site administrator included
        client.force_login(user)
        for obj in (in_control, expense, control):
            page = client.get(_change_url(obj))
            assert page.status_code == 200 and 'name="_save"' not in page.content.decode(), obj
        assert 'name="amount"' not in client.get(_change_url(expense)).content.decode()
        client.post(_change_url(expense), {"amount": "1.00", "description": "Changed", "cost_category": "travel",
                                          "currency": "DKK"})
        client.post(_change_url(in_control), {"summary": "Changed afterwards"})
        client.post(_change_url(control), {"verified_amount": "1.00"})
        for obj in (in_control, expense, control):
            assert client.post(_delete_url(obj), {"post": "yes"}).status_code == 403
        changelist = reverse("admin:reporting_linecontrol_changelist")
        assert "control of Travel &amp; accommodation: Train to Lund" in client.get(changelist).content.decode()
    expense.refresh_from_db()
    in_control.refresh_from_db()
    control.refresh_from_db()
    assert (expense.amount, in_control.summary, in_control.status) == (Decimal("745.00"), "Kick-off held.",
                                                                       ProgressReport.Status.CERTIFIED)
    assert control.verified_amount == Decimal("745.00")
    history = client.get(reverse("admin:reporting_linecontrol_history", args=[control.pk]))
    assert history.status_code == 200


def test_a_report_in_control_is_read_only_in_the_admin(client, mu_staff, in_control, expense):
    client.force_login(mu_staff)
    client.post(_change_url(in_control), {"summary": "Changed in control"})
    assert client.post(_delete_url(expense), {"post": "yes"}).status_code == 403
    in_control.refresh_from_db()
    assert in_control.summary == "Kick-off held." and Expenditure.objects.filter(pk=expense.pk).exists()


def test_a_controller_membership_names_its_partners_in_the_admin(client, mu_staff, world):
    user = f.make_user("flc")
    client.force_login(mu_staff)
    add = reverse("admin:consortium_membership_add")
    response = client.post(add, {"user": user.pk, "project": world.project.pk, "role": "controller"})
    assert response.status_code == 200 and "controlled_partners" in response.context["adminform"].form.errors
    response = client.post(add, {"user": user.pk, "project": world.project.pk, "role": "controller",
                                 "controlled_partners": [world.partner_b.pk]})
    assert response.status_code == 302
    assert list(Membership.objects.get(user=user).controlled_partners.all()) == [world.partner_b]

@pytest.fixture
def sent_claim(world, reporter_a, mu, controller_a, rates):
    from claims import services as claims

    f.make_certified_report(world.partner_a, world.period1, reporter_a, mu, controller_a, Decimal("100.00"), "EUR",
                            world.wp1)
    claim = claims.claim_create(project=world.project, period=world.period1, user=mu)
    claims.claim_submit(claim=claim, user=mu, notify=False)
    return claim


def test_a_submitted_claim_is_read_only_in_the_admin_and_a_payment_is_deleted_through_the_service(
        client, mu_staff, sent_claim, world):
    from claims import services as claims
    from claims.models import Claim, ProgrammePayment

    client.force_login(mu_staff)
    page = client.get(_change_url(sent_claim))
    assert page.status_code == 200 and 'name="return_comment"' not in page.content.decode()
    assert client.post(_delete_url(sent_claim), {"post": "yes"}).status_code == 403
    assert Claim.objects.filter(pk=sent_claim.pk, status="submitted").exists()
    add = reverse("admin:claims_programmepayment_add")
    assert client.get(add).status_code == 403  # payments are recorded in the app and the API (fund, currency)

    claims.claim_finalise(claim=sent_claim, user=mu_staff, accepted=[], notify=False)
    payment = claims.payment_record(claim=sent_claim, user=mu_staff, fund="erdf", date=sent_claim.period.end_date,
                                    amount=Decimal("60.00"))
    assert client.post(_delete_url(payment), {"post": "yes"}).status_code == 302
    assert not ProgrammePayment.objects.filter(pk=payment.pk).exists()
    assert ProgrammePayment.history.filter(id=payment.pk, history_type="-").get().history_user == mu_staff


def test_a_draft_claim_deleted_in_the_admin_gives_its_reports_back(client, mu_staff, world, reporter_a, mu,
                                                                   controller_a, rates):
    from claims import services as claims
    from claims.models import Claim

    report = f.make_certified_report(world.partner_a, world.period1, reporter_a, mu, controller_a,
                                     Decimal("100.00"), "EUR", world.wp1)
    claim = claims.claim_create(project=world.project, period=world.period1, user=mu)
    client.force_login(mu_staff)
    assert client.post(_delete_url(claim), {"post": "yes"}).status_code == 302
    assert not Claim.objects.exists()
    assert claims.unclaimed_reports(world.project, world.period1) == [report]
