"""First-level control on the web: the controller's queue and control page, verify many lines at once, a
deduction with its version, certify (refused while lines are open), send back with findings; what the
others see."""

from datetime import date
from decimal import Decimal

from django.urls import reverse

from reporting import services
from reporting.models import LineControl
from tests.web.report_helpers import report_url


def _add_external(report, user):
    """A second line (external, 500.00 EUR) on the submitted report, added while it is returned."""
    return services.expenditure_add(report=report, user=user, data={
        "cost_category": "external", "description": "Workshop facilitation", "supplier": "Consult ApS",
        "invoice_number": "E-1", "invoice_date": date(2025, 3, 2), "payment_date": date(2025, 3, 9),
        "amount": Decimal("500.00"), "currency": "EUR"})


def test_queue_lists_waiting_and_in_control_reports_for_the_controller_only(login, controller_a, controller_b,
                                                                            submitted, mu):
    services.report_approve(report=submitted, user=mu, notify=False)
    page = login(controller_a).get(reverse("web:control-queue")).content.decode()
    assert f'id="control-queue-{submitted.pk}"' in page and report_url(submitted, "web:control") in page
    assert f'id="control-queue-{submitted.pk}"' not in login(controller_b).get(
        reverse("web:control-queue")).content.decode()
    assert login(mu).get(reverse("web:control-queue")).status_code == 403


def test_controller_starts_from_the_control_page(login, controller_a, submitted, mu):
    services.report_approve(report=submitted, user=mu, notify=False)
    client = login(controller_a)
    page = client.get(report_url(submitted, "web:control")).content.decode()
    assert 'id="start-control"' in page
    response = client.post(report_url(submitted, "web:control-start"))
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "in_control"
    queue = client.get(reverse("web:control-queue"))
    assert [r.pk for r in queue.context["in_control"]] == [submitted.pk]


def test_verify_deduct_and_certify(login, controller_a, in_control):
    client = login(controller_a)
    control = LineControl.objects.get(expenditure__report=in_control)
    page = client.get(report_url(in_control, "web:control")).content.decode()
    assert "Train to Lund" in page and 'form="verify-form"' in page
    refused = client.post(report_url(in_control, "web:control-certify"))
    assert refused.status_code == 409
    assert refused.context["open_lines"][0][1] == f"#line-{control.expenditure_id}"
    # A deduction of 45.00 DKK, then a stale form (the version it was shown with) is refused.
    url = report_url(in_control, "web:control-line", control_id=control.pk)
    form = {f"c{control.pk}-verified_amount": "700.00", f"c{control.pk}-deduction_type": "evidence",
            f"c{control.pk}-comment": "Receipt for one ticket missing.", f"c{control.pk}-version": control.version}
    assert client.post(url, form).status_code == 302
    stale = client.post(url, {**form, f"c{control.pk}-verified_amount": "600.00"})
    assert stale.status_code == 412
    control.refresh_from_db()
    assert (control.verified_amount, control.deduction_type) == (Decimal("700.00"), "evidence")
    # Over the declared amount: the field says why, nothing is written.
    too_much = client.post(url, {**form, f"c{control.pk}-verified_amount": "800.00",
                                 f"c{control.pk}-version": control.version})
    assert too_much.status_code == 400 and "cannot exceed" in too_much.content.decode()
    # Verified as declared with the bulk form after all, then certified.
    assert client.post(report_url(in_control, "web:control-verify"), {"ids": [control.pk]}).status_code == 302
    control.refresh_from_db()
    assert control.verified_amount == Decimal("745.00") and not control.deduction_type
    page = client.get(report_url(in_control, "web:control")).content.decode()
    assert 'data-total="verified">99.87<' in page
    assert client.post(report_url(in_control, "web:control-certify")).status_code == 302
    in_control.refresh_from_db()
    assert in_control.status == "certified"


def test_bulk_verify_refuses_foreign_ids_and_writes_nothing(login, controller_a, in_control):
    control = LineControl.objects.get(expenditure__report=in_control)
    response = login(controller_a).post(report_url(in_control, "web:control-verify"), {"ids": [control.pk, 99999]})
    assert response.status_code == 400
    control.refresh_from_db()
    assert control.verified_amount is None


def test_filters_live_in_the_url(login, controller_a, in_control):
    client = login(controller_a)
    url = report_url(in_control, "web:control")
    assert client.get(url, {"category": "travel"}).context["rows"]
    assert not client.get(url, {"category": "staff"}).context["rows"]
    assert not client.get(url, {"min_amount": "746"}).context["rows"]
    assert client.get(url, {"max_amount": "745"}).context["rows"]
    assert not client.get(url, {"attachment": "yes"}).context["rows"]
    assert client.get(url, {"state": "open"}).context["rows"]


def test_send_back_needs_findings_and_shows_them_to_the_reporter(login, controller_a, reporter_a, in_control):
    client = login(controller_a)
    assert client.post(report_url(in_control, "web:control-return"), {"comment": " "}).status_code == 400
    response = client.post(report_url(in_control, "web:control-return"), {"comment": "Add the boarding passes."})
    assert response.status_code == 302
    page = login(reporter_a).get(report_url(in_control)).content.decode()
    assert "Sent back by the first-level controller" in page and "Add the boarding passes." in page
    assert 'id="report-form"' in page


def test_others_see_the_control_read_only(login, mu, coordinator, reporter_a, controller_b, in_control):
    for user in (mu, coordinator, reporter_a):
        response = login(user).get(report_url(in_control, "web:control"))
        assert response.status_code == 200 and 'id="verify-form"' not in response.content.decode()
        assert login(user).post(report_url(in_control, "web:control-certify")).status_code == 403
    assert login(controller_b).get(report_url(in_control, "web:control")).status_code == 404
    assert login(controller_b).post(report_url(in_control, "web:control-certify")).status_code == 404


def test_report_and_review_pages_show_control_progress_and_results(login, mu, controller_a, in_control):
    control = LineControl.objects.get(expenditure__report=in_control)
    services.line_control_update(control=control, expected_version=control.version, user=controller_a,
                                 data={"verified_amount": Decimal("700.00"), "deduction_type": "calculation"})
    services.report_certify(report=in_control, user=controller_a, notify=False)
    page = login(mu).get(report_url(in_control)).content.decode()
    assert 'id="control-totals"' in page and "Certified by the first-level controller" in page
    assert 'data-total="deducted">' in page
    review = login(mu).get(report_url(in_control, "web:review")).content.decode()
    assert 'id="control-totals"' in review and 'name="approve"' not in review


def test_matrix_shows_control_progress_then_certified(login, mu, controller_a, world, in_control):
    url = reverse("web:reports", args=[world.project.pk])
    assert 'data-control-progress="0/1"' in login(mu).get(url).content.decode()
    control = LineControl.objects.get(expenditure__report=in_control)
    services.lines_verify_as_declared(report=in_control, control_ids=[control.pk], user=controller_a)
    assert "1 of 1 lines verified" in login(mu).get(url).content.decode()
    services.report_certify(report=in_control, user=controller_a, notify=False)
    page = login(mu).get(url).content.decode()
    assert "Certified" in page and report_url(in_control, "web:control") in page


def test_dashboard_and_overview_count_certified_money_and_show_the_rest_apart(login, mu, controller_a, world,
                                                                             in_control):
    """745.00 DKK at the frozen rate is 99.87 EUR: in control it is shown apart; certified with 45.00 DKK deducted,
    700.00 DKK (93.83 EUR at the same rate) counts."""
    item = login(mu).get("/").context["projects"][0]
    assert (item.money.in_control, item.money.certified) == (Decimal("99.87"), Decimal("0.00"))
    control = LineControl.objects.get(expenditure__report=in_control)
    services.line_control_update(control=control, expected_version=control.version, user=controller_a,
                                 data={"verified_amount": Decimal("700.00"), "deduction_type": "evidence"})
    services.report_certify(report=in_control, user=controller_a, notify=False)
    item = login(mu).get("/").context["projects"][0]
    assert (item.money.in_control, item.money.certified) == (Decimal("0.00"), Decimal("93.83"))
    overview = login(mu).get(reverse("web:project", args=[world.project.pk]))
    assert overview.context["figures"].money.certified == Decimal("93.83")
    assert 'data-money="certified">€ 93.83' in overview.content.decode()


def test_the_controllers_mail_links_to_the_control_page(as_mu, controller_a, submitted,
                                                        django_capture_on_commit_callbacks):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        as_mu.post(report_url(submitted, "web:review"), {"approve": "1", "comment": ""})
    to_controller = [m for m in mail.outbox if m.to == [controller_a.email]]
    assert len(to_controller) == 1 and report_url(submitted, "web:control") in to_controller[0].body


def test_a_line_saved_with_htmx_swaps_its_row_and_the_figures(login, controller_a, in_control):
    client = login(controller_a)
    control = LineControl.objects.get(expenditure__report=in_control)
    url = report_url(in_control, "web:control-line", control_id=control.pk)
    form = {f"c{control.pk}-verified_amount": "700.00", f"c{control.pk}-deduction_type": "evidence",
            f"c{control.pk}-version": control.version}
    response = client.post(url, form, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200 and page.lstrip().startswith(f'<tr id="line-{control.expenditure_id}"')
    assert 'id="control-totals" hx-swap-oob="true"' in page and "Line saved" in page
    stale = client.post(url, form, HTTP_HX_REQUEST="true").content.decode()
    assert "Not saved" in stale and "Someone else changed this" in stale


def _certified(partner, period, amount: str):
    """A certified report with one EUR line verified for 90 % of it (rows written directly: only counted here)."""
    from reporting.models import Expenditure, ProgressReport

    report = ProgressReport.objects.create(partner=partner, period=period, status="certified")
    line = Expenditure.objects.create(report=report, cost_category="travel", description="Train",
                                      amount=Decimal(amount), amount_eur=Decimal(amount), exchange_rate=1,
                                      invoice_date=date(2025, 3, 1))
    LineControl.objects.create(expenditure=line, verified_amount=Decimal(amount) * Decimal("0.9"),
                               deduction_type="evidence", certified_in=report)
    return report


def test_certified_money_costs_the_same_queries_for_one_or_many_certificates(login, mu, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> tuple[int, int]:
        client = login(mu)
        with CaptureQueriesContext(connection) as dashboard:
            client.get("/")
        with CaptureQueriesContext(connection) as overview:
            client.get(reverse("web:project", args=[world.project.pk]))
        return len(dashboard), len(overview)

    _certified(world.partner_a, world.period1, "100.00")
    one = queries()
    _certified(world.partner_b, world.period1, "200.00")
    _certified(world.partner_a, world.period2, "300.00")
    assert queries() == one
    assert login(mu).get("/").context["projects"][0].money.certified == Decimal("540.00")


def test_a_line_parked_earlier_gets_its_form_when_the_controller_asks(db, client):
    """Lines parked by the partner's earlier certificates pile up with its history: each row links to its form
    (`?edit=`, keeping the filters) instead of carrying one, so the page does not grow with them (issue 22); the
    form then opens in place and saves as before."""
    from demo.pages import page_urls
    from demo.synthetic import seed_synthetic, synthetic_user

    seed_synthetic(scale=1)
    url = next(page.url for page in page_urls(1) if page.name == "control")
    client.force_login(synthetic_user(1, "controller"))
    page = client.get(url + "?state=open")
    (row,) = page.context["parked_rows"]
    assert row.form is None
    html = page.content.decode()
    assert f'?state=open&amp;edit={row.control.pk}#parked-{row.line.pk}' in html
    assert f'name="c{row.control.pk}-verified_amount"' not in html
    # The report's own lines keep their forms.
    assert all(own.form is not None for own in page.context["all_rows"] if own.control is not None)

    opened = client.get(url + f"?state=open&edit={row.control.pk}")
    assert f'name="c{row.control.pk}-verified_amount"' in opened.content.decode()
    # Saving returns to the filters, with the form closed again.
    assert opened.context["filters_query"] == "state=open"
