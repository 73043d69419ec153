"""Issue 14's pages through the test client: when submission opens, the overdue matrix and counts, deleting a
line asks first, the calendar page, the deliverable row's answer, the admin's choices."""

from datetime import date

from django.urls import reverse
from django.utils.formats import date_format

from consortium.models import CalendarFeedToken, local_today
from reporting import services
from reporting.models import Expenditure
from tests import factories as f
from tests.web.report_helpers import report_url
from workpackages.models import Deliverable


def test_the_report_of_a_running_period_says_when_submission_opens(login, reporter_a, world, new_draft, expense):
    report = services.report_create(partner=world.partner_a, period=world.period2, user=reporter_a)
    page = login(reporter_a).get(report_url(report)).content.decode()
    assert 'id="submission-opens"' in page and date_format(date(2027, 1, 1), "DATE_FORMAT") in page
    assert 'name="submit"' not in page
    ended = new_draft
    page = login(reporter_a).get(report_url(ended)).content.decode()
    assert 'id="submission-opens"' not in page and 'name="submit"' in page


def test_the_matrix_marks_overdue_reports_with_their_days_late(login, mu, world):
    page = login(mu).get(reverse("web:reports", args=[world.project.pk])).content.decode()
    late = (local_today() - world.period1.report_due_date).days
    assert page.count('class="overdue"') == 3  # period 1 of each partner, due 31.03.2026
    assert f'data-days-late="{late}"' in page and f"{late} days late" in page


def test_dashboard_and_overview_count_overdue_reports(login, mu, reporter_a, world):
    dashboard = login(mu).get("/")
    item = next(i for i in dashboard.context["projects"] if i.project == world.project)
    assert item.overdue_reports == 3
    overview = login(mu).get(reverse("web:project", args=[world.project.pk]))
    assert overview.context["figures"].overdue_reports == 3
    as_reporter = login(reporter_a).get(reverse("web:project", args=[world.project.pk]))
    assert as_reporter.context["figures"].overdue_reports == 1  # their own partner's only


def test_deleting_a_line_asks_first_on_its_own_page(login, reporter_a, world, new_draft, expense):
    report = new_draft
    expenditure = report.expenditures.get()
    url = reverse("web:report-line-delete", args=[world.project.pk, report.pk, expenditure.pk])
    client = login(reporter_a)
    editor = client.get(report_url(report)).content.decode()
    assert f'href="{url}"' in editor and "data-confirm=" in editor
    page = client.get(url)
    assert page.status_code == 200 and "Delete this expenditure line?" in page.content.decode()
    assert Expenditure.objects.filter(pk=expenditure.pk).exists()
    response = client.post(url)
    assert response.status_code == 302 and not Expenditure.objects.filter(pk=expenditure.pk).exists()


def test_the_delete_page_is_for_writers_only(login, coordinator, reporter_a, world, new_draft, expense):
    report = new_draft
    url = reverse("web:report-line-delete", args=[world.project.pk, report.pk, report.expenditures.get().pk])
    assert login(coordinator).get(url).status_code == 403


def test_calendar_page_shows_the_feed_url_and_resets_it(login, viewer, world):
    client = login(viewer)
    url = reverse("web:calendar", args=[world.project.pk])
    page = client.get(url)
    token = CalendarFeedToken.objects.get(user=viewer, project=world.project)
    feed = f"http://testserver/api/projects/{world.project.pk}/deadlines.ics?token={token.key}"
    text = page.content.decode()
    assert page.context["feed_url"] == feed and f'value="{feed}"' in text
    assert "Outlook" in text and "Google Calendar" in text and "Yes, reset the link" in text
    old = token.key
    assert client.post(url).status_code == 302
    token.refresh_from_db()
    assert token.key != old
    assert client.get(f"/api/projects/{world.project.pk}/deadlines.ics?token={old}").status_code == 404
    overview = client.get(reverse("web:project", args=[world.project.pk])).content.decode()
    assert f'href="{url}"' in overview


def test_calendar_page_is_a_404_for_strangers(login, outsider, world):
    assert login(outsider).get(reverse("web:calendar", args=[world.project.pk])).status_code == 404


def test_deliverable_select_starts_on_the_current_status(login, mu, world):
    deliverable = f.make_deliverable(world.wp1, code="D1.1", status="in_progress")
    page = login(mu).get(reverse("web:deliverables", args=[world.project.pk])).content.decode()
    assert '<option value="in_progress" selected>' in page
    url = reverse("web:deliverable-status", args=[world.project.pk, deliverable.pk])
    response = login(mu).post(url, {"status": "in_progress", "version": deliverable.version}, HTTP_HX_REQUEST="true")
    assert "stays" in response.content.decode()
    assert Deliverable.objects.get(pk=deliverable.pk).version == deliverable.version


def test_a_stale_status_change_answers_at_its_row(login, mu, world):
    deliverable = f.make_deliverable(world.wp1, code="D1.1", status="in_progress")
    url = reverse("web:deliverable-status", args=[world.project.pk, deliverable.pk])
    login(mu).post(url, {"status": "submitted", "version": deliverable.version}, HTTP_HX_REQUEST="true")
    response = login(mu).post(url, {"status": "submitted", "version": deliverable.version}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.startswith(f'<tr id="deliverable-{deliverable.pk}"') and 'hx-swap-oob' not in body
    assert "changed by someone else" in body and "row-message" in body and "row-refused" in body


def test_admin_choices_are_the_edited_objects_project_only(client, superuser, world):
    client.force_login(superuser)
    deliverable = f.make_deliverable(world.wp1, code="D1.1")
    form = client.get(reverse("admin:workpackages_deliverable_change", args=[deliverable.pk])).context["adminform"].form
    assert {p.project_id for p in form.fields["lead_partner"].queryset} == {world.project.pk}
    assert {wp.project_id for wp in form.fields["work_package"].queryset} == {world.project.pk}
    add = client.get(reverse("admin:workpackages_deliverable_add")).context["adminform"].form
    assert {p.project_id for p in add.fields["lead_partner"].queryset} == {world.project.pk, world.other_project.pk}


def test_admin_budget_line_chooses_among_its_projects_partners(client, superuser, world):
    client.force_login(superuser)
    line = f.make_budget_line(world.partner_a, budget_version=f.make_draft_budget_version(world.project))
    form = client.get(reverse("admin:partners_budgetline_change", args=[line.pk])).context["adminform"].form
    assert {p.project_id for p in form.fields["partner"].queryset} == {world.project.pk}


def test_admin_organisation_list_sorts_by_the_short_name_it_shows(client, superuser, world):
    client.force_login(superuser)
    f.make_organisation(name="Aarhus University", short_name="ZAU")
    rows = client.get(reverse("admin:partners_organisation_changelist")).context["cl"].result_list
    names = [o.short_name for o in rows]
    assert names == sorted(names)
