"""The MU invites people by e-mail, changes and ends memberships; a project keeps at least one MU."""

import re

import pytest
from django.core import mail
from django.test import Client
from rest_framework.test import APIClient

from consortium.models import Membership
from tests import factories as f


def _invite(client, world, **data):
    body = {"email": "nina@example.org", "first_name": "Nina", "last_name": "Holm", "project": world.project.pk,
            "role": "reporter", "partner": world.partner_no.pk, **data}
    return client.post("/api/users/", body, format="json")


def test_invitation_round_trip_sets_a_password_and_reads_only_the_invited_project(world, mu, api_client):
    response = _invite(api_client(mu), world)
    assert response.status_code == 201, response.json()
    assert response.json()["username"] == "nina@example.org"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nina@example.org"]
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]

    browser = Client()
    page = browser.get(f"/{path}")
    assert page.status_code == 302  # Django swaps the token for a session and redirects
    form = browser.get(page["Location"])
    assert form.status_code == 200
    done = browser.post(page["Location"], {"new_password1": "a long new secret 42",
                                           "new_password2": "a long new secret 42"})
    assert done.status_code == 302

    token = APIClient().post("/api/auth/token/", {"username": "nina@example.org",
                                                  "password": "a long new secret 42"}, format="json")
    assert token.status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    projects = client.get("/api/projects/").json()
    assert [p["id"] for p in projects["results"]] == [world.project.pk]


def test_an_existing_user_just_gains_the_membership(world, mu, outsider, api_client):
    response = _invite(api_client(mu), world, email=outsider.email, role="viewer", partner=None)
    assert response.status_code == 201
    assert response.json()["id"] == outsider.pk
    assert Membership.objects.get(user=outsider, project=world.project).role == "viewer"
    assert "added" in mail.outbox[0].subject and "password" not in mail.outbox[0].body.lower()
    assert outsider.has_usable_password() and outsider.check_password("pw")


def test_inviting_a_member_again_is_a_conflict(world, mu, viewer, api_client):
    response = _invite(api_client(mu), world, email=viewer.email, role="viewer", partner=None)
    assert response.status_code == 409


def test_a_reporter_invitation_must_name_a_partner_of_the_project(world, mu, api_client):
    response = _invite(api_client(mu), world, partner=None)
    assert response.status_code == 400 and "partner" in response.json()["fields"]


@pytest.mark.parametrize("persona", ["coordinator", "reporter_a", "viewer"])
def test_only_the_mu_invites(persona, world, personas, api_client):
    assert _invite(api_client(personas[persona]), world).status_code == 403
    assert not mail.outbox


def test_users_list_shows_only_people_of_my_mu_projects(world, personas, api_client):
    rows = api_client(personas["mu"]).get("/api/users/").json()["results"]
    assert {r["username"] for r in rows} == {"mu", "coordinator", "reporter-a", "reporter-b", "viewer"}


def test_mu_changes_a_role_with_the_version(world, mu, viewer, api_client):
    membership = Membership.objects.get(user=viewer, project=world.project)
    url = f"/api/memberships/{membership.pk}/"
    assert api_client(mu).patch(url, {"role": "coordinator"}, format="json").status_code == 428
    response = api_client(mu).patch(url, {"role": "reporter", "partner": world.partner_b.pk, "version": 1},
                                    format="json")
    assert response.status_code == 200, response.json()
    assert (response.json()["role"], response.json()["partner"]) == ("reporter", world.partner_b.pk)


def test_the_last_mu_membership_cannot_end_or_change(world, mu, api_client):
    membership = Membership.objects.get(user=mu, project=world.project)
    url = f"/api/memberships/{membership.pk}/"
    assert api_client(mu).delete(url).status_code == 409
    assert api_client(mu).patch(url, {"role": "viewer", "version": 1}, format="json").status_code == 409
    other_mu = f.make_user("second-mu")
    f.add_member(other_mu, world.project, "management_unit")
    assert api_client(mu).delete(url).status_code == 204


def test_mu_cannot_touch_memberships_of_other_projects(world, mu, outsider, api_client):
    membership = Membership.objects.get(user=outsider, project=world.other_project)
    assert api_client(mu).delete(f"/api/memberships/{membership.pk}/").status_code == 404
