"""Dates as Danish and Swedish write them, and the language setting in the user menu, in Chromium."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from consortium.models import Project
from consortium.profiles import language_of

pytestmark = pytest.mark.browser

DANISH_MONTHS = "januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december"
SWEDISH_MONTHS = "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december"


def test_danish_dates_read_like_1_maj_2025_and_swedish_like_1_maj_2025(sign_in, live_server, screenshot):
    repro = Project.objects.get(acronym="ReproUnion")
    page = sign_in("mu")
    page.get_by_label("Language").select_option("da")
    page.get_by_role("button", name="Change language").click()
    page.goto(f"{live_server.url}/projects/{repro.pk}/deliverables/")
    danish_date = re.compile(rf"^\s*\d{{1,2}}\. ({DANISH_MONTHS}) \d{{4}}")
    due_dates = page.locator("table tbody td").filter(has_text=danish_date)
    expect(due_dates.first).to_be_visible()
    expect(page.locator("table tbody")).not_to_contain_text(re.compile(r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug)"))
    screenshot(page, "deliverables-danish-dates")
    assert language_of(get_user_model().objects.get(username="mu")) == "da"

    page.locator("details.usermenu > summary").click()
    page.get_by_role("link", name="Indstillinger").click()
    page.locator("main").get_by_role("combobox", name=re.compile("^Sprog")).select_option("sv")
    page.locator("main").get_by_role("button", name="Gem", exact=True).click()
    expect(page.locator("#live")).to_contain_text("svenska", ignore_case=True)
    page.goto(f"{live_server.url}/projects/{repro.pk}/")
    first_period_start = page.locator("table tbody tr").first.locator("td").first
    expect(first_period_start).to_have_text(re.compile(rf"^1 ({SWEDISH_MONTHS}) \d{{4}}$"))
    assert language_of(get_user_model().objects.get(username="mu")) == "sv"
