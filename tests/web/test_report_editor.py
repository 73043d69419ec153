"""The reporter's editor through the Django test client: start, fill in, lines, invoices, import, submit."""

from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting.models import Expenditure, ProgressReport
from tests import factories as f
from tests.web.report_helpers import report_url, submit_ready


def report_form(report, **fields):
    return {"version": report.version, "summary": "", "problems": "", **fields}


def staff_line(**fields):
    return {"cost_category": "staff", "description": "Project manager, March", "employee": "A. Jensen",
            "annual_gross_cost": "612000.00", "hours": "37.50", "currency": "DKK", **fields}


def test_reporter_starts_the_report_of_the_open_period(as_a, world):
    start = reverse("web:report-start", args=[world.project.pk, world.partner_a.pk])
    page = as_a.get(start).content.decode()
    assert "Start report" in page and "Period 1" in page
    response = as_a.post(start)
    report = ProgressReport.objects.get(partner=world.partner_a)
    assert report.period == world.period1 and report.status == "draft"
    assert response.url == report_url(report)
    assert as_a.get(start).url == report_url(report)  # a second visit continues it


def test_editor_lists_required_work_packages_first_and_marks_them(as_a, world, reporter_a, new_draft, expense):
    form = as_a.get(report_url(new_draft)).context["form"]
    assert [(wp.number, required) for wp, required, *_ in form.wp_rows()] == [(1, True), (2, False)]


def test_saving_the_form_stores_every_part(as_a, world, new_draft, expense):
    deliverable = f.make_deliverable(world.wp1, code="D1.1")
    indicator = f.make_indicator(world.project, code="RCO84")
    read_version = new_draft.version
    response = as_a.post(report_url(new_draft), report_form(
        new_draft, summary="A good year.", problems="None.",
        **{f"wp_{world.wp1.pk}_narrative": "Kick-off held.", f"wp_{world.wp1.pk}_status": "fully",
           f"wp_{world.wp1.pk}_effort": "2.50", f"wp_{world.wp2.pk}_status": "partly",
           f"deliverable_{deliverable.pk}_comment": "Drafted chapter 2",
           f"deliverable_{deliverable.pk}_link": "https://example.org/d11",
           f"indicator_{indicator.pk}": "3"}))
    assert response.status_code == 302
    new_draft.refresh_from_db()
    assert (new_draft.summary, new_draft.problems, new_draft.version) == ("A good year.", "None.", read_version + 1)
    assert [(p.work_package, p.narrative, p.objective_status) for p in new_draft.work_package_progress.all()] == [
        (world.wp1, "Kick-off held.", "fully")]
    assert [(e.work_package, e.person_months) for e in new_draft.effort.all()] == [(world.wp1, Decimal("2.50"))]
    assert [(c.deliverable, c.evidence_link) for c in new_draft.deliverable_contributions.all()] == [
        (deliverable, "https://example.org/d11")]
    assert [i.value for i in new_draft.indicator_progress.all()] == [Decimal("3.00")]


def test_stale_report_form_is_refused_and_writes_nothing(as_a, new_draft, expense):
    as_a.post(report_url(new_draft), report_form(new_draft, summary="first tab"))
    response = as_a.post(report_url(new_draft), report_form(new_draft, summary="second, stale tab"))
    assert response.status_code == 412
    assert "Someone else changed this" in response.content.decode()
    new_draft.refresh_from_db()
    assert new_draft.summary == "first tab"


def test_staff_line_gets_its_hourly_rate_and_amount_from_the_service(as_a, new_draft, expense):
    response = as_a.post(report_url(new_draft, "web:report-line-add"), staff_line())
    line = new_draft.expenditures.get(cost_category="staff")
    assert response.url.endswith(f"#line-{line.pk}")
    assert (line.hourly_rate, line.amount) == (Decimal("355.81"), Decimal("13342.88"))
    page = as_a.get(report_url(new_draft)).content.decode()
    assert "37.50 h × 355.81 DKK/h" in page and "13342.88 DKK" in page


def test_staff_line_without_hours_shows_the_services_error_at_the_field(as_a, new_draft, expense):
    response = as_a.post(report_url(new_draft, "web:report-line-add"), staff_line(hours=""))
    assert response.status_code == 400
    assert response.context["line_form"].errors["hours"] == ["A staff line costed by the hour needs the hours worked."]
    assert new_draft.expenditures.count() == 1


def test_summary_labels_unfrozen_foreign_currency_amounts_provisional(as_a, new_draft, expense, rates):
    page = as_a.get(report_url(new_draft)).content.decode()
    assert "Provisional" in page and "99.87" in page  # 745.00 DKK / 7.46


def test_line_edit_with_a_stale_version_is_refused(as_a, new_draft, expense):
    line = expense
    url = report_url(new_draft, "web:report-line", line_id=line.pk)
    fields = {"cost_category": "travel", "description": "Train to Lund and back", "supplier": "DSB",
              "amount": "800.00", "currency": "DKK", "version": line.version}
    assert as_a.post(url, fields).status_code == 302
    response = as_a.post(url, {**fields, "amount": "900.00"})
    assert response.status_code == 412
    line.refresh_from_db()
    assert (line.description, line.amount) == ("Train to Lund and back", Decimal("800.00"))


def test_line_delete_removes_it(as_a, new_draft, expense):
    line = expense
    as_a.post(report_url(new_draft, "web:report-line-delete", line_id=line.pk))
    assert not Expenditure.objects.filter(pk=line.pk).exists()


def test_invoice_upload_is_validated_like_the_api(as_a, new_draft, expense):
    line = expense
    url = report_url(new_draft, "web:report-line-attachment", line_id=line.pk)
    fake = SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = as_a.post(url, {"file": fake})
    assert response.status_code == 400 and "not a valid PDF" in response.content.decode()
    pdf = SimpleUploadedFile("invoice.pdf", b"%PDF-1.4 real enough", content_type="application/pdf")
    assert as_a.post(url, {"file": pdf}).status_code == 302
    download = as_a.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 real enough"


def test_import_with_a_bad_row_names_the_row_and_saves_nothing(as_a, new_draft, expense):
    content = ("cost_category,work_package,description,supplier,invoice_number,invoice_date,payment_date,amount,"
               "currency,employee,annual_gross_cost,hours,hourly_rate\n"
               "travel,WP1,Taxi,Taxa,1,2025-04-01,2025-04-03,120.00,DKK,,,,\n"
               "travel,WP1,Hotel,Hilton,2,2025-04-01,2025-04-03,lots,DKK,,,,\n")
    upload = SimpleUploadedFile("lines.csv", content.encode(), content_type="text/csv")
    response = as_a.post(report_url(new_draft, "web:report-import"), {"file": upload})
    assert response.status_code == 400
    assert response.context["import_errors"] == [
        ("3", "amount", "Write a number with a point for decimals and no thousands separator, e.g. 1234.50.")]
    assert new_draft.expenditures.count() == 1


def test_import_of_a_good_file_adds_every_line(as_a, new_draft, expense):
    content = ("cost_category,work_package,description,supplier,invoice_number,invoice_date,payment_date,amount,"
               "currency,employee,annual_gross_cost,hours,hourly_rate\n"
               "travel,WP1,Taxi,Taxa,1,2025-04-01,2025-04-03,120.00,DKK,,,,\n"
               "staff,WP1,Researcher,,,,,,SEK,B. Berg,516000,10,\n")
    upload = SimpleUploadedFile("lines.csv", content.encode(), content_type="text/csv")
    assert as_a.post(report_url(new_draft, "web:report-import"), {"file": upload}).status_code == 302
    assert new_draft.expenditures.count() == 3


def test_submit_lists_every_problem_with_a_link_to_its_field(as_a, world, new_draft, expense, rates):
    line = expense
    Expenditure.objects.filter(pk=line.pk).update(invoice_date=date(2020, 1, 1))
    response = as_a.post(report_url(new_draft), report_form(new_draft, submit="1"))
    assert response.status_code == 400
    problems = response.context["submit_errors"]
    anchors = [anchor for _message, anchor in problems]
    assert anchors == [f"#wp-{world.wp1.pk}", f"#line-{line.pk}"]
    page = response.content.decode()
    assert f'href="#wp-{world.wp1.pk}"' in page and f'id="wp-{world.wp1.pk}"' in page
    assert f'id="line-{line.pk}"' in page
    new_draft.refresh_from_db()
    assert new_draft.status == "draft"


def test_submit_saves_then_submits_and_the_report_becomes_read_only(as_a, world, new_draft, expense, rates):
    response = as_a.post(report_url(new_draft), report_form(
        new_draft, submit="1", **{f"wp_{world.wp1.pk}_narrative": "Kick-off held.",
                                  f"wp_{world.wp1.pk}_status": "fully", f"wp_{world.wp2.pk}_status": "partly"}))
    assert response.status_code == 302
    new_draft.refresh_from_db()
    assert new_draft.status == "submitted"
    assert new_draft.expenditures.get().amount_eur == Decimal("99.87")
    page = as_a.get(report_url(new_draft)).content.decode()
    assert 'id="report-form"' not in page and "read-only while the management unit reviews it" in page


def test_editing_a_submitted_report_is_a_409_with_a_clear_message(as_a, world, reporter_a, new_draft, expense, rates):
    submit_ready(world, new_draft, reporter_a)
    response = as_a.post(report_url(new_draft), report_form(new_draft, summary="late change"))
    assert response.status_code == 409
    assert "can no longer be changed" in response.content.decode()
    line = expense
    assert as_a.post(report_url(new_draft, "web:report-line-delete", line_id=line.pk)).status_code == 409
    assert Expenditure.objects.filter(pk=line.pk).exists()
    new_draft.refresh_from_db()
    assert new_draft.summary == ""


def test_every_write_to_a_submitted_report_is_refused_with_409(as_a, world, reporter_a, new_draft, expense, rates):
    submit_ready(world, new_draft, reporter_a)
    line = expense
    pdf = SimpleUploadedFile("invoice.pdf", b"%PDF-1.4 late", content_type="application/pdf")
    csv = SimpleUploadedFile("lines.csv", b"cost_category,description,currency\ntravel,Taxi,EUR\n")
    writes = [
        (report_url(new_draft, "web:report-line-add"), {"cost_category": "travel", "description": "Late", "amount": "1",
                                                     "currency": "EUR"}),
        (report_url(new_draft, "web:report-line-attachment", line_id=line.pk), {"file": pdf}),
        (report_url(new_draft, "web:report-import"), {"file": csv}),
    ]
    for url, data in writes:
        response = as_a.post(url, data)
        assert response.status_code == 409, url
        assert "can no longer be changed" in response.content.decode()
    line.refresh_from_db()
    assert new_draft.expenditures.count() == 1 and not line.attachment


def test_report_page_runs_the_same_number_of_queries_for_1_or_30_lines(as_a, world, new_draft, expense,
                                                                        django_assert_num_queries):
    with CaptureQueriesContext(connection) as one_line:
        assert as_a.get(report_url(new_draft)).status_code == 200
    for number in range(29):
        Expenditure.objects.create(report=new_draft, cost_category="travel", description=f"Trip {number}",
                                   amount=Decimal("10.00"), currency="SEK", work_package=world.wp1)
    with django_assert_num_queries(len(one_line)):
        assert as_a.get(report_url(new_draft)).status_code == 200
