"""API tokens (django-rest-knox): issued at sign-in, revoked one by one or all at a password change.

Knox keeps only a digest of each token, lets each expire after settings.REST_KNOX["TOKEN_TTL"]
without use, and gives every sign-in its own token, so revoking one client's token leaves the
others working. A new password revokes them all: whoever knew the old one may have taken a token.

Every API request reads its token and user afresh (`TokenAuthentication`, one query): a revoked token,
a deactivated user or an ended membership is refused from the next request on. Nothing of a token or
of a user's rights outlives the request.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save, pre_save
from django.utils import timezone
from knox import auth
from knox.models import AuthToken
from knox.signals import token_expired


class TokenAuthentication(auth.TokenAuthentication):
    """knox's token authentication in one query (the token joined to its user), not two.

    knox also reads all the user's other tokens on every request, to delete the expired ones: a second
    query per API call. Here a request checks only the token it presents — expired, it is deleted and
    refused, as knox does — and a sign-in deletes the user's other expired tokens (`token_create`).
    The digest is still computed and compared for every request.
    """

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            username = auth_token.user.get_username()
            auth_token.delete()
            token_expired.send(sender=self.__class__, username=username, source="auth_token")
            return True
        return False


def token_create(*, user) -> str:
    """A new token for `user`; the only time its text exists outside the client. The user's expired tokens go."""
    AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
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
