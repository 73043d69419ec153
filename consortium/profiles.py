"""A person's language: the one their e-mails and downloaded documents are written in.

It is the language they last used in the web: stored when they switch language (the top bar or
their settings page) and when they sign in to the web, and read wherever a mail or a document is
made for them.
"""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.functions import Lower
from django.utils import translation

from consortium.errors import DomainError
from consortium.models import Profile


def language_of(user) -> str:
    """`user`'s language (their setting, else the site's default)."""
    if user is None or not user.is_authenticated:
        return settings.LANGUAGE_CODE
    return Profile.objects.filter(user=user).values_list("language", flat=True).first() or settings.LANGUAGE_CODE


def languages_by_email(emails: Iterable[str]) -> dict[str, str]:
    """address (lower case) -> language, for the addresses of users who have one stored."""
    wanted = {email.lower() for email in emails if email}
    if not wanted:
        return {}
    rows = (get_user_model().objects.annotate(address=Lower("email"))
            .filter(address__in=wanted, is_active=True, profile__isnull=False)
            .values_list("address", "profile__language"))
    return dict(rows)


def profile_set_language(*, user, language: str) -> Profile:
    if language not in dict(settings.LANGUAGES):
        raise DomainError(f"Unknown language {language!r}.", field="language")
    profile, _created = Profile.objects.update_or_create(user=user, defaults={"language": language})
    return profile


def remember_web_language(sender, request, user, **kwargs) -> None:
    """On signing in to the web (not on getting an API token), keep the language the web is shown in."""
    match = getattr(request, "resolver_match", None)
    if request is None or (match is not None and match.route.startswith("api/")):
        return
    language = translation.get_language_from_request(request)
    if language in dict(settings.LANGUAGES):
        profile_set_language(user=user, language=language)
