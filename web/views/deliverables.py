"""The deliverable tracker and its inline status change (htmx, with a plain POST fallback)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from consortium.permissions import Right
from web import selectors
from web.forms import DeliverableFilterForm, DeliverableStatusForm
from web.views.common import project_context, render_page
from workpackages import access
from workpackages.filters import DeliverableFilter
from workpackages.services import deliverable_set_status


@login_required
def tracker(request, project_id: int):
    context = project_context(request, project_id)
    project = context["project"]
    found = DeliverableFilter(request.GET, queryset=selectors.deliverables(project))
    # One page of the filtered list: a project's 300 deliverables are not one page; a page number out of range
    # (or not a number) shows the last (or first) page, as Paginator.get_page decides.
    page = Paginator(found.qs, selectors.TRACKER_PAGE_SIZE).get_page(request.GET.get("page"))
    return render_page(request, "web/project_deliverables.html", {
        **context,
        "filters": DeliverableFilterForm(request.GET or None, project=project),
        "deliverables": page,
        "list_query": request.GET.urlencode(),
        "section": "deliverables",
    })


def _list_query(request) -> str:
    """The tracker's filters and page the row's form was sent from, re-encoded (never more than a query string),
    so that the status change without JavaScript returns to the same page of the same list."""
    return QueryDict(request.POST.get("list_query", "")).urlencode()


@login_required
@require_POST
def change_status(request, project_id: int, deliverable_id: int):
    """Move one deliverable along its lifecycle with the version the page showed; a stale one writes nothing."""
    context = project_context(request, project_id, right=Right.EDIT_PLAN)
    deliverable = access.deliverable_or_404(request.user, deliverable_id, right=Right.EDIT_PLAN,
                                            project_id=context["project"].pk, queryset=selectors.deliverables(
                                                context["project"]))
    form = DeliverableStatusForm(request.POST)
    ok = False
    if not form.is_valid():
        message = _("Choose a status.")
    elif (form.cleaned_data["status"] == deliverable.status
          and form.cleaned_data["version"] == deliverable.version):
        message, ok = _("%(code)s stays “%(status)s”: choose another status to move it.") % {
            "code": deliverable.code, "status": deliverable.get_status_display()}, True
    else:
        sent_version = form.cleaned_data["version"]
        changed = form.call(None, deliverable_set_status, deliverable=deliverable,
                            status=form.cleaned_data["status"], expected_version=sent_version)
        if changed is not None:
            deliverable, ok = changed, True
            message = _("%(code)s is now “%(status)s”.") % {
                "code": deliverable.code, "status": deliverable.get_status_display()}
        else:
            deliverable.refresh_from_db()
            # A stale page may offer a move that the current status forbids: the stale page is the real cause.
            if deliverable.version != sent_version:
                message = _("%(code)s was changed by someone else meanwhile: it is now “%(status)s”, as shown. "
                            "Nothing was saved; choose again if it still needs to move.") % {
                    "code": deliverable.code, "status": deliverable.get_status_display()}
            else:
                message = _("%(code)s cannot move to that status.") % {"code": deliverable.code}
    list_query = _list_query(request)
    if request.headers.get("HX-Request"):
        return render(request, "web/_deliverable_row.html", {
            **context, "deliverable": deliverable, "message": message, "ok": ok, "swap_message": True,
            "list_query": list_query,
        })
    (messages.success if ok else messages.error)(request, message)
    return redirect(reverse("web:deliverables", args=[project_id]) + (f"?{list_query}" if list_query else "")
                    + f"#deliverable-{deliverable.pk}")
