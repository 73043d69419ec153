"""The paged lists in a real browser on a phone: the tracker's page links keep the filter and an inline status change
on page 2 swaps its row in place; the report matrix's period window and partner pages. Small page sizes make the
demo's lists several pages long."""

import pytest
from playwright.sync_api import expect

from consortium.models import Project
from web import selectors
from workpackages.models import Deliverable

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def small_pages(monkeypatch):
    # The live server runs in this process: its pages read the sizes at each request.
    monkeypatch.setattr(selectors, "TRACKER_PAGE_SIZE", 2)
    monkeypatch.setattr(selectors, "MATRIX_PARTNERS_PER_PAGE", 2)
    monkeypatch.setattr(selectors, "MATRIX_PERIODS", 2)


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_tracker_pages_keep_the_filter_and_a_status_changes_inline_on_page_two(sign_in, live_server, screenshot,
                                                                               small_pages):
    project = Project.objects.get(acronym="ReproUnion")
    wp = project.work_packages.order_by("number").first()
    assert Deliverable.objects.filter(project=project, work_package=wp).count() > 2, "the demo's WP1 needs 2 pages"
    page = sign_in("mu", viewport=PHONE)
    page.goto(f"{live_server.url}/projects/{project.pk}/deliverables/?work_package={wp.pk}")
    nav = page.locator("nav.pagination")
    expect(nav).to_be_visible()
    nav.get_by_role("link", name="Next →").click()
    page.wait_for_url(f"**/deliverables/?work_package={wp.pk}&page=2#deliverables")
    expect(page.locator(".page-count")).to_contain_text("Showing 3–")
    assert fits(page)
    screenshot(page, "deliverables-page-2-phone")

    row = page.locator("tr:has(form.inline-status)").first
    row_id = row.get_attribute("id")
    row.locator("select").select_option(index=1)
    row.get_by_role("button", name="Save").click()
    expect(page.locator(f"#{row_id} .row-message")).to_contain_text("is now")
    assert page.url.endswith(f"?work_package={wp.pk}&page=2#deliverables")  # swapped in place, no reload
    assert all(code.startswith(f"D{wp.number}.") for code in page.locator("table.tracker th[scope=row]")
               .all_inner_texts())


def test_matrix_window_and_partner_pages_on_a_phone(sign_in, live_server, screenshot, small_pages):
    project = Project.objects.get(acronym="ReproUnion")
    page = sign_in("mu", viewport=PHONE)
    page.goto(f"{live_server.url}/projects/{project.pk}/reports/")
    expect(page.locator("table.matrix")).to_be_visible()
    assert page.locator("table.matrix tbody tr").count() == 2
    assert fits(page)
    screenshot(page, "matrix-paged-phone")
    page.locator("nav[aria-label='Pages of the list']").get_by_role("link", name="Next →").click()
    page.wait_for_url("**/reports/?page=2#matrix")
    window = page.locator("nav.period-window")
    if window.count():  # the demo has more periods than the window: earlier ones keep the page of partners
        link = window.get_by_role("link").first
        link.click()
        page.wait_for_url("**until=*")
        assert "page=2" in page.url
    assert fits(page)
