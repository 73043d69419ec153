"""The People page, the profile's memberships and the New project page: the MU's and the administrator's work
with people, through the same services as the API (consortium/invitations.py)."""

import re
from datetime import date

from django.core import mail
from django.test import Client

from consortium.models import Membership, Project, Role
from tests import factories as f


def _people(project):
    return f"/projects/{project.pk}/people/"


def _invite(client, world, **data):
    body = {"invite-email": "nina@example.org", "invite-first_name": "Nina", "invite-last_name": "Holm",
            "invite-role": "reporter", "invite-partner": world.partner_no.pk, **data}
    return client.post(_people(world.project), body)


def _link_path(message) -> str:
    link = re.search(r"https?://\S+", message.body).group(0)
    return "/" + link.split("://", 1)[1].split("/", 1)[1]


def test_the_mu_sees_every_member_with_role_and_partner(as_mu, world, reporter_a, viewer):
    page = as_mu.get(_people(world.project))
    assert page.status_code == 200
    text = page.content.decode()
    assert reporter_a.email in text and viewer.email in text
    assert f'id="member-{Membership.objects.get(user=reporter_a).pk}"' in text
    # The only MU stays: no button ends that membership.
    assert "The last management-unit member stays." in text


def test_an_invited_reporter_follows_the_mail_sets_a_password_and_sees_only_that_project(as_mu, world):
    response = _invite(as_mu, world)
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="nina@example.org")
    assert (membership.role, membership.partner) == (Role.REPORTER, world.partner_no)
    [message] = mail.outbox
    assert message.to == ["nina@example.org"]

    browser = Client()
    page = browser.get(_link_path(message))
    assert page.status_code == 302  # Django swaps the token for a session and redirects to the form
    done = browser.post(page["Location"], {"new_password1": "a long new secret 42",
                                           "new_password2": "a long new secret 42"})
    assert done.status_code == 302
    signed_in = browser.post("/accounts/login/", {"username": "nina@example.org",
                                                   "password": "a long new secret 42"})
    assert signed_in.status_code == 302
    dashboard = browser.get("/").content.decode()
    assert world.project.acronym in dashboard and world.other_project.acronym not in dashboard
    assert browser.get(f"/projects/{world.other_project.pk}/").status_code == 404
    profile = browser.get("/account/").content.decode()
    assert world.project.acronym in profile and "OUS" in profile and "Reporter" in profile


def test_a_reporter_invitation_without_a_partner_is_refused_under_the_field(as_mu, world):
    response = _invite(as_mu, world, **{"invite-partner": ""})
    assert response.status_code == 400
    assert "A reporter must name the partner" in response.content.decode()
    assert not Membership.objects.filter(user__email="nina@example.org").exists()
    assert not mail.outbox


def test_inviting_a_member_again_is_a_conflict(as_mu, world, viewer):
    response = _invite(as_mu, world, **{"invite-email": viewer.email, "invite-role": "viewer"})
    assert response.status_code == 409
    assert "already a member" in response.content.decode()


def test_resending_gives_someone_without_a_password_a_fresh_set_password_link(as_mu, world):
    _invite(as_mu, world)
    membership = Membership.objects.get(user__email="nina@example.org")
    response = as_mu.post(f"{_people(world.project)}{membership.pk}/resend/")
    assert response.status_code == 302
    assert len(mail.outbox) == 2 and "password" in mail.outbox[1].body.lower()
    assert Client().get(_link_path(mail.outbox[1])).status_code == 302


def test_resending_to_someone_with_a_password_sends_the_projects_link(as_mu, world, viewer):
    membership = Membership.objects.get(user=viewer)
    as_mu.post(f"{_people(world.project)}{membership.pk}/resend/")
    [message] = mail.outbox
    assert f"/projects/{world.project.pk}/" in message.body and "password" not in message.body.lower()


def test_changing_a_role_needs_the_version_the_page_showed(as_mu, world, viewer):
    membership = Membership.objects.get(user=viewer)
    url = f"{_people(world.project)}{membership.pk}/"
    prefix = f"member-{membership.pk}"
    ok = as_mu.post(url, {f"{prefix}-role": "reporter", f"{prefix}-partner": world.partner_b.pk,
                          f"{prefix}-version": membership.version})
    assert ok.status_code == 302
    membership.refresh_from_db()
    assert (membership.role, membership.partner, membership.version) == (Role.REPORTER, world.partner_b, 2)
    stale = as_mu.post(url, {f"{prefix}-role": "coordinator", f"{prefix}-version": 1})
    assert stale.status_code == 412
    row = stale.content.decode().split(f'id="member-{membership.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "Changed by someone else meanwhile" in row
    assert '<option value="reporter" selected>' in row and f'name="{prefix}-version" value="2"' in row
    membership.refresh_from_db()
    assert membership.role == Role.REPORTER


def test_ending_a_membership_removes_it_but_the_last_mu_stays(as_mu, mu, world, viewer):
    membership = Membership.objects.get(user=viewer)
    assert as_mu.post(f"{_people(world.project)}{membership.pk}/end/").status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    own = Membership.objects.get(user=mu, project=world.project)
    refused = as_mu.post(f"{_people(world.project)}{own.pk}/end/")
    assert refused.status_code == 409
    assert "at least one management-unit member" in refused.content.decode()
    assert Membership.objects.filter(pk=own.pk).exists()


def test_a_membership_of_another_project_is_not_found_on_this_projects_page(as_mu, world, outsider):
    foreign = Membership.objects.get(user=outsider)
    assert as_mu.post(f"{_people(world.project)}{foreign.pk}/end/").status_code == 404


def test_the_people_tab_shows_for_the_mu_only(as_mu, world, login, coordinator):
    assert _people(world.project) in as_mu.get(f"/projects/{world.project.pk}/").content.decode()
    other = login(coordinator).get(f"/projects/{world.project.pk}/").content.decode()
    assert _people(world.project) not in other


def test_the_profile_lists_every_membership(login, world, outsider):
    f.add_member(outsider, world.project, Role.COORDINATOR)
    page = login(outsider).get("/account/").content.decode()
    assert world.project.acronym in page and world.other_project.acronym in page
    assert "Management unit" in page and "Coordinator" in page


def _new_project(**data):
    return {"acronym": "GAMMA", "title": "Gamma cluster", "start_date": "2026-01-01", "end_date": "2028-06-30",
            "period_months": "12", "email": "lead-mu@example.org", "first_name": "Lea", "last_name": "Mu", **data}


def test_a_superuser_creates_a_project_with_tiled_periods_and_invites_its_first_mu(login, superuser, world):
    client = login(superuser)
    assert client.get("/projects/new/").status_code == 200
    response = client.post("/projects/new/", _new_project(programme=world.project.programme_id))
    project = Project.objects.get(acronym="GAMMA")
    assert response.status_code == 302 and response["Location"] == f"/projects/{project.pk}/"
    periods = list(project.periods.order_by("number").values_list("start_date", "end_date", "report_due_date"))
    assert periods == [(date(2026, 1, 1), date(2026, 12, 31), date(2027, 2, 28)),
                       (date(2027, 1, 1), date(2027, 12, 31), date(2028, 2, 29)),
                       (date(2028, 1, 1), date(2028, 6, 30), date(2028, 8, 31))]
    membership = Membership.objects.get(project=project)
    assert (membership.user.email, membership.role) == ("lead-mu@example.org", Role.MANAGEMENT_UNIT)
    [message] = mail.outbox
    assert message.to == ["lead-mu@example.org"] and "password" in message.body.lower()


def test_a_refused_new_project_creates_nothing(login, superuser, world):
    response = login(superuser).post("/projects/new/", _new_project(programme=world.project.programme_id,
                                                                    end_date="2028-06-15"))
    assert response.status_code == 400
    assert "last day of a month" in response.content.decode()
    assert not Project.objects.filter(acronym="GAMMA").exists() and not mail.outbox


def test_a_period_longer_than_the_project_is_refused_under_its_field(login, superuser, world):
    response = login(superuser).post("/projects/new/", _new_project(programme=world.project.programme_id,
                                                                    period_months="31"))
    assert response.status_code == 400
    assert 'id="field-period_months"' in response.content.decode()
    assert not Project.objects.filter(acronym="GAMMA").exists()


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_people_page_runs_as_many_queries_for_many_members(login, mu, world):
    _queries(login(mu), _people(world.project))  # the first request of a session also records the language
    few = _queries(login(mu), _people(world.project))
    for i in range(20):
        f.add_member(f.make_user(f"member{i}"), world.project, Role.REPORTER, partner=world.partner_b)
    assert _queries(login(mu), _people(world.project)) == few
