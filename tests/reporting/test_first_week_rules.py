"""Issue 14's workflow rules: submission and approval after the period, line dates at submission, costs of an
earlier period, overdue reports (the API's report-status and the reminders), history for people."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import translation

from consortium.errors import DomainError
from reporting import services
from reporting.money import summarise_report
from reporting.reminders import send_deadline_reminders
from reporting.selectors import report_history, report_statuses
from tests import factories as f
from tests.reporting.helpers import line

# World: period 1 is 2025 (due 31.03.2026), period 2 is 2026 (due 31.03.2027), the project ends 31.12.2027.
AFTER_P1 = date(2026, 1, 15)


def narrated(world, report, user):
    return services.report_update(report=report, expected_version=report.version, user=user, data={
        "work_package_progress": [{"work_package": world.wp1, "narrative": "Done.", "objective_status": "fully"}]})


# --- 2: submission and approval open the day after the period ends ----------------------------

def test_a_running_periods_report_is_a_draft_until_the_day_after_the_period(world, reporter_a):
    report = narrated(world, services.report_create(partner=world.partner_a, period=world.period1,
                                                    user=reporter_a, today=date(2025, 6, 1)), reporter_a)
    with pytest.raises(DomainError) as refused:
        services.report_submit(report=report, user=reporter_a, today=date(2025, 12, 31), notify=False)
    assert refused.value.errors["period"] == [
        "Period 1 ends on 2025-12-31; its report can be submitted from 2026-01-01."]
    services.report_submit(report=report, user=reporter_a, today=date(2026, 1, 1), notify=False)
    assert report.status == "submitted"


def test_approval_also_waits_for_the_periods_end(world, reporter_a, mu):
    report = narrated(world, services.report_create(partner=world.partner_a, period=world.period1,
                                                    user=reporter_a), reporter_a)
    services.report_submit(report=report, user=reporter_a, today=AFTER_P1, notify=False)
    with pytest.raises(DomainError) as refused:
        services.report_approve(report=report, user=mu, today=date(2025, 12, 31), notify=False)
    assert "can be approved from 2026-01-01" in refused.value.errors["period"][0]
    services.report_approve(report=report, user=mu, today=date(2026, 1, 1), notify=False)
    assert report.status == "approved"


def test_submitting_a_running_period_through_the_api_is_a_400_naming_the_period(world, reporter_a, api_client):
    report = narrated(world, services.report_create(partner=world.partner_a, period=world.period2,
                                                    user=reporter_a), reporter_a)
    response = api_client(reporter_a).post(f"/api/progress-reports/{report.pk}/submit/")
    assert response.status_code == 400
    assert "can be submitted from 2027-01-01" in response.json()["fields"]["period"][0]


# --- 3: line dates at submission -------------------------------------------------------------------

def test_every_future_or_late_paid_line_is_named_at_once(world, reporter_a):
    report = narrated(world, services.report_create(partner=world.partner_a, period=world.period1,
                                                    user=reporter_a), reporter_a)
    ok = line(report, reporter_a, invoice_date=date(2025, 3, 1), payment_date=date(2025, 3, 5))
    future = line(report, reporter_a, invoice_date=date(2026, 3, 1), payment_date=date(2026, 3, 2))
    paid_late = line(report, reporter_a, invoice_date=date(2025, 12, 20), payment_date=date(2026, 1, 10))
    with pytest.raises(DomainError) as refused:
        services.report_submit(report=report, user=reporter_a, today=date(2026, 2, 1), notify=False)
    where = {(p.object_id, p.field) for p in refused.value.problems}
    assert where == {(future.pk, "invoice_date"), (future.pk, "payment_date"), (paid_late.pk, "payment_date")}
    messages = refused.value.errors
    assert "after the submission date 2026-02-01" in messages["expenditures[1].invoice_date"][0]
    assert "after period 1 (paid by 2025-12-31)" in messages["expenditures[2].payment_date"][0]
    assert ok.pk not in {p.object_id for p in refused.value.problems}
    report.refresh_from_db()
    assert report.status == "draft"


def test_the_last_period_takes_payments_until_the_eligibility_end(world, reporter_a):
    world.period2.end_date = date(2026, 12, 31)
    last = f.make_period(world.project, 3, date(2027, 1, 1), date(2027, 12, 31), date(2028, 3, 31))
    grace_end = world.project.end_date + timedelta(days=world.project.programme.eligibility_grace_days)
    report = narrated(world, services.report_create(partner=world.partner_a, period=last, user=reporter_a,
                                                    today=date(2027, 1, 2)), reporter_a)
    line(report, reporter_a, invoice_date=date(2027, 12, 20), payment_date=grace_end)
    too_late = line(report, reporter_a, invoice_date=date(2027, 12, 20), payment_date=grace_end + timedelta(days=1))
    with pytest.raises(DomainError) as refused:
        services.report_submit(report=report, user=reporter_a, today=date(2028, 3, 1), notify=False)
    assert [(p.object_id, p.field) for p in refused.value.problems] == [(too_late.pk, "payment_date")]


def test_costs_paid_before_the_period_are_allowed_and_marked(world, reporter_a, api_client):
    report = narrated(world, services.report_create(partner=world.partner_a, period=world.period2,
                                                    user=reporter_a), reporter_a)
    earlier = line(report, reporter_a, invoice_date=date(2025, 11, 3), payment_date=date(2025, 11, 20),
                   amount=Decimal("250.00"))
    line(report, reporter_a, invoice_date=date(2026, 2, 3), payment_date=date(2026, 2, 20))
    services.report_submit(report=report, user=reporter_a, today=date(2027, 1, 5), notify=False)
    summary = summarise_report(report)
    assert summary.earlier_period_lines == [earlier.pk]
    assert summary.earlier_period_total == Decimal("250.00")
    client = api_client(reporter_a)
    body = client.get(f"/api/progress-reports/{report.pk}/summary/").json()
    assert body["earlier_period_lines"] == [earlier.pk] and body["earlier_period_total"] == "250.00"
    rows = client.get("/api/expenditures/", {"report": report.pk}).json()["results"]
    assert {row["id"]: row["earlier_period"] for row in rows} == {earlier.pk: True, rows[1]["id"]: False}
    assert client.get(f"/api/expenditures/{earlier.pk}/").json()["earlier_period"] is True


# --- 4: overdue reports ---------------------------------------------------------------------------

def test_report_status_rows_for_every_partner_and_started_period(world, mu, reporter_a, api_client):
    report = narrated(world, services.report_create(partner=world.partner_a, period=world.period1,
                                                    user=reporter_a), reporter_a)
    services.report_submit(report=report, user=reporter_a, today=AFTER_P1, notify=False)
    today = date(2026, 4, 10)  # period 1 was due 31.03.2026: 10 days late; period 2 is running
    rows = {(r.partner.pk, r.period.number): r for r in report_statuses(world.project.partners.all(), today)}
    assert len(rows) == 6
    assert (rows[(world.partner_a.pk, 1)].status, rows[(world.partner_a.pk, 1)].overdue) == ("submitted", False)
    late = rows[(world.partner_b.pk, 1)]
    assert (late.status, late.overdue, late.days_late) == ("not_started", True, 10)
    assert (rows[(world.partner_b.pk, 2)].overdue, rows[(world.partner_b.pk, 2)].days_late) == (False, 0)

    body = api_client(mu).get(f"/api/projects/{world.project.pk}/report-status/").json()
    assert len(body) == 3 * 2  # real today: both periods have started
    first = body[0]
    assert set(first) == {"partner", "period", "period_number", "status", "due_date", "overdue", "days_late"}
    assert (first["partner"], first["period_number"], first["status"], first["due_date"], first["overdue"]) == (
        world.partner_a.pk, 1, "submitted", "2026-03-31", False)
    b1 = next(r for r in body if r["partner"] == world.partner_b.pk and r["period_number"] == 1)
    assert b1["status"] == "not_started" and b1["overdue"] is True and b1["days_late"] > 0


@pytest.mark.parametrize(("persona", "status", "partners"), [
    ("mu", 200, 3), ("coordinator", 200, 3), ("reporter_a", 200, 1), ("viewer", 403, 0), ("outsider", 404, 0),
])
def test_report_status_is_for_readers_of_reports(world, personas, api_client, persona, status, partners):
    response = api_client(personas[persona]).get(f"/api/projects/{world.project.pk}/report-status/")
    assert response.status_code == status
    if status == 200:
        assert len({row["partner"] for row in response.json()}) == partners
    if persona == "reporter_a":
        assert {row["partner"] for row in response.json()} == {world.partner_a.pk}


def test_overdue_reports_are_reminded_to_reporters_and_the_mu_once(world, mu, reporter_a, reporter_b):
    today = date(2026, 4, 10)
    send_deadline_reminders(today=today)
    bodies = {message.to[0]: message.body for message in mail.outbox}
    assert "period 1 — overdue since" in bodies[reporter_a.email] and "10 days late" in bodies[reporter_a.email]
    assert bodies[mu.email].count("overdue since") == 3  # all three partners of project A
    assert "PP1 KU" not in bodies[reporter_b.email]
    mail.outbox.clear()
    send_deadline_reminders(today=today + timedelta(days=1))
    assert not any("overdue since" in message.body for message in mail.outbox)


# --- 9: history for people -------------------------------------------------------------------------

def test_history_shows_labels_names_file_names_and_translated_values(world, reporter_a, mu):
    reporter_a.first_name, reporter_a.last_name = "Karen", "Holm"
    reporter_a.save()
    report = narrated(world, services.report_create(partner=world.partner_a, period=world.period1,
                                                    user=reporter_a), reporter_a)
    services.report_submit(report=report, user=reporter_a, today=AFTER_P1, notify=False)
    with translation.override("sv"):
        entries = report_history(report)
    submitted = next(e for e in entries if any(c["field"] == "status" for c in e["changes"]))
    changes = {c["field"]: c for c in submitted["changes"]}
    assert submitted["who_name"] == "Karen Holm"
    assert changes["status"]["label"] == "Status" and changes["status"]["new_display"] == "Inlämnad"
    assert changes["submitted_by_id"]["label"] == "Inlämnad av"
    assert changes["submitted_by_id"]["new_display"] == "Karen Holm"
    assert "submitted_by_id: " not in str(entries)


def test_history_names_an_invoice_by_its_file_name(world, reporter_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = services.report_create(partner=world.partner_a, period=world.period1, user=reporter_a)
    expenditure = line(report, reporter_a)
    services.expenditure_attach_invoice(expenditure=expenditure, user=reporter_a, uploaded=SimpleUploadedFile(
        "dsb-4471.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"))
    changes = [c for e in report_history(report) for c in e["changes"] if c["field"] == "attachment"]
    assert changes and changes[0]["new_display"] == "dsb-4471.pdf"
    assert changes[0]["label"] == "Attachment"
    assert not any(c["field"] == "attachment_name" for e in report_history(report) for c in e["changes"])


def test_the_api_history_carries_labels_in_the_request_language(world, reporter_a, mu, api_client):
    report = narrated(world, services.report_create(partner=world.partner_a, period=world.period1,
                                                    user=reporter_a), reporter_a)
    services.report_submit(report=report, user=reporter_a, today=AFTER_P1, notify=False)
    body = api_client(mu).get(f"/api/progress-reports/{report.pk}/history/", HTTP_ACCEPT_LANGUAGE="da").json()
    status = next(c for e in body for c in e["changes"] if c["field"] == "status")
    assert (status["old"], status["new"], status["new_display"]) == ("draft", "submitted", "Indsendt")
