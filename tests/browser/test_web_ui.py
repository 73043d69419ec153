"""The web interface in a real browser: sign-in per role, inline status with a stale tab, money hidden
from viewers, 404 for strangers, the Danish UI, the funder report download, and screenshots."""

import re

import pytest
from playwright.sync_api import expect

from consortium.models import Project
from workpackages.models import Deliverable

pytestmark = pytest.mark.browser


def project_id(acronym: str) -> int:
    return Project.objects.get(acronym=acronym).pk


def project_cards(page) -> set[str]:
    return set(page.locator(".project-card h3").all_inner_texts())


@pytest.mark.parametrize(("username", "projects"), [
    ("mu", {"ReproUnion", "DiaUnion"}),
    ("coordinator", {"ReproUnion"}),
    ("reporter-lu", {"ReproUnion"}),
    ("viewer", {"DiaUnion"}),
])
def test_each_role_signs_in_and_sees_exactly_its_projects(sign_in, username, projects):
    page = sign_in(username)
    expect(page.get_by_role("heading", name="Your projects")).to_be_visible()
    assert project_cards(page) == projects


def test_wrong_password_is_refused_on_the_login_form(chromium, live_server, demo):
    page = chromium.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("mu")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".form-errors")).to_be_visible()
    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    page.close()


def test_mu_changes_a_status_inline_and_a_stale_tab_is_refused(sign_in, live_server):
    first = sign_in("mu")
    tracker = f"{live_server.url}/projects/{project_id('ReproUnion')}/deliverables/"
    first.goto(tracker)
    row = first.locator("tr:has(form.inline-status)").first
    row_id = row.get_attribute("id")
    deliverable = Deliverable.objects.get(pk=int(row_id.removeprefix("deliverable-")))
    second = first.context.new_page()
    second.goto(tracker)

    assert row.locator("select").input_value() == deliverable.status  # the select starts on the current status
    row.locator("select").select_option(index=1)
    new_status = row.locator("select").input_value()
    row.get_by_role("button", name="Save").click()
    expect(first.locator(f"#{row_id} .row-message")).to_contain_text("is now")
    expect(first.locator(f"#{row_id} .status-cell")).to_contain_text(
        str(Deliverable.Status(new_status).label))
    changed = Deliverable.objects.get(pk=deliverable.pk)
    assert (changed.status, changed.version) == (new_status, deliverable.version + 1)

    second.locator(f"#{row_id} select").select_option(index=1)
    second.locator(f"#{row_id}").get_by_role("button", name="Save").click()
    expect(second.locator(f"#{row_id} .row-message")).to_contain_text("changed by someone else")
    after = Deliverable.objects.get(pk=deliverable.pk)
    assert (after.status, after.version) == (changed.status, changed.version)


def test_status_change_works_without_javascript(chromium, live_server, demo):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("mu")
    page.get_by_label("Password").fill("demo")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/projects/{project_id('DiaUnion')}/deliverables/")
    row = page.locator("tr:has(form.inline-status)").first
    pk = int(row.get_attribute("id").removeprefix("deliverable-"))
    before = Deliverable.objects.get(pk=pk)
    row.locator("select").select_option(index=1)
    row.get_by_role("button", name="Save").click()
    expect(page.locator("#live")).to_contain_text("is now")
    assert Deliverable.objects.get(pk=pk).version == before.version + 1
    context.close()


def test_viewer_sees_no_money_anywhere(sign_in, live_server):
    page = sign_in("viewer")
    dia = project_id("DiaUnion")
    urls = ["/"] + [f"/projects/{dia}/{section}" for section in
                    ("", "partners/", "work-plan/", "deliverables/", "milestones/")]
    for url in urls:
        page.goto(f"{live_server.url}{url}")
        text = page.locator("body").inner_text()
        for money in ("€", "EUR", "Co-financing", "co-financing", "Budget", "ERDF"):
            assert money not in text, (url, money)
    page.goto(f"{live_server.url}/projects/{dia}/reports/")
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()


def test_reporter_typing_another_projects_url_gets_the_404_page(sign_in, live_server):
    page = sign_in("reporter-lu")
    response = page.goto(f"{live_server.url}/projects/{project_id('DiaUnion')}/deliverables/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()


def test_danish_interface_after_switching_language(sign_in, live_server):
    page = sign_in("mu")
    page.get_by_label("Language").select_option("da")
    page.get_by_role("button", name="Change language").click()
    expect(page.get_by_role("heading", name="Dine projekter")).to_be_visible()
    page.goto(f"{live_server.url}/projects/{project_id('ReproUnion')}/work-plan/")
    tabs = page.get_by_role("navigation", name="Projektets sider")
    expect(tabs.get_by_role("link", name="Leverancer")).to_be_visible()
    expect(tabs.get_by_role("link", name="Arbejdsplan")).to_be_visible()


def test_coordinator_downloads_the_funder_report_pdf(sign_in, live_server):
    page = sign_in("coordinator")
    page.goto(f"{live_server.url}/projects/{project_id('ReproUnion')}/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF").first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


@pytest.mark.parametrize(("device", "viewport"), [
    ("desktop", {"width": 1280, "height": 800}),
    ("phone", {"width": 390, "height": 844}),
])
def test_screenshots_of_dashboard_work_plan_and_tracker(sign_in, live_server, screenshot, device, viewport):
    """The pages fit the screen's width (wide tables and the Gantt chart scroll inside their own box)."""
    page = sign_in("mu", viewport=viewport)

    def fits_the_screen():
        return page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    screenshot(page, f"dashboard-{device}")
    assert fits_the_screen()
    repro = project_id("ReproUnion")
    page.goto(f"{live_server.url}/projects/{repro}/work-plan/")
    expect(page.locator(".gantt-bar.wp").first).to_be_visible()
    screenshot(page, f"work-plan-{device}")
    assert fits_the_screen()
    page.goto(f"{live_server.url}/projects/{repro}/deliverables/")
    expect(page.locator("table.tracker")).to_be_visible()
    screenshot(page, f"deliverables-{device}")
    assert fits_the_screen()
    assert re.search(r"D\d+\.\d+", page.locator("table.tracker").inner_text())
