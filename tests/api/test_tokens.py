"""API tokens: one per sign-in, revoked by DELETE /api/auth/token/ and by a new password, expiring when idle."""

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import make_user

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a brand new passphrase 42"


@pytest.fixture
def nina(db):
    user = make_user("nina", email="nina@example.org")
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(password: str = PASSWORD):
    return APIClient().post("/api/auth/token/", {"username": "nina", "password": password}, format="json")


def with_token(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def works(token: str) -> bool:
    status = with_token(token).get("/api/programmes/").status_code
    assert status in (200, 401)
    return status == 200


def test_each_sign_in_gets_its_own_working_token(nina):
    first, second = sign_in().json()["token"], sign_in().json()["token"]
    assert first != second and works(first) and works(second)


def test_tokens_are_stored_only_as_digests(nina):
    token = sign_in().json()["token"]
    stored = AuthToken.objects.get(user=nina)
    assert token not in (stored.digest, stored.token_key) and token.startswith(stored.token_key)


def test_delete_revokes_the_token_of_that_request_only(nina):
    laptop, phone = sign_in().json()["token"], sign_in().json()["token"]
    response = with_token(laptop).delete("/api/auth/token/")
    assert response.status_code == 204 and response.content == b""
    assert not works(laptop) and works(phone)
    assert with_token(laptop).delete("/api/auth/token/").status_code == 401
    fresh = sign_in().json()["token"]
    assert fresh not in (laptop, phone) and works(fresh)


def test_delete_needs_a_token(nina):
    assert APIClient().delete("/api/auth/token/").status_code == 401
    web = APIClient()
    web.force_login(nina)
    response = web.delete("/api/auth/token/")
    assert response.status_code == 400 and response.json()["code"] == "no_token"


def test_a_password_reset_revokes_every_token(nina):
    tokens = [sign_in().json()["token"] for _ in range(2)]
    browser = Client()
    browser.post("/accounts/password_reset/", {"email": "nina@example.org"})
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    confirm = browser.get(urlsplit(link).path)
    assert confirm.status_code == 302
    done = browser.post(confirm["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert not any(works(token) for token in tokens)
    assert sign_in(PASSWORD).status_code == 400
    fresh = sign_in(NEW_PASSWORD).json()["token"]
    assert fresh not in tokens and works(fresh)


def test_a_password_change_on_the_web_revokes_every_token(nina):
    token = sign_in().json()["token"]
    browser = Client()
    browser.force_login(nina)
    response = browser.post("/accounts/password_change/", {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert not works(token)
    assert browser.get("/").status_code == 200  # the web session that changed it stays signed in


def test_a_password_set_elsewhere_revokes_tokens_too(nina):
    """The admin and `manage.py changepassword` call set_password() and save(), as here."""
    token = sign_in().json()["token"]
    nina.set_password(NEW_PASSWORD)
    nina.save()
    assert not works(token)


def test_saving_a_user_without_a_new_password_keeps_the_tokens(nina):
    token = sign_in().json()["token"]
    nina.first_name = "Nina"
    nina.save()
    call_command("createsuperuser", "--noinput", username="root", email="root@example.org")
    assert works(token)


def test_a_token_unused_for_the_idle_time_expires(nina, settings):
    token = sign_in().json()["token"]
    AuthToken.objects.filter(user=nina).update(expiry=timezone.now() - timedelta(seconds=1))
    assert not works(token)
    assert not AuthToken.objects.filter(user=nina).exists()  # an expired token is deleted when presented


def test_each_use_moves_the_expiry_on_by_the_idle_time(nina, settings):
    token = sign_in().json()["token"]
    soon = timezone.now() + timedelta(hours=1)
    AuthToken.objects.filter(user=nina).update(expiry=soon)
    assert works(token)
    expiry = AuthToken.objects.get(user=nina).expiry
    assert expiry - timezone.now() > timedelta(days=29)


def test_the_idle_time_comes_from_the_environment():
    environment = {**os.environ, "API_TOKEN_IDLE_DAYS": "7"}
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from knox.settings import knox_settings; print(knox_settings.TOKEN_TTL.days, knox_settings.AUTO_REFRESH)"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)
    assert result.stdout.splitlines()[-1].split() == ["7", "True"], result.stderr
