"""Password-reset requests are limited per address, per account and per client, silently.

Past a limit the form answers exactly as always (no account enumeration) and no mail goes out.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from consortium.models import PasswordResetRequest
from tests.factories import make_user

ATTACKER = "203.0.113.7"


@pytest.fixture
def nina(db):
    user = make_user("nina", email="nina@example.org")
    user.set_password("correct horse battery staple")
    user.save()
    return user


def ask(email: str, address: str = ATTACKER):
    response = Client().post("/accounts/password_reset/", {"email": email}, REMOTE_ADDR=address)
    assert response.status_code == 302 and response["Location"] == "/accounts/password_reset/done/"
    return response


def test_three_mails_an_hour_per_address_then_silence(nina):
    for _ in range(5):
        ask("nina@example.org")
    assert len(mail.outbox) == 3
    assert PasswordResetRequest.objects.filter(sent=False).count() == 2


def test_the_limit_is_per_account_whatever_the_spelling_and_the_client(nina):
    ask("nina@example.org", "198.51.100.1")
    ask("NINA@example.org", "198.51.100.2")
    ask("Nina@Example.org", "198.51.100.3")
    ask("nina@EXAMPLE.ORG", "198.51.100.4")
    assert len(mail.outbox) == 3


def test_an_hour_later_a_reset_is_sent_again(nina):
    for _ in range(3):
        ask("nina@example.org")
    PasswordResetRequest.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    ask("nina@example.org")
    assert len(mail.outbox) == 4
    assert PasswordResetRequest.objects.count() == 1  # older requests are forgotten


def test_a_client_probing_many_addresses_is_ignored_past_its_limit(nina, settings):
    settings.PASSWORD_RESET_LIMIT_PER_CLIENT = 5
    for n in range(5):
        ask(f"someone{n}@example.org")
    ask("nina@example.org")
    assert mail.outbox == []
    ask("nina@example.org", address="198.51.100.20")  # Nina herself, from elsewhere
    assert len(mail.outbox) == 1


def test_unknown_and_refused_requests_answer_alike(nina):
    for _ in range(3):
        ask("nina@example.org")
    refused = ask("nina@example.org")
    unknown = ask("nobody@example.org", address="198.51.100.30")
    assert refused["Location"] == unknown["Location"]
    assert len(mail.outbox) == 3
