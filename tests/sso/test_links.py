"""The linking rule itself (sso.services.identity_sign_in), and links made by hand in the admin."""

import pytest
from django.urls import reverse

from sso.errors import SignInRefused
from sso.models import OIDCIdentity
from sso.services import identity_sign_in
from tests import factories as f
from tests.sso.helpers import switch_oidc_on

ISSUER = "https://login.region.example/v2.0"


@pytest.fixture
def configured(settings, db):
    switch_oidc_on(settings, ISSUER)


def test_an_identity_from_another_issuer_is_neither_linked_nor_matched(configured):
    user = f.make_user("anna", email="anna@region.example")
    OIDCIdentity.objects.create(user=user, issuer="https://old-provider.example", subject="s-1")
    with pytest.raises(SignInRefused) as refused:
        identity_sign_in(issuer="https://old-provider.example", subject="s-1", email=user.email, email_verified=True)
    assert refused.value.reason == "not_verified"
    with pytest.raises(SignInRefused):
        identity_sign_in(issuer="https://impostor.example", subject="s-2", email=user.email, email_verified=True)
    assert OIDCIdentity.objects.count() == 1


def test_an_inactive_user_is_not_linked(configured):
    f.make_user("anna", email="anna@region.example", is_active=False)
    with pytest.raises(SignInRefused) as refused:
        identity_sign_in(issuer=ISSUER, subject="s-1", email="anna@region.example", email_verified=True)
    assert refused.value.reason == "no_account"
    assert not OIDCIdentity.objects.exists()


def test_superuser_links_an_identity_by_hand_with_the_configured_issuer_proposed(configured, client, superuser):
    client.force_login(superuser)
    add = client.get(reverse("admin:sso_oidcidentity_add"))
    assert add.status_code == 200
    assert add.context["adminform"].form.initial["issuer"] == ISSUER
    response = client.post(reverse("admin:sso_oidcidentity_add"),
                           {"user": superuser.pk, "issuer": ISSUER, "subject": "root-at-region"})
    assert response.status_code == 302
    assert OIDCIdentity.objects.get().user == superuser


def test_mu_staff_cannot_see_or_make_links(configured, client, mu):
    mu.is_staff = True
    mu.save()
    client.force_login(mu)
    assert client.get(reverse("admin:sso_oidcidentity_changelist")).status_code == 403
    assert client.get(reverse("admin:sso_oidcidentity_add")).status_code == 403
