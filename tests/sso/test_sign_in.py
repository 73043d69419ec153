"""Single sign-on with OpenID Connect against a local provider: who is linked, who is refused, and that a site
without OIDC shows no trace of it while local passwords keep working."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.test import APIClient

from consortium.invitations import user_invite
from consortium.models import Role
from sso.models import OIDCIdentity
from tests import factories as f
from tests.sso.helpers import PROVIDER_NAME, sign_in, signed_in_user_id, switch_oidc_on
from tests.sso.provider import new_rsa_key

User = get_user_model()


def refusal_page(client, response) -> str:
    """The sign-in page the refused person lands on, with its message."""
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page.content.decode()


@pytest.fixture
def invited(mu, world):
    """Invited by the MU: a user with this e-mail address and no usable password."""
    user, _ = user_invite(invited_by=mu, email="Anna.Berg@region.example", first_name="Anna", last_name="Berg",
                          project=world.project, role=Role.VIEWER)
    assert not user.has_usable_password()
    return user


def test_invited_user_signs_in_is_linked_and_later_matched_by_subject(oidc, invited):
    oidc.person = {"sub": "entra-0001", "email": "anna.berg@REGION.example", "email_verified": True}
    client = Client()

    response = sign_in(client, oidc)

    assert response.status_code == 302 and response["Location"] == "/"
    assert signed_in_user_id(client) == str(invited.pk)
    assert client.get("/").status_code == 200
    identity = OIDCIdentity.objects.get()
    assert (identity.user, identity.issuer, identity.subject) == (invited, oidc.issuer, "entra-0001")

    # The provider now reports another address: the subject, not the e-mail, decides who signs in.
    oidc.person = {"sub": "entra-0001", "email": "anna@new-address.example", "email_verified": True}
    again = Client()
    response = sign_in(again, oidc)
    assert response.status_code == 302 and response["Location"] == "/"
    assert signed_in_user_id(again) == str(invited.pk)
    assert OIDCIdentity.objects.count() == 1


def test_sign_in_returns_to_the_page_asked_for(oidc, invited, world):
    oidc.person = {"sub": "s-1", "email": invited.email, "email_verified": True}
    client = Client()
    response = sign_in(client, oidc, next_url=f"/projects/{world.project.pk}/")
    assert response["Location"] == f"/projects/{world.project.pk}/"


@pytest.mark.parametrize("asserted", [False, "true", None], ids=["false", "a string", "absent"])
def test_unverified_email_is_not_linked(oidc, invited, asserted):
    oidc.person = {"sub": "s-unverified", "email": invited.email}
    if asserted is not None:
        oidc.person["email_verified"] = asserted
    client = Client()

    page = refusal_page(client, sign_in(client, oidc))

    assert "has not confirmed your e-mail address" in page
    assert signed_in_user_id(client) is None
    assert not OIDCIdentity.objects.exists()
    assert not AccessAttempt.objects.exists()  # a provider's answer is no failed password


def test_unknown_email_creates_no_user(oidc, world):
    users = User.objects.count()
    oidc.person = {"sub": "s-stranger", "email": "stranger@elsewhere.example", "email_verified": True}
    client = Client()

    page = refusal_page(client, sign_in(client, oidc))

    assert "No account here belongs to stranger@elsewhere.example" in page
    assert signed_in_user_id(client) is None
    assert User.objects.count() == users
    assert not OIDCIdentity.objects.exists()


@pytest.mark.parametrize("impostor", [
    "another issuer", "another signing key", "another audience", "expired", "another nonce",
    "userinfo about another subject",
])
def test_a_token_that_does_not_verify_is_refused(oidc, invited, impostor):
    oidc.person = {"sub": "s-1", "email": invited.email, "email_verified": True}
    now = int(time.time())
    if impostor == "another signing key":
        oidc.signing_key = new_rsa_key()
    elif impostor == "userinfo about another subject":
        oidc.userinfo_claims = {"sub": "s-2"}
    else:
        oidc.id_token_claims = {
            "another issuer": {"iss": "https://login.impostor.example"},
            "another audience": {"aud": "some-other-client"},
            "expired": {"iat": now - 3600, "exp": now - 1800},
            "another nonce": {"nonce": "replayed-from-another-sign-in"},
        }[impostor]
    client = Client()

    page = refusal_page(client, sign_in(client, oidc))

    assert "could not be verified" in page
    assert signed_in_user_id(client) is None
    assert not OIDCIdentity.objects.exists()


def test_superuser_is_never_linked_automatically(oidc, superuser):
    oidc.person = {"sub": "s-root", "email": superuser.email, "email_verified": True}
    client = Client()

    page = refusal_page(client, sign_in(client, oidc))

    assert "Administrator accounts are linked" in page
    assert signed_in_user_id(client) is None
    assert not OIDCIdentity.objects.exists()


def test_superuser_signs_in_through_a_link_made_by_hand(oidc, superuser):
    OIDCIdentity.objects.create(user=superuser, issuer=oidc.issuer, subject="s-root")
    oidc.person = {"sub": "s-root", "email": superuser.email, "email_verified": True}
    client = Client()
    assert sign_in(client, oidc)["Location"] == "/"
    assert signed_in_user_id(client) == str(superuser.pk)


def test_a_second_identity_for_a_linked_user_is_refused(oidc, invited):
    OIDCIdentity.objects.create(user=invited, issuer=oidc.issuer, subject="s-first")
    oidc.person = {"sub": "s-second", "email": invited.email, "email_verified": True}
    client = Client()
    assert "already linked to another" in refusal_page(client, sign_in(client, oidc))
    assert signed_in_user_id(client) is None


def test_an_address_shared_by_two_users_is_not_linked(oidc, world):
    f.make_user("anna", email="anna@region.example")
    f.make_user("anna2", email="ANNA@region.example")
    oidc.person = {"sub": "s-1", "email": "anna@region.example", "email_verified": True}
    client = Client()
    assert "More than one account here uses anna@region.example" in refusal_page(client, sign_in(client, oidc))
    assert not OIDCIdentity.objects.exists()


def test_a_deactivated_user_is_signed_out_and_cannot_sign_in_again(oidc, invited):
    oidc.person = {"sub": "s-1", "email": invited.email, "email_verified": True}
    client = Client()
    sign_in(client, oidc)
    invited.is_active = False
    invited.save()
    assert client.get("/").status_code == 302  # to the sign-in page
    assert "is not active" in refusal_page(client, sign_in(client, oidc))


def test_switching_oidc_off_ends_the_sessions_it_opened(oidc, invited, settings):
    oidc.person = {"sub": "s-1", "email": invited.email, "email_verified": True}
    client = Client()
    sign_in(client, oidc)
    settings.OIDC_ENABLED = False
    settings.AUTHENTICATION_BACKENDS = [
        path for path in settings.AUTHENTICATION_BACKENDS if path != "sso.backends.ProviderBackend"
    ]
    assert client.get("/").status_code == 302


def test_sign_out_ends_the_local_session_without_calling_the_provider(oidc, invited):
    oidc.person = {"sub": "s-1", "email": invited.email, "email_verified": True}
    client = Client()
    sign_in(client, oidc)
    calls = len(oidc.requests)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert signed_in_user_id(client) is None
    assert len(oidc.requests) == calls


def test_cancelling_at_the_provider_lands_on_the_sign_in_page(oidc):
    client = Client()
    start = client.get("/accounts/oidc/authenticate/")
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    page = refusal_page(client, client.get("/accounts/oidc/callback/", {"error": "access_denied", "state": state}))
    assert "was not completed" in page


def test_an_unreachable_provider_is_a_message_not_an_error(settings, db, closed_port):
    switch_oidc_on(settings, f"http://127.0.0.1:{closed_port}")
    client = Client()
    page = refusal_page(client, client.get("/accounts/oidc/authenticate/"))
    assert "could not be reached" in page


def test_endpoints_given_in_the_environment_skip_the_discovery_document(oidc, invited, settings):
    settings.OIDC_AUTHORIZATION_ENDPOINT = f"{oidc.issuer}/authorize"
    settings.OIDC_TOKEN_ENDPOINT = f"{oidc.issuer}/token"
    settings.OIDC_USERINFO_ENDPOINT = f"{oidc.issuer}/userinfo"
    settings.OIDC_JWKS_ENDPOINT = f"{oidc.issuer}/jwks"
    oidc.person = {"sub": "s-1", "email": invited.email, "email_verified": True}
    client = Client()
    assert sign_in(client, oidc)["Location"] == "/"
    assert "/.well-known/openid-configuration" not in oidc.requests


def test_an_endpoint_given_in_the_environment_wins_over_the_discovered_one(oidc, invited, settings, closed_port):
    settings.OIDC_JWKS_ENDPOINT = f"http://127.0.0.1:{closed_port}/keys"
    oidc.person = {"sub": "s-1", "email": invited.email, "email_verified": True}
    client = Client()
    assert "could not be reached" in refusal_page(client, sign_in(client, oidc))
    assert "/.well-known/openid-configuration" in oidc.requests and "/jwks" not in oidc.requests


def test_sign_in_page_offers_the_provider_when_oidc_is_on(oidc):
    page = Client().get("/accounts/login/?next=/projects/1/").content.decode()
    assert f"Sign in with {PROVIDER_NAME}" in page
    assert 'href="/accounts/oidc/authenticate/?next=/projects/1/"' in page


def test_with_oidc_off_the_sign_in_page_has_no_trace_of_it_and_its_urls_are_404(settings, db):
    settings.OIDC_PROVIDER_NAME = PROVIDER_NAME  # configured, but not switched on
    assert settings.OIDC_ENABLED is False
    assert "sso.backends.ProviderBackend" not in settings.AUTHENTICATION_BACKENDS
    client = Client()

    page = client.get("/accounts/login/").content.decode()

    assert "Region Sk" not in page
    assert "oidc" not in page.lower()
    assert "sign in with" not in page.lower()
    assert 'class="sso' not in page
    assert client.get("/accounts/oidc/authenticate/").status_code == 404
    assert client.get("/accounts/oidc/callback/", {"code": "c", "state": "s"}).status_code == 404


def test_local_password_and_api_token_still_work_with_oidc_on(oidc):
    user = f.make_user("nina")
    user.set_password("correct horse battery staple")
    user.save()
    client = Client()
    response = client.post("/accounts/login/", {"username": "nina", "password": "correct horse battery staple"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert signed_in_user_id(client) == str(user.pk)

    token = APIClient().post("/api/auth/token/", {"username": "nina", "password": "correct horse battery staple"},
                             format="json")
    assert token.status_code == 200 and token.json()["token"]
    assert oidc.requests == []  # passwords never involve the provider


def test_password_lockout_still_applies_and_a_provider_sign_in_clears_it(oidc):
    user = f.make_user("nina", email="nina@region.example")
    user.set_password("correct horse battery staple")
    user.save()
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"username": "nina", "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": "nina", "password": "correct horse battery staple"})
    assert locked.status_code == 429
    assert signed_in_user_id(client) is None

    # The provider authenticated her, so the password lockout does not stand in the way, and her success
    # clears the failures as a right password would.
    oidc.person = {"sub": "s-nina", "email": user.email, "email_verified": True}
    assert sign_in(client, oidc)["Location"] == "/"
    assert signed_in_user_id(client) == str(user.pk)
    client.post("/accounts/logout/")
    response = client.post("/accounts/login/", {"username": "nina", "password": "correct horse battery staple"})
    assert response.status_code == 302
