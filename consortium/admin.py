"""The Django admin, scoped by one mixin: superusers see everything; MU staff see their projects only.

Every ModelAdmin and inline in the project derives from `ScopedAdminMixin`. It decides, from the
permission layer (consortium.permissions) rather than Django's per-model permissions, what a
staff user may see and change:
- project-owned rows (each admin declares its `project_path`) only in projects where the user holds
  the management-unit role (Right.EDIT_PLAN), both in lists and in foreign-key choices;
- shared reference data (programmes, organisations, exchange rates) is readable by any MU
  staff user; only the models that say so (`mu_may_edit_shared`) are editable by them;
- `superuser_only` models are invisible to everyone else.
Staff without the MU role anywhere see nothing but the empty admin index.

The admin is a secondary tool and obeys the same rules as the app: uploads pass the same file checks,
deletes go through `delete_object` (the generic checked delete, or the app's service), and the apps'
admins route workflow objects (reports, lines, memberships) through their services.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Model

from consortium import invitations
from consortium.errors import DomainError, StateConflict
from consortium.models import (
    CalendarFeedToken,
    Membership,
    PasswordResetRequest,
    Profile,
    Programme,
    Project,
    ReportingPeriod,
    Role,
    VersionedModel,
)
from consortium.permissions import Right, has_right_anywhere, project_id_of, project_ids, scope_to_projects
from consortium.services import delete_checked
from consortium.uploads import validate_upload

# model -> the lookup from it to its project ("pk" for Project itself), as each ModelAdmin and inline
# declares it in `project_path`; the choices of a foreign key to that model are scoped with it.
_PROJECT_PATHS: dict[type[Model], str] = {}


def project_path_of(model: type[Model]) -> str | None:
    return _PROJECT_PATHS.get(model)


def upload_validator(uploaded) -> None:
    """The API's and the web's file checks, for an admin form (a stored file, not a new upload, passes)."""
    if not hasattr(uploaded, "content_type"):
        return
    try:
        validate_upload(uploaded)
    except DomainError as error:
        raise ValidationError(error.message) from None


def scoped_choices(model: type[Model], user):
    """The rows of `model` a user may pick in a form: their MU projects' rows if project-owned."""
    queryset = model._default_manager.all()
    path = project_path_of(model)
    if path is None:
        return queryset
    return scope_to_projects(queryset, user, project_field=path, right=Right.EDIT_PLAN)


class ScopedAdminMixin:
    """Scopes a ModelAdmin or an inline to the projects where the user is in the management unit.

    Subclasses declare `project_path`, the lookup from their model to its project (None: the model
    belongs to no project, like an organisation).
    """

    project_path: str | None = None
    mu_may_edit_shared = False  # for models outside any project: may MU staff change them?
    superuser_only = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.project_path is not None:
            _PROJECT_PATHS.setdefault(self.model, self.project_path)
    # Django 6 makes https the default scheme of typed-in URLs; choose it now for the same behaviour.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def _is_mu_staff(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_staff and has_right_anywhere(user, Right.EDIT_PLAN)

    def _may_use(self, request) -> bool:
        if request.user.is_superuser:
            return True
        return not self.superuser_only and self._is_mu_staff(request)

    def _in_scope(self, request, obj) -> bool:
        # Inlines are asked about their parent object, which the parent's admin has already scoped.
        if obj is None or request.user.is_superuser or not isinstance(obj, self.model):
            return True
        if self.project_path is None:
            return True
        return project_id_of(obj, self.project_path) in project_ids(request.user, Right.EDIT_PLAN)

    def _may_edit(self, request, obj) -> bool:
        if request.user.is_superuser:
            return True
        if self.project_path is None and not self.mu_may_edit_shared:
            return False
        return self._may_use(request) and self._in_scope(request, obj)

    def has_module_permission(self, request):
        return self._may_use(request)

    def has_view_permission(self, request, obj=None):
        return self._may_use(request) and self._in_scope(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._may_edit(request, obj)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        if not self._may_use(request):
            return queryset.none()
        if self.project_path is None:
            return queryset
        return scope_to_projects(queryset, request.user, project_field=self.project_path, right=Right.EDIT_PLAN)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(db_field, models.FileField) and field is not None:
            field.validators.append(upload_validator)
        return field

    def _remember_project(self, request, obj) -> None:
        """The project of the object being edited (None when adding): its forms choose only among its rows."""
        path = project_path_of(type(obj)) if obj is not None else None
        request._admin_project_id = project_id_of(obj, path) if path is not None else None

    def get_form(self, request, obj=None, change=False, **kwargs):
        self._remember_project(request, obj)
        return super().get_form(request, obj, change=change, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        # An inline's parent decides: a project's partners choose among that project's rows.
        self._remember_project(request, obj)
        return super().get_formset(request, obj, **kwargs)

    def _choices(self, related_model, request):
        """The rows a foreign key may point to: the user's MU projects' (superusers: all), and of an object
        being edited only its own project's — "PP2 KU" of the other project is no choice for this one."""
        queryset = (related_model._default_manager.all() if request.user.is_superuser
                    else scoped_choices(related_model, request.user))
        project_id, path = getattr(request, "_admin_project_id", None), project_path_of(related_model)
        if project_id is not None and path is not None:
            queryset = queryset.filter(**{path: project_id})
        return queryset

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs["queryset"] = self._choices(db_field.related_model, request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs["queryset"] = self._choices(db_field.related_model, request)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change and isinstance(obj, VersionedModel):
            # An admin edit must invalidate the ETag that API clients hold, or their next write would undo it.
            obj.version += 1
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.initial_forms:
            if isinstance(inline_form.instance, VersionedModel) and inline_form.has_changed():
                inline_form.instance.version += 1
        super().save_formset(request, form, formset, change)

    def delete_object(self, request, obj) -> None:
        """One row's delete: the checked delete, or the owning app's service (admins override this)."""
        delete_checked(obj)

    def delete_model(self, request, obj):
        self.delete_object(request, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        # Row by row through the same delete, all or none: a bulk delete must not skip a rule.
        for obj in queryset:
            self.delete_object(request, obj)


class ScopedModelAdmin(ScopedAdminMixin, admin.ModelAdmin):
    pass


def project_filter(path: str = "project"):
    """A list filter offering only the projects present in the (already scoped) changelist."""
    return (path, admin.RelatedOnlyFieldListFilter)


class ReportingPeriodInline(ScopedAdminMixin, admin.TabularInline):
    model = ReportingPeriod
    project_path = "project"
    extra = 0
    fields = ("number", "start_date", "end_date", "report_due_date")


@admin.register(Programme)
class ProgrammeAdmin(ScopedModelAdmin):
    list_display = ("name", "short_name", "start_year", "end_year", "default_cofinancing_rate",
                    "default_office_flat_rate", "eligibility_grace_days")
    search_fields = ("name", "short_name")


@admin.register(Project)
class ProjectAdmin(ScopedModelAdmin):
    project_path = "pk"
    list_display = ("acronym", "title", "programme", "start_date", "end_date", "duration_months", "status")
    list_filter = ("status", ("programme", admin.RelatedOnlyFieldListFilter))
    search_fields = ("acronym", "title", "funder_reference")
    date_hierarchy = "start_date"
    readonly_fields = ("version", "updated_at")
    # Other apps' inlines, shown before the periods; each app's admin.py appends its own, so the core imports none.
    app_inlines: list[type[admin.options.InlineModelAdmin]] = []

    def has_add_permission(self, request, obj=None):
        # A new project has no management unit yet, so only a superuser can create one and appoint it.
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_inlines(self, request, obj):
        # Periods tile an existing project (their clean() reads the project's dates), so only on change.
        return [*self.app_inlines, ReportingPeriodInline] if obj else []

    @admin.display(description="months")
    def duration_months(self, obj):
        return obj.duration_months


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ScopedModelAdmin):
    project_path = "project"
    list_display = ("__str__", "project", "number", "start_date", "end_date", "report_due_date")
    list_filter = (project_filter(),)
    search_fields = ("project__acronym",)
    readonly_fields = ("version", "updated_at")


class MembershipForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        membership = self.instance
        if membership.pk and membership.role == Role.MANAGEMENT_UNIT and cleaned.get("role") != Role.MANAGEMENT_UNIT:
            try:
                invitations.refuse_if_last_mu(membership)
            except StateConflict as error:
                raise ValidationError({"role": error.message}) from None
        project = cleaned.get("project") or (membership.project if membership.project_id else None)
        if project is not None and "controlled_partners" in self.fields:
            try:
                invitations.controlled_partners_problems(cleaned.get("role"), project.pk,
                                                         cleaned.get("controlled_partners"))
            except DomainError as error:
                raise ValidationError({"controlled_partners": error.message}) from None
        return cleaned


@admin.register(Membership)
class MembershipAdmin(ScopedModelAdmin):
    project_path = "project"
    form = MembershipForm

    def has_delete_permission(self, request, obj=None):
        # The last management-unit member stays, as in the API (invitations.membership_end).
        return super().has_delete_permission(request, obj) and not (obj and invitations.is_last_mu(obj))

    def delete_object(self, request, obj) -> None:
        invitations.membership_end(membership=obj)
    list_display = ("user", "project", "role", "partner", "created_at")
    list_filter = ("role", project_filter())
    search_fields = ("user__username", "user__email", "project__acronym")


@admin.register(CalendarFeedToken)
class CalendarFeedTokenAdmin(ScopedModelAdmin):
    project_path = "project"
    superuser_only = True
    list_display = ("user", "project", "created_at")
    list_filter = (project_filter(),)
    search_fields = ("user__username", "project__acronym")
    readonly_fields = ("key", "created_at")


@admin.register(Profile)
class ProfileAdmin(ScopedModelAdmin):
    superuser_only = True
    list_display = ("user", "language")
    list_filter = ("language",)
    search_fields = ("user__username", "user__email")
    autocomplete_fields = ("user",)


@admin.register(PasswordResetRequest)
class PasswordResetRequestAdmin(ScopedModelAdmin):
    """Requests of the last hour, kept to limit how often a reset is sent (consortium/passwords.py)."""

    superuser_only = True
    list_display = ("email", "user", "address", "sent", "created_at")
    list_filter = ("sent",)
    search_fields = ("email", "address")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
