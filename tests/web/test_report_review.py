"""The management unit's side through the Django test client: queue, return with a comment, approve,
the project report narrative; and the links from the dashboard and the report matrix."""

from django.urls import reverse

from reporting.models import ProjectReport
from tests.web.report_helpers import report_url


def test_review_page_shows_summary_invoices_and_history(as_mu, submitted):
    response = as_mu.get(report_url(submitted, "web:review"))
    page = response.content.decode()
    assert "Kick-off held." in page and "Train to Lund" in page and "99.87" in page
    assert [entry["action"] for entry in response.context["history"]][:2] == ["created", "created"]
    assert "Provisional" not in page  # every rate is frozen once submitted


def test_return_needs_a_comment(as_mu, submitted):
    response = as_mu.post(report_url(submitted, "web:review"), {"return": "1", "comment": "  "})
    assert response.status_code == 400
    assert response.context["form"].errors["comment"] == ["Say what the partner must change: a comment is required."]
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_returned_report_shows_the_comment_to_the_reporter_and_is_editable_again(as_mu, client, reporter_a, submitted):
    response = as_mu.post(report_url(submitted, "web:review"), {"return": "1", "comment": "Attach the DSB invoice."})
    assert response.url == reverse("web:review-queue")
    client.force_login(reporter_a)
    page = client.get(report_url(submitted)).content.decode()
    assert "Returned by the management unit" in page and "Attach the DSB invoice." in page
    assert 'id="report-form"' in page
    dashboard = client.get("/").content.decode()
    assert "Report for period 1: returned — see comments" in dashboard


def test_approve_makes_the_report_read_only_forever(as_mu, submitted):
    as_mu.post(report_url(submitted, "web:review"), {"approve": "1", "comment": ""})
    submitted.refresh_from_db()
    assert submitted.status == "approved"
    again = as_mu.post(report_url(submitted, "web:review"), {"return": "1", "comment": "too late"})
    assert again.status_code == 409
    submitted.refresh_from_db()
    assert submitted.status == "approved"


def test_report_matrix_links_each_report(as_mu, world, submitted):
    page = as_mu.get(reverse("web:reports", args=[world.project.pk])).content.decode()
    assert f'href="{report_url(submitted)}"' in page


def test_reporter_dashboard_card_offers_to_start_the_open_period(client, reporter_a, world):
    client.force_login(reporter_a)
    page = client.get("/").content.decode()
    start = reverse("web:report-start", args=[world.project.pk, world.partner_a.pk])
    assert "Report for period 1: start" in page and f'href="{start}"' in page


def test_mu_writes_the_project_report_narrative_and_a_stale_tab_is_refused(as_mu, world):
    url = reverse("web:project-report", args=[world.project.pk, 1])
    assert as_mu.post(url, {"highlights": "Kick-off in Lund.", "version": ""}).status_code == 302
    saved = ProjectReport.objects.get(project=world.project, period=world.period1)
    assert saved.highlights == "Kick-off in Lund."
    assert as_mu.post(url, {"highlights": "Second tab", "version": ""}).status_code == 409
    assert as_mu.post(url, {"highlights": "Edited", "version": saved.version}).status_code == 302
    saved.refresh_from_db()
    assert saved.highlights == "Edited"


def test_coordinator_reads_but_cannot_write_the_project_report(client, coordinator, world):
    client.force_login(coordinator)
    url = reverse("web:project-report", args=[world.project.pk, 1])
    assert client.post(url, {"highlights": "mine"}).status_code == 403
    assert not ProjectReport.objects.exists()
