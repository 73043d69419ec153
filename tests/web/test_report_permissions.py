"""Every report page × every persona: who gets 200, 302, 403 or 404 (another partner's report is a 404)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consortium.uploads import attach_file
from tests.web.report_helpers import report_url

PERSONAS = ["mu", "coordinator", "reporter_a", "reporter_b", "viewer", "outsider"]


def get(client, user, url):
    client.force_login(user)
    return client.get(url).status_code


@pytest.mark.parametrize(("persona", "expected"), [
    ("mu", 200), ("coordinator", 200), ("reporter_a", 200), ("reporter_b", 404), ("viewer", 403), ("outsider", 404),
])
def test_report_page_status_by_role(client, personas, new_draft, persona, expected, expense):
    assert get(client, personas[persona], report_url(new_draft)) == expected


@pytest.mark.parametrize(("persona", "expected"), [
    ("mu", 200), ("coordinator", 200), ("reporter_a", 200), ("reporter_b", 404), ("viewer", 403), ("outsider", 404),
])
def test_line_page_status_by_role(client, personas, new_draft, persona, expected, expense):
    line = expense
    assert get(client, personas[persona], report_url(new_draft, "web:report-line", line_id=line.pk)) == expected


@pytest.mark.parametrize(("persona", "expected"), [
    ("mu", 200), ("coordinator", 200), ("reporter_a", 200), ("reporter_b", 404), ("viewer", 403), ("outsider", 404),
])
def test_invoice_download_status_by_role(client, personas, new_draft, reporter_a, persona, expected, expense):
    line = expense
    attach_file(instance=line, file_field="attachment", name_field="attachment_name", user=reporter_a,
                uploaded=SimpleUploadedFile("invoice.pdf", b"%PDF-1.4 invoice", content_type="application/pdf"))
    url = report_url(new_draft, "web:report-line-attachment", line_id=line.pk)
    assert get(client, personas[persona], url) == expected


@pytest.mark.parametrize(("persona", "expected"), [
    ("mu", 200), ("coordinator", 403), ("reporter_a", 403), ("reporter_b", 404), ("viewer", 403), ("outsider", 404),
])
def test_review_page_status_by_role(client, personas, submitted, persona, expected):
    assert get(client, personas[persona], report_url(submitted, "web:review")) == expected


@pytest.mark.parametrize(("persona", "expected"), [
    ("mu", 200), ("coordinator", 403), ("reporter_a", 403), ("reporter_b", 403), ("viewer", 403), ("outsider", 200),
])
def test_review_queue_is_for_the_management_unit_only(client, personas, persona, expected):
    assert get(client, personas[persona], reverse("web:review-queue")) == expected


def test_review_queue_lists_only_the_users_own_projects(client, mu, outsider, submitted):
    client.force_login(mu)
    assert list(client.get(reverse("web:review-queue")).context["reports"]) == [submitted]
    client.force_login(outsider)  # the MU of another project
    assert list(client.get(reverse("web:review-queue")).context["reports"]) == []


@pytest.mark.parametrize(("persona", "expected"), [
    ("mu", 200), ("coordinator", 403), ("reporter_a", 200), ("reporter_b", 403), ("viewer", 403), ("outsider", 404),
])
def test_start_page_status_by_role(client, personas, world, persona, expected):
    url = reverse("web:report-start", kwargs={"project_id": world.project.pk, "partner_id": world.partner_a.pk})
    assert get(client, personas[persona], url) == expected


@pytest.mark.parametrize(("persona", "expected"), [
    ("mu", 302), ("coordinator", 403), ("reporter_a", 302), ("reporter_b", 302), ("viewer", 403), ("outsider", 404),
])
def test_my_report_shortcut_status_by_role(client, personas, world, persona, expected):
    assert get(client, personas[persona], reverse("web:my-report", args=[world.project.pk])) == expected


@pytest.mark.parametrize(("persona", "expected"), [
    ("mu", 200), ("coordinator", 200), ("reporter_a", 403), ("reporter_b", 403), ("viewer", 403), ("outsider", 404),
])
def test_project_report_page_status_by_role(client, personas, world, persona, expected):
    assert get(client, personas[persona], reverse("web:project-report", args=[world.project.pk, 1])) == expected


def test_anonymous_is_sent_to_login_from_every_report_page(client, new_draft, world, expense):
    line = expense
    urls = [report_url(new_draft), report_url(new_draft, "web:review"),
            report_url(new_draft, "web:report-line", line_id=line.pk),
            reverse("web:review-queue"), reverse("web:project-report", args=[world.project.pk, 1]),
            reverse("web:report-start", args=[world.project.pk, world.partner_a.pk]),
            reverse("web:my-report", args=[world.project.pk])]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), url


def test_reporter_of_b_gets_404_on_every_write_to_as_report(client, reporter_b, new_draft, expense):
    line = expense
    client.force_login(reporter_b)
    posts = [report_url(new_draft), report_url(new_draft, "web:report-line-add"),
             report_url(new_draft, "web:report-import"),
             report_url(new_draft, "web:report-line", line_id=line.pk),
             report_url(new_draft, "web:report-line-delete", line_id=line.pk),
             report_url(new_draft, "web:report-line-attachment", line_id=line.pk)]
    for url in posts:
        assert client.post(url, {"summary": "mine now", "version": new_draft.version}).status_code == 404, url
    new_draft.refresh_from_db()
    assert new_draft.summary == "" and new_draft.expenditures.count() == 1


def test_coordinator_may_read_but_not_change_a_report(client, coordinator, new_draft, expense):
    client.force_login(coordinator)
    response = client.post(report_url(new_draft), {"summary": "coordinator text", "version": new_draft.version})
    assert response.status_code == 403
    assert "report-form" not in client.get(report_url(new_draft)).content.decode()


def test_coordinator_may_not_approve(client, coordinator, submitted):
    client.force_login(coordinator)
    assert client.post(report_url(submitted, "web:review"), {"approve": "1"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
