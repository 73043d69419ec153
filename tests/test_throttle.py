"""Sign-in brute force: after 5 wrong passwords for one username from one address, that pair is refused
(429, with Retry-After) for 15 minutes, on the web login and on the API token endpoint alike."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import make_user

PASSWORD = "correct horse battery staple"
ATTACKER = "203.0.113.7"


@pytest.fixture
def member(db):
    user = make_user("nina")
    user.set_password(PASSWORD)
    user.save()
    return user


def web_login(client: Client, password: str, address: str = ATTACKER):
    return client.post("/accounts/login/", {"username": "nina", "password": password}, REMOTE_ADDR=address)


def token(client: APIClient, password: str, address: str = ATTACKER):
    return client.post("/api/auth/token/", {"username": "nina", "password": password}, format="json",
                       REMOTE_ADDR=address)


def test_web_login_refuses_the_sixth_attempt_even_with_the_right_password(member):
    client = Client()
    for _ in range(4):
        assert web_login(client, "wrong").status_code == 200  # the form again, with its error
    locked = web_login(client, "wrong")
    assert locked.status_code == 429
    response = web_login(client, PASSWORD)
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_token_endpoint_refuses_the_sixth_attempt_even_with_the_right_password(member):
    client = APIClient()
    for _ in range(4):
        assert token(client, "wrong").status_code == 400
    assert token(client, "wrong").status_code == 429
    response = token(client, PASSWORD)
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    body = response.json()
    assert body["code"] == "locked_out"
    assert "Try again in 15 minutes" in body["detail"]
    assert "token" not in body


def test_lockout_is_per_username_and_address(member):
    client = APIClient()
    for _ in range(5):
        token(client, "wrong")
    assert token(client, PASSWORD, address="198.51.100.20").status_code == 200
    assert web_login(Client(), PASSWORD, address="198.51.100.20").status_code == 302


def test_forwarded_for_header_does_not_give_a_fresh_address(member):
    client = APIClient()
    for n in range(5):
        client.post("/api/auth/token/", {"username": "nina", "password": "wrong"}, format="json",
                    REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    response = client.post("/api/auth/token/", {"username": "nina", "password": PASSWORD}, format="json",
                           REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 429


def test_a_success_before_the_limit_resets_the_count(member):
    client = APIClient()
    for _ in range(4):
        token(client, "wrong")
    assert token(client, PASSWORD).status_code == 200
    for _ in range(4):
        assert token(client, "wrong").status_code == 400
    assert token(client, PASSWORD).status_code == 200


def test_force_login_is_not_throttled(member):
    client = APIClient()
    for _ in range(5):
        token(client, "wrong")
    web = Client()
    web.force_login(member)
    assert web.get("/").status_code == 200
