"""Under the Content-Security-Policy the pages, htmx and Swagger UI work, and the browser reports no violation."""

import pytest

pytestmark = pytest.mark.browser


def _violations(page) -> list[str]:
    messages = []
    page.on("console", lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None)
    return messages


def test_pages_and_swagger_ui_run_without_a_csp_violation(sign_in, live_server):
    page = sign_in("mu")
    violations = _violations(page)
    page.goto(f"{live_server.url}/")
    project = page.locator("a[href^='/projects/']").first.get_attribute("href")
    for path in (project, f"{project}work-plan/", f"{project}budget-versions/"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".opblock", timeout=15000)
    assert violations == []
    assert page.locator(".opblock").count() > 5  # the operations of the open sections are drawn
