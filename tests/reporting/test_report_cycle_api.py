"""The whole reporting cycle through the API, as the demo's roles would do it."""

from decimal import Decimal

from django.core import mail

from reporting.models import Expenditure, ProgressReport
from reporting.selectors import open_period_for


def _patch(client, url, data, version):
    return client.patch(url, data, format="json", HTTP_IF_MATCH=f'"{version}"')


def test_draft_submit_return_fix_resubmit_approve(world, personas, api_client, rates, this_month,
                                                  django_capture_on_commit_callbacks):
    mu, reporter_a, reporter_b = personas["mu"], personas["reporter_a"], personas["reporter_b"]
    ra, rb, m = api_client(reporter_a), api_client(reporter_b), api_client(mu)

    # reporter_a drafts in its open period.
    period = open_period_for(world.partner_a)
    assert period == world.period1
    created = ra.post("/api/progress-reports/", {"partner": world.partner_a.pk, "period": period.pk}, format="json")
    assert created.status_code == 201, created.json()
    url = f"/api/progress-reports/{created.json()['id']}/"
    assert created.json()["status"] == "draft" and created["ETag"] == '"1"'

    # Submitting too early names what is missing: the WP1 narrative.
    early = ra.post(url + "submit/")
    assert early.status_code == 400 and "work_package_progress" in early.json()["fields"]

    edited = _patch(ra, url, {"summary": "Kick-off held in Lund.", "problems": "",
                              "work_package_progress": [{"work_package": world.wp1.pk,
                                                         "narrative": "Consortium agreement signed."}],
                              "effort": [{"work_package": world.wp1.pk, "person_months": "2.50"}]}, 1)
    assert edited.status_code == 200, edited.json()
    assert edited.json()["effort"] == [{"work_package": world.wp1.pk, "person_months": "2.50"}]

    lines = [
        {"cost_category": "travel", "description": "Flight CPH–OSL", "amount": "250.00", "currency": "EUR",
         "invoice_date": "2025-03-02", "payment_date": "2025-03-10"},
        {"cost_category": "external", "description": "Venue", "supplier": "Hotel", "amount": "746.00",
         "currency": "DKK", "invoice_date": "2025-04-01"},
        {"cost_category": "staff", "description": "Researcher", "employee": "A. Svensson",
         "annual_gross_cost": "612000.00", "hours": "37.50", "currency": "SEK"},
    ]
    for body in lines:
        response = ra.post("/api/expenditures/", {"report": created.json()["id"], **body}, format="json")
        assert response.status_code == 201, response.json()
    staff = response.json()
    # 612,000 ÷ 1,720 = 355.81 SEK/h; × 37.5 h = 13,342.875 → 13,342.88 SEK; not converted yet.
    assert (staff["hourly_rate"], staff["amount"], staff["amount_eur"]) == ("355.81", "13342.88", None)

    with django_capture_on_commit_callbacks(execute=True):
        submitted = ra.post(url + "submit/")
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["status"] == "submitted" and submitted.json()["submitted_at"]
    # 250.00 EUR; 746.00 DKK ÷ 7.46 = 100.00; 13,342.88 SEK ÷ 11.20 = 1,191.3285… → 1,191.33.
    frozen = {e.description: (e.exchange_rate, e.rate_month, e.amount_eur)
              for e in Expenditure.objects.filter(report_id=created.json()["id"])}
    assert frozen == {
        "Flight CPH–OSL": (Decimal("1.0000"), this_month, Decimal("250.00")),
        "Venue": (Decimal("7.4600"), this_month, Decimal("100.00")),
        "Researcher": (Decimal("11.2000"), this_month, Decimal("1191.33")),
    }
    assert [e.to for e in mail.outbox] == [["mu@example.org"]]
    assert "submitted" in mail.outbox[0].subject

    # Read-only for everyone now, the MU included.
    version = submitted.json()["version"]
    for client in (ra, m):
        conflict = _patch(client, url, {"summary": "Changed"}, version)
        assert conflict.status_code == 409 and "read-only" in conflict.json()["detail"]
    line_id = Expenditure.objects.filter(report_id=created.json()["id"]).first().pk
    assert _patch(ra, f"/api/expenditures/{line_id}/", {"amount": "1.00"}, 1).status_code == 409
    assert ra.delete(f"/api/expenditures/{line_id}/").status_code == 409
    assert ra.post("/api/expenditures/", {"report": created.json()["id"], **lines[0]}, format="json").status_code == 409

    # Another partner's reporter does not even learn that it exists.
    assert rb.get(url).status_code == 404
    assert rb.post(url + "approve/").status_code == 404

    # The reporter cannot approve their own report; the MU returns it with a comment.
    assert ra.post(url + "approve/").status_code == 403
    assert m.post(url + "return/", {"comment": "  "}, format="json").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        returned = m.post(url + "return/", {"comment": "Attach the venue invoice."}, format="json")
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert mail.outbox[-1].to == ["reporter-a@example.org"]
    assert "Attach the venue invoice." in mail.outbox[-1].body

    # The reporter fixes it: the frozen line keeps its rate when its amount changes.
    venue = Expenditure.objects.get(description="Venue")
    fixed = _patch(ra, f"/api/expenditures/{venue.pk}/", {"amount": "1492.00"}, venue.version)
    assert fixed.status_code == 200, fixed.json()
    assert (fixed.json()["exchange_rate"], fixed.json()["amount_eur"]) == ("7.4600", "200.00")
    with django_capture_on_commit_callbacks(execute=True):
        assert ra.post(url + "submit/").status_code == 200
        approved = m.post(url + "approve/")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert mail.outbox[-1].to == ["reporter-a@example.org"] and "approved" in mail.outbox[-1].subject
    assert [e.to for e in mail.outbox] == [["mu@example.org"], ["reporter-a@example.org"], ["mu@example.org"],
                                           ["reporter-a@example.org"]]
    assert _patch(ra, url, {"summary": "x"}, approved.json()["version"]).status_code == 409
    assert open_period_for(world.partner_a) == world.period2

    # The summary: 250.00 + 200.00 + 1,191.33 = 1,641.33 declared; flat rate 15 % of 1,191.33 = 178.6995 → 178.69;
    # eligible 1,820.02; ERDF 60 % = 1,092.012 → 1,092.01.
    summary = m.get(url + "summary/").json()
    assert (summary["declared_total"], summary["flat_rate_total"], summary["eligible_total"]) == (
        "1641.33", "178.69", "1820.02")
    assert summary["cofinancing"] == [{"funding_source": "erdf", "rate": "60.00", "amount": "1092.01"}]
    assert summary["provisional"] is False

    # The history lists every step with its user.
    history = m.get(url + "history/")
    assert history.status_code == 200
    report_steps = [(e["who"], e["action"], _status_change(e)) for e in history.json()
                    if e["object_type"] == "progress_report"]
    assert report_steps == [
        ("reporter-a", "created", None),
        ("reporter-a", "changed", None),
        ("reporter-a", "changed", ("draft", "submitted")),
        ("mu", "changed", ("submitted", "returned")),
        ("reporter-a", "changed", ("returned", "submitted")),
        ("mu", "changed", ("submitted", "approved")),
    ]
    venue_changes = [e for e in history.json() if e["object_type"] == "expenditure" and e["object_id"] == venue.pk]
    assert [e["who"] for e in venue_changes] == ["reporter-a", "reporter-a", "reporter-a"]
    assert {"field": "amount", "old": "746.00", "new": "1492.00", "label": "Amount", "old_display": "746.00",
            "new_display": "1492.00"} in venue_changes[2]["changes"]
    assert ProgressReport.objects.get().submitted_by == reporter_a


def _status_change(entry):
    for change in entry["changes"]:
        if change["field"] == "status":
            return change["old"], change["new"]
    return None


def test_submission_answers_every_problem_at_once(world, draft, reporter_a, api_client, this_month):
    from tests.reporting.helpers import line

    line(draft, reporter_a, amount=Decimal("10.00"))  # fine
    line(draft, reporter_a, invoice_date=world.project.start_date.replace(year=2024), payment_date=None)
    line(draft, reporter_a, cost_category="office_admin", description="Rent")
    line(draft, reporter_a, currency="SEK")
    draft.work_package_progress.all().delete()
    response = api_client(reporter_a).post(f"/api/progress-reports/{draft.pk}/submit/")
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert set(fields) == {"work_package_progress", "expenditures[1].invoice_date", "expenditures[2].cost_category",
                           "expenditures[3].currency"}
    assert "WP1" in fields["work_package_progress"][0]
    assert "2025-01-01 … 2028-02-14" in fields["expenditures[1].invoice_date"][0]
    assert fields["expenditures[3].currency"] == [
        f"No exchange rate for SEK in {this_month:%Y-%m}; the management unit must enter it before the report "
        "can be submitted."]
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert not draft.expenditures.filter(amount_eur__isnull=False).exists()


def test_report_cannot_be_created_for_a_period_not_started(world, reporter_a, api_client):
    from tests import factories as f

    future = f.make_period(world.project, 3, world.project.end_date.replace(year=2027, month=1, day=1),
                           world.project.end_date)
    response = api_client(reporter_a).post("/api/progress-reports/", {"partner": world.partner_a.pk,
                                                                      "period": future.pk}, format="json")
    assert response.status_code == 400 and "period" in response.json()["fields"]


def test_stale_or_missing_version_writes_nothing(draft, reporter_a, api_client):
    client = api_client(reporter_a)
    url = f"/api/progress-reports/{draft.pk}/"
    assert client.patch(url, {"summary": "A"}, format="json").status_code == 428
    assert client.patch(url, {"summary": "A", "version": draft.version - 1}, format="json").status_code == 412
    draft.refresh_from_db()
    assert draft.summary == "Kick-off held."
