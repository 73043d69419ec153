"""The provider's endpoints: each from the environment if given, else from the discovery document.

The discovery document (`<issuer>/.well-known/openid-configuration`) is read when the first sign-in
needs it, not at start-up, so neither importing the settings nor a site without OIDC touches the network.
"""

from dataclasses import dataclass
from functools import lru_cache

import requests
from django.conf import settings

from sso.errors import SignInRefused


@dataclass(frozen=True)
class Endpoints:
    authorization: str
    token: str
    userinfo: str
    jwks: str


# Endpoints field -> (setting naming it explicitly, key of the discovery document).
SOURCES = {
    "authorization": ("OIDC_AUTHORIZATION_ENDPOINT", "authorization_endpoint"),
    "token": ("OIDC_TOKEN_ENDPOINT", "token_endpoint"),
    "userinfo": ("OIDC_USERINFO_ENDPOINT", "userinfo_endpoint"),
    "jwks": ("OIDC_JWKS_ENDPOINT", "jwks_uri"),
}


def endpoints() -> Endpoints:
    explicit = {field: getattr(settings, name) for field, (name, _) in SOURCES.items()}
    if all(explicit.values()):
        return Endpoints(**explicit)
    document = discovery_document(settings.OIDC_ISSUER)
    resolved = {field: explicit[field] or document.get(key, "") for field, (_, key) in SOURCES.items()}
    if missing := [SOURCES[field][1] for field, url in resolved.items() if not url]:
        raise SignInRefused("unavailable", detail=f"the discovery document lacks {', '.join(missing)}")
    return Endpoints(**resolved)


@lru_cache(maxsize=8)
def discovery_document(issuer: str) -> dict:
    """The provider's metadata, once per process and issuer (a failure is not cached: the next sign-in retries)."""
    url = f"{issuer.rstrip('/')}/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise SignInRefused("unavailable", detail=f"{url}: {exc}") from exc
    # OpenID Connect Discovery 4.3: a document naming another issuer must not be used.
    if document.get("issuer") != issuer:
        raise SignInRefused("unavailable", detail=f"{url} names the issuer {document.get('issuer')!r}")
    return document
