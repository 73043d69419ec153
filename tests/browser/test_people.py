"""Issue 20 in headless Chromium on the demo data: the MU invites a reporter for SUS on ReproUnion's People page;
the reporter follows the link in the invitation e-mail, chooses a password, signs in and sees only ReproUnion.
On the page, the partner field shows only while "Reporter" is chosen (static/js/people.js)."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from consortium.models import Membership, Project
from partners.models import Partner

pytestmark = pytest.mark.browser

PASSWORD = "Öresund bridge 2026"


def test_the_mu_invites_a_reporter_who_signs_in_and_sees_only_that_project(sign_in, live_server, settings, chromium,
                                                                           screenshot):
    settings.SITE_URL = live_server.url
    repro = Project.objects.get(acronym="ReproUnion")

    mu = sign_in("mu")
    mu.goto(f"{live_server.url}/projects/{repro.pk}/")
    mu.get_by_role("navigation", name="Project sections").get_by_role("link", name="People").click()
    invite = mu.locator("form.role-form", has=mu.get_by_role("button", name="Invite"))
    invite.get_by_label("E-mail").fill("sara.lind@example.org")
    invite.get_by_label("First name").fill("Sara")
    invite.get_by_label("Last name").fill("Lind")
    partner = invite.get_by_label("Partner")
    invite.get_by_label("Role").select_option("viewer")
    expect(partner).to_be_hidden()
    invite.get_by_label("Role").select_option("reporter")
    expect(partner).to_be_visible()
    sus = Partner.objects.get(project=repro, organisation__short_name="SUS")
    partner.select_option(label=f"{sus.code} SUS")
    invite.get_by_role("button", name="Invite").click()
    expect(mu.locator(".messages, [role=status], .message").first).to_contain_text("sara.lind@example.org")
    row = mu.locator("tr", has_text="sara.lind@example.org")
    expect(row).to_contain_text("Invited, no password yet")
    screenshot(mu, "people-invited")

    [message] = [m for m in mail.outbox if m.to == ["sara.lind@example.org"]]
    [link] = re.findall(r"https?://\S+", message.body)
    assert link.startswith(f"{live_server.url}/")

    context = chromium.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.goto(link)
        expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
        page.locator("input[name=new_password1]").fill(PASSWORD)
        page.locator("input[name=new_password2]").fill(PASSWORD)
        page.get_by_role("button", name="Set the new password").click()
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill("sara.lind@example.org")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/")
        cards = page.locator(".project-card h3")
        expect(cards).to_have_count(1)
        expect(cards).to_have_text("ReproUnion")
        page.goto(f"{live_server.url}/account/")
        expect(page.locator("section", has_text="Your projects")).to_contain_text("SUS")
        other = Project.objects.get(acronym="DiaUnion")
        assert page.goto(f"{live_server.url}/projects/{other.pk}/").status == 404
        screenshot(page, "people-reporter-profile")
    finally:
        context.close()
    assert Membership.objects.get(user__email="sara.lind@example.org").partner.organisation.short_name == "SUS"
