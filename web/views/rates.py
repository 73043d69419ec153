"""The site administrator's upload of the Commission's monthly rates (InforEuro), read by reporting/rates.py."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from reporting.models import ExchangeRate
from reporting.rates import rates_upload
from web.errors import ServiceFormMixin
from web.views.common import render_page


class RatesForm(ServiceFormMixin, forms.Form):
    file = forms.FileField(label=gettext_lazy("InforEuro file (.json) or CSV (currency,month,rate)"))
    month = forms.DateField(label=gettext_lazy("Month of an InforEuro file"), required=False,
                            input_formats=["%Y-%m"], widget=forms.DateInput(attrs={"type": "month"}))


@login_required
@require_http_methods(["GET", "POST"])
def exchange_rates(request):
    """GET: the latest rates and the upload form; POST: load a month's file, all or nothing."""
    if not request.user.is_superuser:
        raise PermissionDenied(_("Only a site administrator loads the Commission's rates."))
    form = RatesForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        count = form.call(request, rates_upload, name=upload.name, content=upload.read(),
                          month=form.cleaned_data["month"], user=request.user)
        if not form.refused:
            messages.success(request, _("%(count)s exchange rates loaded.") % {"count": count})
            return redirect("web:exchange-rates")
    return render_page(request, "web/exchange_rates.html", {
        "form": form, "rates": ExchangeRate.objects.order_by("-month", "currency")[:36],
    }, status=form.status_code)
