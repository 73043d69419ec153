"""A person's own page: their projects and roles, and their settings (the language of the web, their e-mails and
their downloaded documents)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from consortium.profiles import language_of, profile_set_language
from web import selectors
from web.forms import LanguageForm
from web.views.common import render_page


def _with_language(response, language: str):
    """The browser keeps the choice (Django's language cookie, as its set_language view sets it)."""
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
                        path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
                        secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                        samesite=settings.LANGUAGE_COOKIE_SAMESITE)
    return response


def _safe_next(request, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse("web:dashboard")


@require_POST
def set_language(request):
    """The top bar's language switch, signed in or not; a signed-in person's choice is also their setting."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return redirect(_safe_next(request, request.POST.get("next", "")))
    language = form.cleaned_data["language"]
    if request.user.is_authenticated:
        form.call(request, profile_set_language, user=request.user, language=language)
    return _with_language(HttpResponseRedirect(_safe_next(request, form.cleaned_data["next"])), language)


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    """The user menu's "Settings": their memberships (project, role, partner); the language for the web, e-mails
    and the funder report."""
    form = LanguageForm(request.POST or None, initial={"language": language_of(request.user)})
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        form.call(request, profile_set_language, user=request.user, language=language)
        if not form.refused:
            with translation.override(language):
                messages.success(request, _("Saved: e-mails, documents and these pages are now in %(language)s.")
                                 % {"language": dict(settings.LANGUAGES)[language]})
            return _with_language(redirect("web:account"), language)
    return render_page(request, "web/account.html", {
        "form": form, "memberships": selectors.my_memberships(request.user)}, status=form.status_code)
