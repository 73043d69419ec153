"""The procurement register: a line names a contract of its own partner; a contract above the programme's threshold
without a procedure is flagged on the review page; one above the public-procurement threshold rules out the staff
flat rate at submission (CPR Art. 55(1), DOMAIN.md §1)."""

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from partners import services as partner_services
from partners.models import Contract
from reporting import services

D = Decimal


def _report_with_external_line(world, reporter, *, contract=None):
    report = services.report_create(partner=world.partner_a, period=world.period1, user=reporter)
    report = services.report_update(report=report, expected_version=report.version, user=reporter, data={
        "work_package_progress": [{"work_package": world.wp1, "narrative": "Done."}]})
    services.expenditure_add(report=report, user=reporter, data={
        "cost_category": "external", "description": "Platform", "invoice_total": D("10000.00"), "currency": "EUR",
        "contract": contract})
    return report


def test_submission_refuses_the_staff_flat_rate_with_a_contract_above_the_public_threshold(world, reporter_a,
                                                                                          api_client):
    partner = world.partner_a
    partner_services.partner_update(partner=partner, expected_version=partner.version, data={
        "staff_option": "flat_direct", "staff_flat_rate": D("20.00"), "office_option": "real"})
    big = Contract.objects.create(partner=partner, supplier="Registry Systems ApS", subject="Registry platform",
                                  value=D("250000.00"), procedure="open")
    report = _report_with_external_line(world, reporter_a, contract=big)
    response = api_client(reporter_a).post(f"/api/progress-reports/{report.pk}/submit/")
    assert response.status_code == 400
    assert "public-procurement threshold" in response.json()["fields"]["staff_option"][0]
    big.value = D("221000.00")  # at the threshold, not above it
    big.save()
    assert api_client(reporter_a).post(f"/api/progress-reports/{report.pk}/submit/").status_code == 200


def test_a_line_names_only_its_own_partners_contract(world, reporter_a, api_client):
    report = _report_with_external_line(world, reporter_a)
    theirs = Contract.objects.create(partner=world.partner_b, supplier="X", subject="Y", value=D("100.00"))
    response = api_client(reporter_a).post("/api/expenditures/", {
        "report": report.pk, "cost_category": "external", "description": "Z", "amount": "10.00",
        "currency": "EUR", "contract": theirs.pk}, format="json")
    assert response.status_code == 400 and "contract" in response.json()["fields"]


def test_review_page_flags_a_contract_above_the_threshold_without_procedure(world, reporter_a, mu):
    Contract.objects.create(partner=world.partner_a, supplier="Registry Systems ApS", subject="Registry platform",
                            value=D("48000.00"))
    Contract.objects.create(partner=world.partner_a, supplier="Öresund Consult", subject="Facilitation",
                            value=D("48000.00"), procedure="open")
    Contract.objects.create(partner=world.partner_a, supplier="Small", subject="Taxi", value=D("900.00"))
    report = _report_with_external_line(world, reporter_a)
    services.report_submit(report=report, user=reporter_a, notify=False)
    client = Client()
    client.force_login(mu)
    page = client.get(reverse("web:review", args=[world.project.pk, report.pk]))
    assert [c.subject for c in page.context["contracts_flagged"]] == ["Registry platform"]
    assert "Registry platform" in page.content.decode()
