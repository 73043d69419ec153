"""Changes to the plan's money from the web: the management unit marks a lump sum achieved.

The rest of the plan is edited through the API and the admin; marking a lump sum achieved is the step
in the reporting cycle that lets the partners' next reports claim their shares, so it is on the partners
page, next to the lump sum.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consortium.permissions import Right, require
from partners import services
from web import selectors
from web.plan_forms import LumpSumAchievedForm
from web.views.common import project_context
from web.views.pages import render_partners


@login_required
@require_POST
def lump_sum_achieved(request, project_id: int, lump_sum_id: int):
    """Mark a lump sum achieved on a date, with its evidence (the API's PATCH of achieved_date and evidence)."""
    context = project_context(request, project_id)
    lump_sum = selectors.lump_sum_of(context["project"], lump_sum_id)
    require(request.user, Right.EDIT_PLAN, context["project"].pk, "Only the management unit marks a lump sum "
                                                                  "achieved.")
    form = LumpSumAchievedForm(request.POST, lump_sum=lump_sum)
    if form.is_valid():
        form.call(request, services.lump_sum_update, lump_sum=lump_sum,
                  expected_version=form.cleaned_data["version"], data=form.service_data())
        if not form.refused:
            messages.success(request, _("%(name)s is marked achieved: each partner's next report claims its share.")
                             % {"name": lump_sum.name})
            return redirect(reverse("web:partners", args=[context["project"].pk]) + f"#lump-sum-{lump_sum.pk}")
    return render_partners(request, context, achieved_form=form, status=form.status_code)
