"""The certificate totals stored at certification (reporting.models.CertificateFigures) are summarise_report's."""

from decimal import Decimal

from demo.synthetic import seed_synthetic
from reporting.models import CertificateFigures, ProgressReport
from reporting.money import CertificateTotals, summarise_report
from reporting.selectors import certificate_totals


def _certified(project):
    return list(ProgressReport.objects.filter(partner__project=project, status="certified")
                .select_related("partner", "period"))


def test_stored_totals_equal_the_certificates_computed_afresh(db):
    project = seed_synthetic(scale=1)
    reports = _certified(project)
    assert CertificateFigures.objects.filter(report__in=reports).count() == len(reports)
    stored = certificate_totals(reports)
    for report in reports:
        assert stored[report.pk] == CertificateTotals.of(summarise_report(report)), report.pk
    # Deductions and parked lines are in them: verified below declared somewhere.
    assert any(totals.deducted for totals in stored.values())


def test_totals_computed_on_other_partner_terms_are_computed_again(db, django_assert_num_queries):
    project = seed_synthetic(scale=1)
    reports = _certified(project)
    partner = reports[0].partner
    partner.cofinancing_rate = Decimal("35.00")
    partner.save()
    reports = _certified(project)
    totals = certificate_totals(reports)
    report = reports[0]
    assert totals[report.pk] == CertificateTotals.of(summarise_report(report))
    assert CertificateFigures.objects.get(report=report).cofinancing == totals[report.pk].cofinancing
    # Stored again: the next reader reads the rows only.
    with django_assert_num_queries(1):
        certificate_totals(reports)


def test_certifying_a_report_stores_its_totals(in_control, controller_a):
    from reporting import services
    from reporting.models import LineControl

    services.lines_verify_as_declared(report=in_control, user=controller_a, control_ids=list(
        LineControl.objects.filter(expenditure__report=in_control).values_list("pk", flat=True)))
    services.report_certify(report=in_control, user=controller_a, notify=False)
    row = CertificateFigures.objects.get(report=in_control)
    assert row.verified == summarise_report(in_control).control.verified_total
