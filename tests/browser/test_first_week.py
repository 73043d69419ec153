"""Issue 14 in headless Chromium on the demo data: when submission opens, overdue reports in red, typed text
kept through "Add line", deleting a line asks first, the calendar page, the deliverable row's answer, and every
project tab reachable on a 390 px phone with tables and the Gantt chart scrolling inside their boxes."""

import pytest
from playwright.sync_api import expect

from consortium.models import Project
from partners.models import Partner
from reporting.models import Expenditure, ProgressReport
from workpackages.models import Deliverable

pytestmark = pytest.mark.browser


def repro() -> int:
    return Project.objects.get(acronym="ReproUnion").pk


def lu_draft() -> ProgressReport:
    lu = Partner.objects.get(project__acronym="ReproUnion", organisation__short_name="LU")
    return ProgressReport.objects.get(partner=lu, status="draft")


def test_a_running_periods_draft_says_when_submission_opens(sign_in, live_server):
    page = sign_in("reporter-lu")
    report = lu_draft()  # period 4, running
    page.goto(f"{live_server.url}/projects/{repro()}/reports/{report.pk}/")
    expect(page.locator("#submission-opens")).to_contain_text("Submission opens on")
    expect(page.get_by_role("button", name="Save and submit")).to_have_count(0)


def test_overdue_reports_are_red_in_the_matrix_and_counted(sign_in, live_server):
    page = sign_in("mu")
    card = page.locator(".project-card", has_text="ReproUnion")
    expect(card.locator("dd.overdue-reports")).not_to_have_text("0")
    page.goto(f"{live_server.url}/projects/{repro()}/reports/")
    late = page.locator("table.matrix td.overdue").first
    expect(late).to_contain_text("days late")
    assert int(late.get_attribute("data-days-late")) > 0


def test_typed_text_survives_add_line_and_delete_asks_first(sign_in, live_server):
    page = sign_in("reporter-lu")
    report = lu_draft()
    page.goto(f"{live_server.url}/projects/{repro()}/reports/{report.pk}/")
    page.get_by_label("Summary of the period").fill("Typed, never saved by hand.")
    page.locator("#add-line > summary").click()
    form = page.locator("#add-line form")
    form.get_by_label("Cost category").select_option("external")
    form.get_by_label("Description").fill("Facilitator, kick-off")
    form.get_by_label("Amount (when no invoice total is given)").fill("300.00")
    form.get_by_role("button", name="Add line").click()
    expect(page.locator("#live")).to_contain_text("Line added")
    expect(page.get_by_label("Summary of the period")).to_have_value("Typed, never saved by hand.")
    report.refresh_from_db()
    assert report.summary == "Typed, never saved by hand."

    line = Expenditure.objects.get(report=report, description="Facilitator, kick-off")
    delete = page.locator(f"#line-{line.pk}").get_by_role("link", name="Delete")
    page.once("dialog", lambda dialog: dialog.dismiss())
    delete.click()
    expect(page.locator(f"#line-{line.pk}")).to_be_visible()
    assert Expenditure.objects.filter(pk=line.pk).exists()
    page.once("dialog", lambda dialog: dialog.accept())
    delete.click()
    expect(page.locator("#live")).to_contain_text("Line deleted")
    assert not Expenditure.objects.filter(pk=line.pk).exists()


def test_calendar_page_copies_the_link_and_resets_after_confirmation(sign_in, live_server):
    page = sign_in("mu")
    page.goto(f"{live_server.url}/projects/{repro()}/")
    page.get_by_role("link", name="Get your personal calendar link").click()
    feed = page.get_by_label("Your personal calendar link")
    old = feed.input_value()
    assert "/deadlines.ics?token=" in old
    page.get_by_role("button", name="Copy").click()
    expect(page.locator(".copy-status")).not_to_be_empty()
    expect(page.get_by_role("button", name="Yes, reset the link")).to_be_hidden()
    page.get_by_text("Reset the link…").click()
    page.get_by_role("button", name="Yes, reset the link").click()
    expect(page.locator("#live")).to_contain_text("reset")
    assert page.get_by_label("Your personal calendar link").input_value() != old


def test_a_stale_status_change_answers_at_its_row(sign_in, live_server):
    first = sign_in("mu")
    tracker = f"{live_server.url}/projects/{repro()}/deliverables/"
    first.goto(tracker)
    row = first.locator("tr:has(form.inline-status)").first
    row_id = row.get_attribute("id")
    deliverable = Deliverable.objects.get(pk=int(row_id.removeprefix("deliverable-")))
    assert row.locator("select").input_value() == deliverable.status  # starts on the current status
    second = first.context.new_page()
    second.goto(tracker)
    row.locator("select").select_option(index=1)
    row.get_by_role("button", name="Save").click()
    expect(first.locator(f"#{row_id} .row-message")).to_contain_text("is now")
    stale = second.locator(f"#{row_id}")
    stale.locator("select").select_option(index=1)
    stale.get_by_role("button", name="Save").click()
    expect(second.locator(f"#{row_id} .row-message")).to_contain_text("changed by someone else")
    expect(second.locator("#live")).not_to_contain_text("changed by someone else")


def test_every_project_tab_is_reachable_on_a_390px_phone(sign_in, live_server, screenshot):
    page = sign_in("mu", viewport={"width": 390, "height": 844})
    page.goto(f"{live_server.url}/projects/{repro()}/")
    tabs = page.locator("nav.tabs a")
    names = tabs.all_inner_texts()
    assert "Deliverables" in names and "Reports" in names
    for index in range(tabs.count()):
        page.goto(f"{live_server.url}/projects/{repro()}/")
        tab = page.locator("nav.tabs a").nth(index)
        tab.scroll_into_view_if_needed()
        expect(tab).to_be_in_viewport()
        # Wait for the new document: evaluating while it loads finds no documentElement.
        with page.expect_navigation():
            tab.click()
        # The page itself never scrolls sideways: wide content scrolls inside its own box.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url
    page.goto(f"{live_server.url}/projects/{repro()}/work-plan/")
    box = page.locator(".gantt-scroll")
    assert page.evaluate("el => el.scrollWidth > el.clientWidth", box.element_handle())
    label = page.locator(".gantt-label").nth(1)
    before = label.bounding_box()["x"]
    box.evaluate("el => { el.scrollLeft = 400; }")
    assert abs(label.bounding_box()["x"] - before) < 2  # the labels stay put
    page.goto(f"{live_server.url}/projects/{repro()}/reports/")
    wrap = page.locator(".table-wrap").first
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert wrap.evaluate("el => getComputedStyle(el).overflowX") == "auto"
    screenshot(page, "phone-reports")
