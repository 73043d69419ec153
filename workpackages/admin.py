"""Admin for the work plan (scoped by consortium.admin.ScopedAdminMixin).

Deliverable status and its dates are read-only here: the lifecycle lives in
workpackages.services and is changed through the tracker or the API, never by hand. So is the due
date of an existing deliverable or milestone: moving it needs a reason, which the plan pages and the
API ask for (workpackages.services, DueDateChange).
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from consortium.admin import ScopedAdminMixin, ScopedModelAdmin, project_filter
from workpackages import services
from workpackages.models import (
    Activity,
    Deliverable,
    DueDateChange,
    Effort,
    Indicator,
    Milestone,
    Risk,
    WorkPackage,
)

FLAGS = ("overdue", "late", "rescheduled", "due_month")
LIFECYCLE_FIELDS = ("status", "submitted_date", "accepted_date")


class ComputedFlagsMixin:
    """The deliverable's computed flags as read-only columns and fields (never stored).

    An inline's blank "add another" row has no dates yet, so it shows no flags.
    """

    @admin.display(boolean=True, description=_("overdue"))
    def overdue(self, obj):
        return obj.overdue if obj.due_date else None

    @admin.display(boolean=True, description=_("late"))
    def late(self, obj):
        return obj.late if obj.due_date else None

    @admin.display(boolean=True, description=_("rescheduled"))
    def rescheduled(self, obj):
        return obj.rescheduled if obj.due_date else None

    @admin.display(description=_("due month"), ordering="due_date")
    def due_month(self, obj):
        return f"M{obj.due_month}" if obj.due_date and obj.project_id else None


class DeliverableInlineForm(forms.ModelForm):
    """A deliverable added under a work package belongs to that work package's project."""

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and "due_date" in self.changed_data:
            self.add_error("due_date", _("Reschedule a deliverable on its plan page, which asks for the reason."))
        work_package = self.instance.work_package
        self.instance.project = work_package.project
        code = cleaned.get("code")
        # `project` is no field of this form, so Django would not check the per-project code constraint.
        if code and Deliverable.objects.filter(project=work_package.project, code=code).exclude(
            pk=self.instance.pk
        ).exists():
            self.add_error("code", _("Another deliverable of this project has code %(code)s.") % {"code": code})
        return cleaned


class DeliverableInline(ComputedFlagsMixin, ScopedAdminMixin, admin.TabularInline):
    model = Deliverable
    project_path = "project"
    form = DeliverableInlineForm
    extra = 0
    fields = ("code", "title", "lead_partner", "original_due_date", "due_date", "status", *FLAGS)
    readonly_fields = ("status", *FLAGS)
    show_change_link = True


class ActivityInline(ScopedAdminMixin, admin.TabularInline):
    model = Activity
    project_path = "work_package__project"
    extra = 0
    fields = ("number", "title", "start_month", "end_month", "partners")


class EffortInline(ScopedAdminMixin, admin.TabularInline):
    model = Effort
    project_path = "partner__project"
    extra = 0
    fields = ("partner", "person_months")


@admin.register(WorkPackage)
class WorkPackageAdmin(ScopedModelAdmin):
    project_path = "project"
    list_display = ("code", "title", "project", "lead_partner", "start_month", "end_month")
    list_display_links = ("code", "title")
    list_filter = (project_filter(),)
    search_fields = ("title", "project__acronym", "lead_partner__organisation__short_name")
    list_select_related = ("project", "lead_partner__organisation")
    readonly_fields = ("version", "updated_at")

    def get_inlines(self, request, obj):
        # Inline deliverables take the project of a saved work package, so they appear on change only.
        return [ActivityInline, DeliverableInline, EffortInline] if obj else []

    @admin.display(description=_("code"), ordering="number")
    def code(self, obj):
        return obj.code


@admin.register(Activity)
class ActivityAdmin(ScopedModelAdmin):
    project_path = "work_package__project"
    list_display = ("code", "title", "work_package", "start_month", "end_month")
    list_display_links = ("code", "title")
    list_filter = (project_filter("work_package__project"),)
    search_fields = ("title", "work_package__title")
    list_select_related = ("work_package__project",)
    filter_horizontal = ("partners",)
    readonly_fields = ("version", "updated_at")

    @admin.display(description=_("code"), ordering="number")
    def code(self, obj):
        return obj.code


@admin.register(Deliverable)
class DeliverableAdmin(ComputedFlagsMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    project_path = "project"
    list_display = ("code", "title", "project", "work_package", "lead_partner", "due_date", "status", *FLAGS)
    list_display_links = ("code", "title")
    list_filter = (project_filter(), "status", "type", "dissemination_level")
    search_fields = ("code", "title", "lead_partner__organisation__short_name")
    list_select_related = ("project", "work_package", "lead_partner__organisation")
    date_hierarchy = "due_date"

    def get_readonly_fields(self, request, obj=None):
        # New deliverables start as planned; later moves go through the lifecycle service.
        return (*LIFECYCLE_FIELDS, "due_date", *FLAGS, "version", "updated_at") if obj else ()

    def get_exclude(self, request, obj=None):
        return None if obj else LIFECYCLE_FIELDS

    def save_model(self, request, obj, form, change):
        # A new document is stored by the same service as in the app (a cancelled deliverable takes none).
        uploaded = form.cleaned_data.get("document") if "document" in form.changed_data else None
        if uploaded:
            obj.document = form.initial.get("document")
        super().save_model(request, obj, form, change)
        if uploaded:
            services.deliverable_document_attach(deliverable=obj, uploaded=uploaded, user=request.user)


@admin.register(Milestone)
class MilestoneAdmin(ScopedModelAdmin):
    project_path = "project"
    list_display = ("code", "title", "project", "work_package", "due_date", "achieved_date", "overdue")
    list_display_links = ("code", "title")
    list_filter = (project_filter(),)
    search_fields = ("code", "title")
    list_select_related = ("project", "work_package")

    def get_readonly_fields(self, request, obj=None):
        # A new due date needs its reason: the plan pages and the API ask for it.
        return ("due_date", "version", "updated_at") if obj else ("version", "updated_at")

    @admin.display(boolean=True, description=_("overdue"))
    def overdue(self, obj):
        return obj.overdue


@admin.register(DueDateChange)
class DueDateChangeAdmin(ScopedModelAdmin):
    """The rescheduling history: read only, written by the services when a due date moves."""

    project_path = "project"
    list_display = ("item", "old_date", "new_date", "reason", "changed_by", "changed_at")
    list_filter = (project_filter(),)
    list_select_related = ("deliverable", "milestone", "changed_by")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Indicator)
class IndicatorAdmin(ScopedModelAdmin):
    project_path = "project"
    list_display = ("code", "name", "project", "kind", "unit", "baseline", "target", "paired_output")
    list_display_links = ("code", "name")
    list_filter = (project_filter(), "kind")
    search_fields = ("code", "name")
    list_select_related = ("project", "paired_output")
    readonly_fields = ("version", "updated_at")


@admin.register(Effort)
class EffortAdmin(ScopedModelAdmin):
    project_path = "partner__project"
    list_display = ("partner", "work_package", "person_months")
    list_filter = (project_filter("partner__project"),)
    search_fields = ("partner__organisation__short_name", "work_package__title")
    list_select_related = ("partner__organisation", "work_package")
    readonly_fields = ("version", "updated_at")


@admin.register(Risk)
class RiskAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    project_path = "project"
    list_display = ("title", "project", "likelihood", "impact", "owner", "status", "review_date")
    list_filter = ("status", project_filter())
    search_fields = ("title", "description", "mitigation")
    list_select_related = ("project", "owner__organisation")
    readonly_fields = ("version", "updated_at")
