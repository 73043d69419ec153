from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from consortium.models import Role
from reporting.models import ReminderSent
from reporting.reminders import send_deadline_reminders
from tests import factories as f
from tests.funder_report.builders import make_report

TODAY = date(2026, 3, 20)  # period 1's reports are due on 31.03.2026: 11 days


@pytest.fixture
def deadlines(world, mu, reporter_a, reporter_b):
    ku_contact = f.make_contact(world.project, world.partner_a.organisation, name="Kirsten Ørum",
                                email="kirsten@ku.example.org")
    lu_contact = f.make_contact(world.project, world.partner_b.organisation, name="Lars Åkesson",
                                email="lars@lu.example.org")
    reporter_no = f.make_user("reporter-no")
    f.add_member(reporter_no, world.project, Role.REPORTER, partner=world.partner_no)
    items = {
        "in_13_days": f.make_deliverable(world.wp1, code="D1.1", due_date=date(2026, 4, 2)),
        "in_2_days": f.make_deliverable(world.wp1, code="D1.2", due_date=date(2026, 3, 22)),
        "overdue": f.make_deliverable(world.wp2, code="D2.1", due_date=date(2026, 3, 1)),
        "submitted": f.make_deliverable(world.wp1, code="D1.3", due_date=date(2026, 3, 1), status="submitted",
                                        submitted_date=date(2026, 2, 27)),
        "far": f.make_deliverable(world.wp1, code="D1.4", due_date=date(2026, 9, 30)),
    }
    make_report(world.partner_b, world.period1, status="submitted")
    returned = make_report(world.partner_no, world.period1, status="returned", review_comment="Add invoices.")
    return {"ku_contact": ku_contact, "lu_contact": lu_contact, "reporter_no": reporter_no, "returned": returned,
            **items}


def digests_by_recipient():
    return {message.to[0]: message.body for message in mail.outbox}


def test_one_digest_per_person_with_their_items(deadlines, mu, reporter_a, reporter_b, world):
    result = send_deadline_reminders(today=TODAY)
    digests = digests_by_recipient()
    assert result.sent == len(mail.outbox) == len(digests) == 5
    assert set(digests) == {mu.email, "kirsten@ku.example.org", "lars@lu.example.org", reporter_a.email,
                            deadlines["reporter_no"].email}
    mu_body = digests[mu.email]
    assert all(code in mu_body for code in ("D1.1", "D1.2", "D2.1")) and "D1.3" not in mu_body
    assert "D1.4" not in mu_body and "overdue since 1 Mar 2026" in mu_body
    assert "D2.1" in digests["lars@lu.example.org"] and "D1.1" not in digests["lars@lu.example.org"]
    assert "D1.1" in digests["kirsten@ku.example.org"] and "D2.1" not in digests["kirsten@ku.example.org"]
    assert "period 1" in digests[reporter_a.email] and "due 31 Mar 2026" in digests[reporter_a.email]
    assert reporter_b.email not in digests  # LU has submitted its report
    assert "returned" in digests[deadlines["reporter_no"].email]
    assert "Add invoices." in digests[deadlines["reporter_no"].email]


def test_keys_name_the_item_and_threshold(deadlines, mu, world):
    send_deadline_reminders(today=TODAY)
    keys = set(ReminderSent.objects.filter(email=mu.email).values_list("key", flat=True))
    assert keys == {f"deliverable:{deadlines['in_13_days'].pk}:due-14",
                    f"deliverable:{deadlines['in_2_days'].pk}:due-3",
                    f"deliverable:{deadlines['overdue'].pk}:overdue"}


def test_second_run_on_the_same_day_sends_nothing(deadlines):
    send_deadline_reminders(today=TODAY)
    sent = len(mail.outbox)
    result = send_deadline_reminders(today=TODAY)
    assert result.sent == 0 and len(mail.outbox) == sent


def test_the_next_threshold_reminds_again_but_only_of_that_item(deadlines, mu):
    send_deadline_reminders(today=TODAY)
    mail.outbox.clear()
    send_deadline_reminders(today=date(2026, 3, 30))  # D1.1 is now 3 days away; D1.2 became overdue
    body = digests_by_recipient()[mu.email]
    assert "D1.1" in body and "D1.2" in body and "D2.1" not in body


def test_dry_run_sends_and_records_nothing_but_prints_the_digests(deadlines, mu):
    out = StringIO()
    call_command("send_deadline_reminders", "--dry-run", "--today", TODAY.isoformat(), stdout=out)
    assert mail.outbox == [] and not ReminderSent.objects.exists()
    assert f"To: {mu.email}" in out.getvalue() and "D1.2" in out.getvalue()
    call_command("send_deadline_reminders", "--today", TODAY.isoformat(), stdout=StringIO())
    assert len(mail.outbox) == 5


def test_closed_projects_are_not_reminded(deadlines, world):
    world.project.status = "closed"
    world.project.save()
    assert send_deadline_reminders(today=TODAY).sent == 0
