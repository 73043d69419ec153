"""What a locked-out sign-in gets (django-axes' AXES_LOCKOUT_CALLABLE).

After AXES_FAILURE_LIMIT wrong passwords for one username from one address, both the web login
and the API token endpoint refuse that pair, right password or not, for AXES_COOLOFF_TIME. The
API answers in its one JSON error shape; the web answers with a page saying when to try again.
Both are 429 with Retry-After.
"""

from axes.helpers import get_cool_off
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from consortium.api.errors import error_body


def lockout_response(request, original_response=None, credentials=None):
    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else 0
    message = _("Too many failed sign-in attempts for this account from your address. "
                "Try again in %(minutes)d minutes, or reset your password.") % {"minutes": minutes}
    if request.path.startswith("/api/"):
        response = JsonResponse(error_body(message, "locked_out"), status=429)
    else:
        response = render(request, "registration/locked_out.html", {"message": message}, status=429)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
