"""Helpers for the API tests: JSON requests as a persona, fresh user objects for query counts."""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient


@pytest.fixture
def as_user():
    """as_user(user) -> an APIClient for a freshly loaded copy of `user` (None: anonymous).

    A fresh copy, so the per-request membership cache starts empty as it does for a real request.
    """

    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(get_user_model().objects.get(pk=user.pk))
        return client

    return make


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The personas and invited users hash passwords; the API tests are not about hashing cost."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
