"""Switch OIDC on against the local provider (tests/sso/provider.py), with settings alone."""

import socket

import pytest

from tests.sso.helpers import switch_oidc_on
from tests.sso.provider import LocalProvider, new_rsa_key


@pytest.fixture(scope="session")
def provider_key():
    return new_rsa_key()


@pytest.fixture
def oidc(settings, provider_key, db):
    """A running local provider, and this site configured to sign in with it."""
    with LocalProvider(client_id="consortium", client_secret="client-secret", key=provider_key) as provider:
        switch_oidc_on(settings, provider.issuer, client_id=provider.client_id, client_secret=provider.client_secret)
        yield provider


@pytest.fixture
def closed_port() -> int:
    """A local port nothing listens on: a provider that cannot be reached."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
