"""A new project, created by a site administrator: its periods are generated, its first MU invited at once."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from consortium import invitations
from web.people_forms import NewProjectForm
from web.views.common import render_page


@login_required
@require_http_methods(["GET", "POST"])
def new_project(request):
    """Superusers only, as the API's POST /api/projects/."""
    if not request.user.is_superuser:
        raise PermissionDenied(_("Only administrators create projects."))
    form = NewProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = form.call(request, invitations.project_open, created_by=request.user, **form.service_kwargs())
        if created is not None:
            project, membership = created
            messages.success(request, _("%(project)s is created with %(periods)d reporting periods; %(email)s is "
                                        "invited as its management unit.") % {
                "project": project.acronym, "periods": project.periods.count(), "email": membership.user.email})
            return redirect("web:project", project.pk)
    return render_page(request, "web/project_new.html", {"form": form}, status=form.status_code)
