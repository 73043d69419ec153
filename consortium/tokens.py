"""API tokens (django-rest-knox): issued at sign-in, revoked one by one or all at a password change.

Knox keeps only a digest of each token, lets each expire after settings.REST_KNOX["TOKEN_TTL"]
without use, and gives every sign-in its own token, so revoking one client's token leaves the
others working. A new password revokes them all: whoever knew the old one may have taken a token.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save, pre_save
from knox.models import AuthToken


def token_create(*, user) -> str:
    """A new token for `user`; the only time its text exists outside the client."""
    _instance, token = AuthToken.objects.create(user=user)
    return token


def token_revoke(*, token: AuthToken) -> None:
    token.delete()


def tokens_revoke_all(*, user) -> int:
    deleted, _ = AuthToken.objects.filter(user=user).delete()
    return deleted


def _note_password_change(sender, instance, update_fields=None, **kwargs) -> None:
    """Before a user is saved: is the password hash about to change? (Every way of setting one saves the user:
    the password change and reset pages, the admin, `manage.py changepassword`.)"""
    instance._password_changed = False
    if instance.pk is None or (update_fields is not None and "password" not in update_fields):
        return
    stored = sender.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    instance._password_changed = stored is not None and stored != instance.password


def _revoke_after_password_change(sender, instance, created, **kwargs) -> None:
    if getattr(instance, "_password_changed", False):
        instance._password_changed = False
        tokens_revoke_all(user=instance)


def connect() -> None:
    User = get_user_model()
    pre_save.connect(_note_password_change, sender=User, dispatch_uid="tokens-note-password-change")
    post_save.connect(_revoke_after_password_change, sender=User, dispatch_uid="tokens-revoke-on-password-change")
