"""The deadlines calendar on the web: the personal feed URL to subscribe to, and resetting it.

The key and the feed are reporting/calendar.py's (the same functions as the API's calendar-token/).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from reporting.calendar import calendar_token_get_or_create, calendar_token_reset
from web.errors import ActionForm
from web.views.common import project_context, render_page


def feed_url(request, token) -> str:
    """The absolute URL a calendar application subscribes to (the same the API hands out)."""
    path = reverse("deadlines-ics", kwargs={"project_id": token.project_id})
    return request.build_absolute_uri(f"{path}?token={token.key}")


@login_required
@require_http_methods(["GET", "POST"])
def calendar(request, project_id: int):
    """GET: the feed URL with a copy button and how to subscribe. POST: a new key (the form asked first)."""
    context = project_context(request, project_id)
    project = context["project"]
    form = ActionForm(request.POST or None)
    if request.method == "POST":
        form.call(request, calendar_token_reset, user=request.user, project=project)
        if not form.refused:
            messages.success(request, _("Your calendar link was reset. Subscribe again with the new link; the old "
                                        "one no longer works."))
            return redirect("web:calendar", project_id=project.pk)
    token = calendar_token_get_or_create(user=request.user, project=project)
    return render_page(request, "web/calendar.html", {
        **context, "feed_url": feed_url(request, token), "token": token, "form": form, "section": "overview",
    }, status=form.status_code)
