"""The demo's partner reports: every state, rates frozen by the services, KU's open period empty, idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command

from consortium.models import Project
from reporting.models import Expenditure, ProgressReport
from reporting.selectors import open_period_for


@pytest.fixture
def seeded(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    return Project.objects.get(acronym="ReproUnion")


def test_demo_has_reports_in_every_state_with_frozen_rates(seeded):
    assert set(ProgressReport.objects.values_list("status", flat=True)) == {"draft", "submitted", "approved",
                                                                             "returned"}
    assert set(Expenditure.objects.values_list("currency", flat=True)) >= {"EUR", "DKK", "SEK"}
    submitted_lines = Expenditure.objects.exclude(report__status="draft")
    assert submitted_lines.exists() and not submitted_lines.filter(amount_eur__isnull=True).exists()
    assert not Expenditure.objects.filter(report__status="draft", amount_eur__isnull=False).exists()
    returned = ProgressReport.objects.filter(status="returned").first()
    assert returned.review_comment and returned.history.filter(history_user__username="mu").exists()


def test_ku_has_no_report_in_its_open_period(seeded):
    ku = seeded.partners.get(organisation__short_name="KU")
    period = open_period_for(ku)
    assert period is not None
    assert ku.progress_reports.filter(status="approved").exists()
    assert not ku.progress_reports.filter(period=period).exists()


def test_seeding_again_creates_no_reports(seeded):
    before = (ProgressReport.objects.count(), Expenditure.objects.count(), Expenditure.history.count())
    output = StringIO()
    call_command("seed_demo", stdout=output)
    assert (ProgressReport.objects.count(), Expenditure.objects.count(), Expenditure.history.count()) == before
    assert "Demo reports already exist" in output.getvalue()
