"""The demo's claims (demo/claims.py): ReproUnion has two finalised claims whose money was received and passed on,
one partner accepted at less than claimed, and one open claim; seeding again makes none twice."""

from io import StringIO

import pytest
from django.core.management import call_command

from claims.models import Claim, ClaimReport, PartnerTransfer, ProgrammePayment
from claims.selectors import claim_figures, project_payments


@pytest.fixture
def seeded(demo, settings):
    settings.DEBUG = True
    return demo


def test_two_finalised_claims_paid_and_passed_on_and_one_open(seeded):
    claims = list(Claim.objects.filter(project=seeded).order_by("number"))
    assert [(c.number, c.period.number, c.status) for c in claims] == [
        (1, 1, "finalised"), (2, 2, "finalised"), (3, 3, "draft")]
    parts = [part for claim in claims[:2] for part in claim_figures(claim).partners]
    cut = [part for part in parts if part.accepted < part.claimed]
    assert len(cut) == 1 and cut[0].acceptance.reason
    payments = project_payments(seeded)
    assert all(row.received == row.accepted > 0 and row.outstanding == 0 for row in payments.partners)
    assert all(row.outstanding == 0 for row in payments.claims)
    assert {row.fund for row in payments.claims} == {"erdf", "norwegian_national"}
    assert PartnerTransfer.objects.filter(claim__in=claims[:2]).count() >= 3
    assert ProgrammePayment.objects.filter(claim__in=claims[:2], partner__isnull=False).exists()  # Norwegian funds
    assert claims[2].entries.exists() and not ProgrammePayment.objects.filter(claim=claims[2]).exists()


def test_seeding_again_makes_no_claim_twice(seeded):
    before = (Claim.objects.count(), ClaimReport.objects.count(), ProgrammePayment.objects.count())
    output = StringIO()
    call_command("seed_demo", stdout=output)
    assert (Claim.objects.count(), ClaimReport.objects.count(), ProgrammePayment.objects.count()) == before
    assert "Demo claims already exist" in output.getvalue()
