"""The certificate totals stored at certification (reporting.models.CertificateFigures) are summarise_report's."""

from decimal import Decimal

from demo.synthetic import seed_synthetic
from reporting.models import CertificateFigures, ProgressReport
from reporting.money import CertificateTotals, partner_terms, summarise_report
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


def _money(figures) -> dict:
    """claim id -> per partner what lists of claims show: the sums and the accepted co-financing."""
    return {claim_id: [(part.partner.pk, part.currency, part.declared, part.claimed, part.deducted,
                        part.claimed_cofinancing, part.accepted, part.accepted_cofinancing)
                       for part in claim.partners] for claim_id, claim in figures.items()}


def _claim_figures(claims) -> dict:
    from claims.selectors import claim_figures

    return {claim.pk: claim_figures(claim) for claim in claims}


def test_claims_sums_in_the_database_equal_the_claims_figures(demo, django_assert_num_queries):
    """claims.selectors.claims_sums (the claims list, payments, the dashboard's tile) adds up the stored certificates
    in SQL; a claim's own figures add up the same certificates in Python. On the demo's claims (one accepted below
    its claim, a partner in NOK) and the synthetic project's (every claim status), they agree to the cent."""
    from claims.models import Claim
    from claims.selectors import claims_sums

    for project in (demo, seed_synthetic(scale=1)):
        claims = list(Claim.objects.filter(project=project))
        # Partners' terms, their stored certificates, acceptances, the sums: whatever the number of claims.
        with django_assert_num_queries(4):
            sums = claims_sums(claims)
        assert _money(sums) == _money(_claim_figures(claims))
        if project == demo:  # SUS was accepted 1,250.00 EUR below its claim: the co-financing is recomputed
            sus = next(part for part in sums[claims[0].pk].partners if part.partner.organisation.short_name == "SUS")
            assert sus.claimed - sus.accepted == Decimal("1250.00")
            assert sus.accepted_cofinancing < sus.claimed_cofinancing


def test_claims_sums_store_missing_and_outdated_certificates_first(db):
    """A certificate not stored yet, or stored on a co-financing rate the partner no longer has, is computed again
    before the database adds it up: the sums are never of stale rows."""
    from claims.models import Claim
    from claims.selectors import claims_sums

    project = seed_synthetic(scale=1)
    claims = list(Claim.objects.filter(project=project).exclude(status="draft"))
    claimed = ProgressReport.objects.filter(claim_entry__claim__in=claims).select_related("partner")
    missing, changed = claimed[0], claimed.exclude(partner=claimed[0].partner)[0].partner
    CertificateFigures.objects.filter(report=missing).delete()
    changed.cofinancing_rate = Decimal("35.00")
    changed.save()
    sums = _money(claims_sums(claims))
    assert CertificateFigures.objects.filter(report=missing).exists()
    assert set(CertificateFigures.objects.filter(report__partner=changed, report__in=claimed)
               .values_list("partner_terms", flat=True)) == {partner_terms(changed)}
    assert sums == _money(_claim_figures(claims))
