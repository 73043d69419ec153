"""A workflow e-mail's link, followed in Chromium by the person it was sent to, opens their page.

The MU returns LU's submitted period-3 report with a comment on the review page; reporter-lu gets
the mail, signs in and opens the link in it: LU's report with the MU's comment. The links start with
SITE_URL, here the live server's address (as `make run` passes its own port).
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from partners.models import Partner
from reporting.models import ProgressReport

pytestmark = pytest.mark.browser


def test_reporter_follows_the_return_mail_to_their_report(sign_in, live_server, settings, screenshot):
    settings.SITE_URL = live_server.url
    lu = Partner.objects.get(project__acronym="ReproUnion", organisation__short_name="LU")
    report = ProgressReport.objects.get(partner=lu, status="submitted")

    mu = sign_in("mu")
    mu.goto(f"{live_server.url}/reviews/")
    mu.locator(f"#review-{report.pk}").get_by_role("link", name="Review").click()
    mu.get_by_label("Comment to the partner").fill("Please attach the Lund workshop minutes.")
    mu.get_by_role("button", name="Return to partner").click()
    expect(mu.locator("#live")).to_contain_text("returned")

    [message] = [m for m in mail.outbox if m.to == ["reporter-lu@example.org"]]
    [link] = re.findall(r"https?://\S+", message.body)
    assert link.startswith(f"{live_server.url}/")

    reporter = sign_in("reporter-lu")
    response = reporter.goto(link)
    assert response.status == 200
    expect(reporter.locator(".report-head h2")).to_contain_text(f"period {report.period.number}")
    expect(reporter.locator(".report-head h2")).to_contain_text("LU")
    expect(reporter.locator("#review-comment")).to_contain_text("Lund workshop minutes")
    screenshot(reporter, "mail-link-returned-report")
