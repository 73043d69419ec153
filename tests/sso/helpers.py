"""Drive a sign-in through the local provider as a browser would, and switch OIDC on with settings."""

import urllib.error
import urllib.request
from urllib.parse import urlsplit

PROVIDER_NAME = "Region Skåne account"


def switch_oidc_on(settings, issuer: str, *, client_id: str = "consortium", client_secret: str = "client-secret"):
    settings.OIDC_ENABLED = True
    settings.OIDC_ISSUER = issuer
    settings.OIDC_PROVIDER_NAME = PROVIDER_NAME
    settings.OIDC_RP_CLIENT_ID = client_id
    settings.OIDC_RP_CLIENT_SECRET = client_secret
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "sso.backends.ProviderBackend"]


class _KeepRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the redirect back goes to the Django test client, not over HTTP


def visit_provider(url: str) -> str:
    """What the browser does at the provider: open its authorize URL, and return where it redirects to."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _KeepRedirect)
    try:
        opener.open(url, timeout=5)
    except urllib.error.HTTPError as answer:
        assert answer.code == 302, answer.read()
        return answer.headers["Location"]
    raise AssertionError("the provider did not redirect back")


def sign_in(client, provider, *, next_url: str | None = None):
    """The browser's round trip: our authenticate URL, the provider's authorize URL, our callback."""
    start = client.get("/accounts/oidc/authenticate/", {"next": next_url} if next_url else {})
    assert start.status_code == 302
    assert start["Location"].startswith(f"{provider.issuer}/authorize?")
    back = urlsplit(visit_provider(start["Location"]))
    assert (back.scheme, back.netloc, back.path) == ("http", "testserver", "/accounts/oidc/callback/")
    return client.get(f"{back.path}?{back.query}")


def signed_in_user_id(client) -> str | None:
    return client.session.get("_auth_user_id")
