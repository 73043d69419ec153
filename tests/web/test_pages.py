"""Every web page × every persona: member pages 200, strangers 404, viewers no report matrix, anonymous → login."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from consortium.models import local_today
from tests import factories as f
from web.selectors import TRACKER_PAGE_SIZE
from workpackages.models import Deliverable

PROJECT_PAGES = ["web:project", "web:partners", "web:workplan", "web:milestones", "web:deliverables"]


def page(name, project):
    return reverse(name, kwargs={"project_id": project.pk})


@pytest.mark.parametrize("name", PROJECT_PAGES + ["web:reports"])
def test_anonymous_is_sent_to_the_login_page(client, world, name):
    response = client.get(page(name, world.project))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


def test_anonymous_dashboard_redirects_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302 and response.url == "/accounts/login/?next=/"


@pytest.mark.parametrize("persona", ["mu", "coordinator", "reporter_a", "reporter_b", "viewer"])
@pytest.mark.parametrize("name", PROJECT_PAGES)
def test_members_see_every_plan_page(login, personas, world, persona, name):
    response = login(personas[persona]).get(page(name, world.project))
    assert response.status_code == 200
    assert world.project.acronym in response.content.decode()


@pytest.mark.parametrize("name", PROJECT_PAGES + ["web:reports"])
def test_stranger_gets_the_404_page(login, outsider, world, name):
    response = login(outsider).get(page(name, world.project))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_missing_project_is_the_same_404_as_a_strangers(login, mu):
    assert login(mu).get("/projects/999999/").status_code == 404


@pytest.mark.parametrize("persona", ["mu", "coordinator", "reporter_a"])
def test_report_matrix_is_readable_by_mu_coordinator_and_reporters(login, personas, world, persona):
    assert login(personas[persona]).get(page("web:reports", world.project)).status_code == 200


def test_viewer_gets_403_on_the_report_matrix(login, viewer, world):
    response = login(viewer).get(page("web:reports", world.project))
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()


def test_reporter_sees_only_its_own_row_in_the_report_matrix(login, reporter_a, world):
    rows = login(reporter_a).get(page("web:reports", world.project)).context["rows"]
    assert [row.partner for row in rows] == [world.partner_a]


def test_coordinator_sees_every_partner_in_the_report_matrix(login, coordinator, world):
    rows = login(coordinator).get(page("web:reports", world.project)).context["rows"]
    assert [row.partner for row in rows] == [world.partner_a, world.partner_b, world.partner_no]


def test_superuser_sees_every_project_on_the_dashboard(login, superuser, world):
    projects = [item.project for item in login(superuser).get("/").context["projects"]]
    assert set(projects) == {world.project, world.other_project}


def test_dashboard_lists_exactly_the_users_projects(login, mu, outsider, world):
    assert [item.project for item in login(mu).get("/").context["projects"]] == [world.project]
    assert [item.project for item in login(outsider).get("/").context["projects"]] == [world.other_project]


def test_viewer_pages_show_no_money(login, viewer, world):
    f.make_budget_line(world.partner_a, amount=Decimal("123456.00"))
    client = login(viewer)
    for url in ["/"] + [page(name, world.project) for name in PROJECT_PAGES]:
        # The CSRF token is random text: it spelt "EUR" now and then.
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", client.get(url).content.decode())
        for money_word in ("123456", "€", "EUR", "Co-financing", "60.00", "Budget"):
            assert money_word not in html, (url, money_word)


def test_reporter_sees_budgets_and_cofinancing(login, reporter_a, world):
    f.make_budget_line(world.partner_a, amount=Decimal("123456.00"))
    html = login(reporter_a).get(page("web:partners", world.project)).content.decode()
    assert "123,456.00" in html and "60.00 %" in html


def test_dashboard_shows_overdue_and_due_soon_deliverables(login, mu, world):
    today = local_today()
    overdue = f.make_deliverable(world.wp1, code="D1.1", due_date=today - timedelta(days=3))
    soon = f.make_deliverable(world.wp1, code="D1.2", due_date=today + timedelta(days=10))
    f.make_deliverable(world.wp1, code="D1.3", due_date=today + timedelta(days=90))
    f.make_deliverable(world.wp1, code="D1.4", due_date=today - timedelta(days=3), status="submitted",
                       submitted_date=today)
    item = login(mu).get("/").context["projects"][0]
    assert item.overdue == [overdue] and item.due_soon == [soon]


def test_dashboard_lists_the_first_due_deliverables_and_counts_them_all(login, mu, world):
    from web.selectors import ATTENTION_LENGTH

    today = local_today()
    overdue = [f.make_deliverable(world.wp1, code=f"D1.{n}", due_date=today - timedelta(days=40 - n))
               for n in range(ATTENTION_LENGTH + 3)]
    soon = f.make_deliverable(world.wp2, code="D2.1", due_date=today + timedelta(days=5))
    response = login(mu).get("/")
    item = response.context["projects"][0]
    assert item.overdue == overdue[:ATTENTION_LENGTH] and item.due_soon == [soon]
    assert (item.overdue_count, item.due_soon_count) == (ATTENTION_LENGTH + 3, 1)
    assert f"see all {ATTENTION_LENGTH + 3} overdue and 1 due soon" in response.content.decode()


def test_dashboard_budget_used_counts_certified_reports_only(login, mu, world):
    from reporting.models import Expenditure, ProgressReport

    f.make_budget_line(world.partner_a, amount=Decimal("1000.00"))
    approved = ProgressReport.objects.create(partner=world.partner_a, period=world.period1, status="approved")
    draft = ProgressReport.objects.create(partner=world.partner_b, period=world.period1)
    for report in (approved, draft):
        Expenditure.objects.create(report=report, cost_category="travel", description="Train", amount=Decimal("100"),
                                   invoice_date=date(2025, 3, 1))
    item = login(mu).get("/").context["projects"][0]
    assert item.money.approved == Decimal("100.00") and item.money.certified == Decimal("0.00")
    assert item.budget_used_percent == Decimal("0.0")  # money counts once certified
    assert "certified reports only" in login(mu).get("/").content.decode()


def test_dashboard_lists_submitted_reports_for_the_mu_and_returned_ones_for_their_reporter(
        login, mu, reporter_a, world):
    from reporting.models import ProgressReport

    submitted = ProgressReport.objects.create(partner=world.partner_b, period=world.period1, status="submitted")
    returned = ProgressReport.objects.create(partner=world.partner_a, period=world.period1, status="returned")
    assert login(mu).get("/").context["projects"][0].reports_waiting == [submitted]
    assert login(reporter_a).get("/").context["projects"][0].reports_waiting == [returned]


def test_feed_shows_viewers_deliverable_changes_only(login, viewer, mu, world):
    from reporting.models import ProgressReport

    f.make_budget_line(world.partner_a)
    ProgressReport.objects.create(partner=world.partner_a, period=world.period1)
    f.make_deliverable(world.wp1, code="D1.9", title="Registry protocol")
    kinds_for_viewer = {entry.kind for entry in login(viewer).get("/").context["feed"]}
    assert kinds_for_viewer == {"deliverable"}
    kinds_for_mu = {entry.kind for entry in login(mu).get("/").context["feed"]}
    assert {"deliverable", "budget line", "progress report"} <= kinds_for_mu


def test_feed_shows_a_reporter_only_its_own_partners_reports(login, reporter_a, world):
    from reporting.models import ProgressReport

    ProgressReport.objects.create(partner=world.partner_a, period=world.period1)
    ProgressReport.objects.create(partner=world.partner_b, period=world.period1)
    labels = [e.label for e in login(reporter_a).get("/").context["feed"] if e.kind == "progress report"]
    assert labels == ["PP1 KU · P1"]


def test_feed_never_shows_other_projects(login, outsider, world):
    f.make_deliverable(world.wp1, code="D1.7")
    feed = login(outsider).get("/").context["feed"]
    assert all(entry.project == world.other_project for entry in feed)


def test_tracker_filters_by_status_and_overdue(login, mu, world):
    today = local_today()
    late = f.make_deliverable(world.wp1, code="D1.1", due_date=today - timedelta(days=1), status="in_progress")
    f.make_deliverable(world.wp2, code="D2.1", due_date=today + timedelta(days=100))
    client = login(mu)
    assert list(client.get(page("web:deliverables", world.project), {"overdue": "true"}).context["deliverables"]) \
        == [late]
    assert list(client.get(page("web:deliverables", world.project), {"status": "in_progress"}).context[
        "deliverables"]) == [late]
    assert [d.code for d in client.get(page("web:deliverables", world.project), {
        "work_package": world.wp2.pk}).context["deliverables"]] == ["D2.1"]


def test_only_the_allowed_next_statuses_are_offered(login, mu, world):
    f.make_deliverable(world.wp1, code="D1.1", status="submitted", submitted_date=date(2026, 1, 1))
    html = login(mu).get(page("web:deliverables", world.project)).content.decode()
    assert '<option value="accepted">' in html and '<option value="revision_requested">' in html
    assert '<option value="cancelled">' not in html.split('id="status-')[1].split("</select>")[0]


def test_non_mu_members_get_no_status_form(login, coordinator, world):
    f.make_deliverable(world.wp1)
    assert "inline-status" not in login(coordinator).get(page("web:deliverables", world.project)).content.decode()


def status_url(world, deliverable):
    return reverse("web:deliverable-status", kwargs={"project_id": world.project.pk, "deliverable_id": deliverable.pk})


def test_mu_changes_a_status_inline_with_htmx(login, mu, world):
    deliverable = f.make_deliverable(world.wp1)
    response = login(mu).post(status_url(world, deliverable), {"status": "in_progress", "version": 1},
                              HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "is now “In progress”" in html and f'id="deliverable-{deliverable.pk}"' in html
    deliverable.refresh_from_db()
    assert (deliverable.status, deliverable.version) == ("in_progress", 2)


def test_stale_version_is_refused_and_writes_nothing(login, mu, world):
    deliverable = f.make_deliverable(world.wp1)
    client = login(mu)
    client.post(status_url(world, deliverable), {"status": "in_progress", "version": 1}, HTTP_HX_REQUEST="true")
    response = client.post(status_url(world, deliverable), {"status": "cancelled", "version": 1},
                           HTTP_HX_REQUEST="true")
    assert "changed by someone else" in response.content.decode()
    deliverable.refresh_from_db()
    assert (deliverable.status, deliverable.version) == ("in_progress", 2)


def test_plain_post_fallback_redirects_back_with_a_message(login, mu, world):
    deliverable = f.make_deliverable(world.wp1)
    response = login(mu).post(status_url(world, deliverable), {"status": "accepted", "version": 1}, follow=True)
    # Back to the tracker, at the row (the message is at the top, the row in view).
    expected = page("web:deliverables", world.project) + f"#deliverable-{deliverable.pk}"
    assert response.redirect_chain[-1][0] == expected
    assert "cannot move to that status" in response.content.decode()
    deliverable.refresh_from_db()
    assert deliverable.status == Deliverable.Status.PLANNED


@pytest.mark.parametrize("persona", ["coordinator", "reporter_a", "viewer"])
def test_members_without_plan_rights_cannot_change_a_status(login, personas, world, persona):
    deliverable = f.make_deliverable(world.wp1)
    response = login(personas[persona]).post(status_url(world, deliverable), {"status": "in_progress", "version": 1})
    assert response.status_code == 403
    deliverable.refresh_from_db()
    assert deliverable.version == 1


def test_stranger_cannot_change_a_status(login, outsider, world):
    deliverable = f.make_deliverable(world.wp1)
    assert login(outsider).post(status_url(world, deliverable), {"status": "in_progress", "version": 1}) \
        .status_code == 404


def test_deliverable_of_another_project_is_404_under_this_projects_url(login, mu, outsider, world):
    foreign = f.make_deliverable(world.other_wp)
    url = reverse("web:deliverable-status", kwargs={"project_id": world.project.pk, "deliverable_id": foreign.pk})
    assert login(mu).post(url, {"status": "in_progress", "version": 1}).status_code == 404


def test_gantt_places_bars_by_month(login, mu, world):
    f.make_activity(world.wp1, title="Kick-off", start_month=2, end_month=4)
    f.make_milestone(world.wp1, code="MS1", due_date=date(2025, 6, 30))
    html = login(mu).get(page("web:workplan", world.project)).content.decode()
    assert 'style="grid-column: 3 / 6"' in html  # A1.1: M2–M4
    assert "◆" in html


def test_login_page_shows_the_product_and_the_demo_hint_only_in_debug(client, db, settings):
    settings.DEBUG = False
    html = client.get("/accounts/login/").content.decode()
    assert "Consortium" in html and "reporter-ku" not in html
    settings.DEBUG = True
    assert "reporter-ku" in client.get("/accounts/login/").content.decode()


def test_password_reset_pages_render(client, db):
    assert client.get("/accounts/password_reset/").status_code == 200
    assert client.post("/accounts/password_reset/", {"email": "nobody@example.org"}).status_code == 302
    assert client.get("/accounts/password_reset/done/").status_code == 200
    assert client.get("/accounts/reset/MQ/bad-token/").status_code == 200
    assert client.get("/accounts/reset/done/").status_code == 200


def test_password_change_and_sign_out(login, mu):
    client = login(mu)
    assert client.get("/accounts/password_change/").status_code == 200
    response = client.post("/accounts/password_change/", {
        "old_password": "pw", "new_password1": "a-Long-new-pass-42", "new_password2": "a-Long-new-pass-42"})
    assert response.url == "/accounts/password_change/done/"
    assert client.post("/accounts/logout/").status_code in (200, 302)
    assert client.get("/").status_code == 302


def test_danish_interface(login, mu, world):
    client = login(mu)
    client.post("/i18n/setlang/", {"language": "da", "next": "/"})
    html = client.get(page("web:workplan", world.project)).content.decode()
    assert "Arbejdsplan" in html and "Leverancer" in html


def make_busy_project(world, count):
    """`count` deliverables (some overdue, some due soon), reports, budget and history for the feed."""
    from reporting.models import Expenditure, ProgressReport

    today = local_today()
    for n in range(count):
        f.make_deliverable(world.wp1 if n % 2 else world.wp2, code=f"D9.{n}",
                           due_date=today + timedelta(days=(n % 7) * 10 - 20))
    f.make_budget_line(world.partner_a, amount=Decimal("5000.00"))
    report = ProgressReport.objects.create(partner=world.partner_a, period=world.period1, status="approved")
    Expenditure.objects.create(report=report, cost_category="staff", description="Staff", amount=Decimal("10"))
    ProgressReport.objects.create(partner=world.partner_b, period=world.period1, status="submitted")


# 16, the approved reports' lump-sum claims (prefetched with their expenditure lines), and for the budget
# the partners (their cost options) and the lump-sum shares; the overdue reports: partners, periods, reports;
# the missing-rate warning and the NOK budgets' conversion: the currencies in use, this month's rates and the
# rates of the budgets' approval months; the budget in force: the projects' current periods and their approved
# budget versions (partners/budget_selectors.py).
# 32 since issue 22: the money by status is summed in the database (reporting.selectors.report_totals, seven queries
# instead of three that loaded every line: +4), and the deliverables needing attention are counted apart from the
# first ATTENTION_LENGTH listed (+1), so that the page does not grow with the data. 31: certified reports' money is
# read as their certificates stored it, one query for the totals after one finding any not stored (-1).
DASHBOARD_QUERIES = 31
# The tracker: + the rescheduling history, + the paginator's COUNT of the filtered list (one page of rows, at most
# web.selectors.TRACKER_PAGE_SIZE, whatever the number of deliverables).
TRACKER_QUERIES = 10


@pytest.mark.parametrize("count", [5, 50])
def test_dashboard_query_count_does_not_grow_with_deliverables(login, mu, world, count, django_assert_num_queries):
    make_busy_project(world, count)
    client = login(mu)
    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get("/")
    assert len(response.context["projects"][0].overdue) > 0


@pytest.mark.parametrize("count", [5, 50])
def test_tracker_query_count_does_not_grow_with_deliverables(login, mu, world, count, django_assert_num_queries):
    make_busy_project(world, count)
    client = login(mu)
    with django_assert_num_queries(TRACKER_QUERIES):
        response = client.get(page("web:deliverables", world.project))
    total = Deliverable.objects.filter(project=world.project).count()
    assert response.context["deliverables"].paginator.count == total
    assert len(response.context["deliverables"]) == min(total, TRACKER_PAGE_SIZE)


@pytest.mark.parametrize(("persona", "shown"), [("mu", True), ("coordinator", True), ("reporter_a", False),
                                                ("viewer", False)])
def test_funder_report_links_only_for_roles_that_export(login, personas, world, persona, shown):
    html = login(personas[persona]).get(page("web:project", world.project)).content.decode()
    assert (f"/api/projects/{world.project.pk}/funder-reports/1.pdf" in html) is shown


def test_funder_report_pdf_link_downloads_a_pdf_for_the_coordinator_signed_in_on_the_web(login, coordinator, world):
    response = login(coordinator).get(f"/api/projects/{world.project.pk}/funder-reports/1.pdf")
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content])[:5] == b"%PDF-"


def test_templates_build_internal_links_with_the_url_tag():
    """A hard-coded path outlives the URL it named; only the 500 page keeps a fixed stylesheet path (see there)."""
    attribute = re.compile(r'\b(?:href|action|src|formaction|hx-[a-z]+)="(/[^"]*)"')
    hard_coded = [
        f"{template.relative_to(settings.BASE_DIR)}: {url}"
        for template in sorted((settings.BASE_DIR / "templates").rglob("*.html"))
        for url in attribute.findall(template.read_text())
        if url != "/static/css/app.css"
    ]
    assert hard_coded == []
