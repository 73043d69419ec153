"""Forms of the plan on the web; they shape input for the plan's services, which decide.

Each part of the plan the management unit edits (periods, partners, work packages…) is a `PlanKind`:
its model, the fields its form shows, which rows of a project it lists, and the service calls that
create, change and delete one — the same services the API's viewsets call. One generic form
(`plan_form`) is built from the model's fields, so each field validates as the model says and a
service's refusal lands under the field it names (web/errors.py).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django import forms
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from consortium.errors import DomainError, VersionConflict
from consortium.models import Project, ReportingPeriod, local_today
from consortium.services import create_validated, delete_checked, period_delete, update_versioned
from partners import access as organisation_access
from partners import budget_versions
from partners import services as partner_services
from partners.budget_selectors import lines_in_force_today, lines_of
from partners.models import (
    BudgetLine,
    BudgetVersion,
    Contact,
    LumpSum,
    Organisation,
    Partner,
    ReportingCurrency,
    UnitCost,
)
from web.errors import ServiceFormMixin
from web.report_forms import DateInput, model_field
from workpackages import services as plan_services
from workpackages.models import Activity, Deliverable, Effort, Indicator, Milestone, WorkPackage

TEXTAREA = {"rows": 3}

# Labels of the model fields the plan forms show (the models name few of their own).
LABELS = {
    "acronym": _("Acronym"), "title": _("Title"), "funder_reference": _("Funder's reference"),
    "description": _("Description"), "start_date": _("Start date"), "end_date": _("End date"),
    "status": _("Status"), "number": _("Number"), "report_due_date": _("Report due on"),
    "organisation": _("Organisation"), "role": _("Role"), "cofinancing_rate": _("Co-financing rate (%)"),
    "funding_source": _("Funding source"), "office_option": _("Office and administration"),
    "office_flat_rate": _("Office flat rate (%)"), "travel_option": _("Travel and accommodation"),
    "travel_flat_rate": _("Travel flat rate (%)"), "staff_option": _("Staff costs"),
    "staff_flat_rate": _("Staff flat rate (%)"), "uses_other_costs_flat_rate": _("Other costs as a flat rate"),
    "other_costs_flat_rate": _("Other costs flat rate (%)"), "reporting_currency": _("Reporting currency"),
    "budget_approved_month": _("Budget approved in the month of"), "name": _("Name"),
    "short_name": _("Short name"), "country": _("Country"), "legal_status": _("Legal status"),
    "nuts_region": _("NUTS region"), "vat_or_pic": _("VAT / PIC"), "website": _("Website"),
    "email": _("E-mail"), "phone": _("Phone"), "kind": _("Kind"), "lead_partner": _("Lead partner"),
    "start_month": _("Start month"), "end_month": _("End month"), "objectives": _("Objectives"),
    "work_package": _("Work package"), "partners": _("Partners involved"), "code": _("Code"),
    "type": _("Type"), "dissemination_level": _("Dissemination level"),
    "internal_reviewer": _("Internal reviewer"), "due_date": _("Due date"),
    "means_of_verification": _("Means of verification"), "achieved_date": _("Achieved on"),
    "unit": _("Unit"), "baseline": _("Baseline"), "target": _("Target"), "paired_output": _("Paired output"),
    "partner": _("Partner"), "person_months": _("Person-months"), "price_per_unit": _("Price per unit (EUR)"),
    "cost_category": _("Cost category"), "period": _("Period"), "amount": _("Amount (EUR)"),
    "evidence": _("Evidence"),
}

RESCHEDULE_REASON = plan_services.RESCHEDULE_REASON


def _form_field(model_field_: models.Field, **kwargs) -> forms.Field | None:
    kwargs.setdefault("label", LABELS.get(model_field_.name, model_field_.verbose_name))
    if isinstance(model_field_, models.DateField):
        kwargs.setdefault("widget", DateInput)
    elif isinstance(model_field_, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    elif isinstance(model_field_, models.TextField):
        kwargs.setdefault("widget", forms.Textarea(attrs=TEXTAREA))
    return model_field_.formfield(**kwargs)


def label_of(model: type[models.Model], name: str) -> str:
    return str(LABELS.get(name, model._meta.get_field(name).verbose_name))


def shown(model: type[models.Model], name: str, value) -> str:
    """A field's value as the page shows it (the rows, and the other person's values on a stale page)."""
    model_field_ = model._meta.get_field(name)
    if model_field_.many_to_many:
        return ", ".join(sorted(str(item) for item in value)) or "—"
    if value is None or value == "":
        return "—"
    if model_field_.choices:
        return str(dict(model_field_.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, date):
        return date_format(value, "DATE_FORMAT")
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def stored_value(instance: models.Model, name: str):
    model_field_ = instance._meta.get_field(name)
    if model_field_.many_to_many:
        return list(getattr(instance, name).all())
    return getattr(instance, name)


class PlanForm(ServiceFormMixin, forms.Form):
    """One plan object's fields (and, when it exists, the version the page showed it at)."""

    kind: "PlanKind"
    stale_changes: list[dict] = ()

    def __init__(self, *args, project: Project, instance: models.Model | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project, self.instance = project, instance

    def conflict_text(self, error: DomainError) -> str | None:
        if isinstance(error, VersionConflict):
            return gettext("Someone else saved this since you opened it, so nothing was saved. Their values are "
                           "shown next to yours: save again to keep yours, or change them first.")
        return None

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.kind.fields if name in self.cleaned_data}

    def show_stale(self, current: models.Model) -> None:
        """After a refused stale save: the stored values that differ from the user's, and the stored version.

        The form keeps the user's input and now carries the stored version, so that saving again is a
        deliberate choice made with the other person's change in view.
        """
        changes = []
        for name in self.kind.fields:
            if name not in self.fields:
                continue
            theirs = shown(self.kind.model, name, stored_value(current, name))
            yours = shown(self.kind.model, name, self.cleaned_data.get(name))
            if theirs != yours:
                changes.append({"name": name, "label": self.fields[name].label, "theirs": theirs, "yours": yours})
        self.stale_changes = changes
        data = self.data.copy()
        data[self.add_prefix("version")] = current.version
        self.data = data


@dataclass(frozen=True)
class PlanKind:
    """A part of the plan on the plan pages: what it lists, which fields its form shows, which services write it."""

    slug: str
    title: str
    singular: str
    model: type[models.Model]
    fields: tuple[str, ...]
    rows: Callable[[Project], QuerySet]
    create: Callable[..., models.Model]  # keywords project, data, user -> the new object
    update: Callable[..., models.Model]  # keywords obj, version, data, user, reason -> the object
    delete: Callable[..., None] | None = delete_checked  # keyword instance
    columns: tuple[str, ...] = ()  # the fields shown in the list (all `fields` when empty)
    create_only: tuple[str, ...] = ()  # fields set when the object is made, not changed afterwards
    reschedules: bool = False  # a due date: its change asks for the reason
    help: str = ""
    choices: Callable[[Project, object], dict[str, QuerySet]] = field(default=lambda project, user: {})
    form_base: type[PlanForm] = PlanForm

    @property
    def deletable(self) -> bool:
        # For the templates, which would call `delete` itself (a template calls what it is given).
        return self.delete is not None

    @property
    def list_columns(self) -> tuple[str, ...]:
        return self.columns or self.fields

    def form(self, data=None, *, project: Project, user, instance=None) -> PlanForm:
        """The form of a new object (instance None) or of a stored one, at the version the page shows."""
        names = [n for n in self.fields if instance is None or n not in self.create_only]
        attrs = {}
        for name in names:
            attrs[name] = _form_field(self.model._meta.get_field(name))
        if instance is not None:
            attrs["version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
            if self.reschedules:
                attrs[RESCHEDULE_REASON] = forms.CharField(
                    label=_("Reason for a new due date"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                    help_text=_("Needed when the due date changes; the funder report shows it with the old and "
                                "new dates."))
        form_class = type(f"{self.model.__name__}PlanForm", (self.form_base,), {**attrs, "kind": self})
        initial = None
        if instance is not None and data is None:
            initial = {**{n: stored_value(instance, n) for n in names}, "version": instance.version}
        # A row's form opens inline next to the page's add form: its own ids keep the labels apart.
        auto_id = f"id_{self.slug}-{instance.pk}_%s" if instance is not None else "id_%s"
        form = form_class(data, initial=initial, project=project, instance=instance, auto_id=auto_id)
        for name, queryset in self.choices(project, user).items():
            if name in form.fields:
                form.fields[name].queryset = queryset
        return form


def _project_owned(model, *, service_create=None):
    """Create a row of `model` in the project through `service_create(data=…)` (the generic validated create)."""
    def create(project, data, user):
        data = {"project": project, **data}
        return service_create(data=data) if service_create else create_validated(model, data=data)
    return create


def _budget_lines(project):
    """The draft budget version's lines, which change; without a draft, the lines in force today (read-only)."""
    draft = BudgetVersion.objects.filter(project=project, status=BudgetVersion.Status.DRAFT).first()
    lines = lines_of(draft) if draft else lines_in_force_today([project.pk], local_today())
    return lines.select_related("partner__organisation", "period").order_by(
        "partner__number", "cost_category", "period__number")


def _plain_create(model):
    def create(project, data, user):
        return create_validated(model, data=data)
    return create


def _plain_update(obj, version, data, user, reason=""):
    return update_versioned(obj, expected_version=version, data=data)


def _partners(project, user=None):
    return Partner.objects.filter(project=project).select_related("organisation")


def _work_packages(project, user=None):
    return WorkPackage.objects.filter(project=project)


def _periods(project, user=None):
    return ReportingPeriod.objects.filter(project=project)


def _deliverable_create(project, data, user):
    # A new deliverable's original due date is the one it is planned with.
    return plan_services.deliverable_create(data={**data, "original_due_date": data["due_date"]})


def _deliverable_update(obj, version, data, user, reason=""):
    return plan_services.deliverable_update(deliverable=obj, expected_version=version, data=data,
                                            reschedule_reason=reason, user=user)


def _milestone_update(obj, version, data, user, reason=""):
    return plan_services.milestone_update(milestone=obj, expected_version=version, data=data,
                                          reschedule_reason=reason, user=user)


def _project_organisations(project, user=None):
    return Organisation.objects.filter(Q(partnerships__project=project) | Q(contacts__project=project)).distinct()


KINDS: dict[str, PlanKind] = {kind.slug: kind for kind in (
    PlanKind(
        "periods", _("Reporting periods"), _("reporting period"), ReportingPeriod,
        ("number", "start_date", "end_date", "report_due_date"),
        rows=_periods, create=_project_owned(ReportingPeriod), update=_plain_update,
        delete=lambda instance: period_delete(period=instance),
        help=_("Periods tile the project from its first month to its last, without gaps; only the last one can "
               "be deleted.")),
    PlanKind(
        "organisations", _("Organisations"), _("organisation"), Organisation,
        ("name", "short_name", "country", "legal_status", "nuts_region", "vat_or_pic", "website"),
        rows=_project_organisations, create=lambda project, data, user: create_validated(Organisation, data=data),
        update=_plain_update, delete=None, columns=("short_name", "name", "country", "legal_status"),
        help=_("Organisations are shared between projects: one that partners in another project is changed by "
               "the management units of all its projects.")),
    PlanKind(
        "partners", _("Partners"), _("partner"), Partner,
        ("organisation", "number", "role", "cofinancing_rate", "funding_source", *Partner.COST_OPTION_FIELDS,
         "reporting_currency", "budget_approved_month"),
        rows=lambda project: _partners(project), create=_project_owned(
            Partner, service_create=partner_services.partner_create),
        update=lambda obj, version, data, user, reason="": partner_services.partner_update(
            partner=obj, expected_version=version, data=data),
        columns=("number", "organisation", "role", "cofinancing_rate", "funding_source", "reporting_currency"),
        help=_("Cost options and the reporting currency are fixed once the partner has submitted a report."),
        choices=lambda project, user: {"organisation": organisation_access.visible_organisations(user)}),
    PlanKind(
        "contacts", _("Contacts"), _("contact"), Contact,
        ("name", "title", "organisation", "email", "phone", "kind"),
        rows=lambda project: Contact.objects.filter(project=project).select_related("organisation"),
        create=_project_owned(Contact), update=_plain_update,
        choices=lambda project, user: {"organisation": organisation_access.visible_organisations(user)}),
    PlanKind(
        "work-packages", _("Work packages"), _("work package"), WorkPackage,
        ("number", "title", "lead_partner", "start_month", "end_month", "objectives"),
        rows=lambda project: WorkPackage.objects.filter(project=project).select_related("lead_partner__organisation"),
        create=_project_owned(WorkPackage), update=_plain_update,
        columns=("number", "title", "lead_partner", "start_month", "end_month"),
        choices=lambda project, user: {"lead_partner": _partners(project)}),
    PlanKind(
        "activities", _("Activities"), _("activity"), Activity,
        ("work_package", "number", "title", "description", "partners", "start_month", "end_month"),
        rows=lambda project: Activity.objects.filter(work_package__project=project).select_related(
            "work_package").prefetch_related("partners__organisation"),
        create=_plain_create(Activity), update=_plain_update,
        columns=("work_package", "number", "title", "partners", "start_month", "end_month"),
        choices=lambda project, user: {"work_package": _work_packages(project), "partners": _partners(project)}),
    PlanKind(
        "deliverables", _("Deliverables"), _("deliverable"), Deliverable,
        ("work_package", "code", "title", "description", "type", "dissemination_level", "lead_partner",
         "internal_reviewer", "due_date"),
        rows=lambda project: Deliverable.objects.filter(project=project).select_related(
            "work_package", "lead_partner__organisation", "internal_reviewer__organisation"),
        create=_deliverable_create, update=_deliverable_update, reschedules=True,
        columns=("code", "title", "work_package", "lead_partner", "type", "due_date"),
        help=_("The status moves in the deliverable tracker. A new due date asks for its reason."),
        choices=lambda project, user: {"work_package": _work_packages(project), "lead_partner": _partners(project),
                                       "internal_reviewer": _partners(project)}),
    PlanKind(
        "milestones", _("Milestones"), _("milestone"), Milestone,
        ("work_package", "code", "title", "due_date", "means_of_verification", "achieved_date"),
        rows=lambda project: Milestone.objects.filter(project=project).select_related("work_package"),
        create=lambda project, data, user: plan_services.milestone_create(data=data), update=_milestone_update,
        reschedules=True, columns=("code", "title", "work_package", "due_date", "achieved_date"),
        choices=lambda project, user: {"work_package": _work_packages(project)}),
    PlanKind(
        "indicators", _("Indicators"), _("indicator"), Indicator,
        ("code", "name", "kind", "unit", "baseline", "target", "paired_output"),
        rows=lambda project: Indicator.objects.filter(project=project).select_related("paired_output"),
        create=_project_owned(Indicator), update=_plain_update,
        choices=lambda project, user: {"paired_output": Indicator.objects.filter(project=project)}),
    PlanKind(
        "effort", _("Planned effort"), _("planned effort"), Effort,
        ("partner", "work_package", "person_months"),
        rows=lambda project: Effort.objects.filter(work_package__project=project).select_related(
            "partner__organisation", "work_package"),
        create=_plain_create(Effort), update=_plain_update,
        choices=lambda project, user: {"partner": _partners(project), "work_package": _work_packages(project)}),
    PlanKind(
        "unit-costs", _("Unit costs"), _("unit cost"), UnitCost,
        ("name", "unit", "price_per_unit", "cost_category"),
        rows=lambda project: UnitCost.objects.filter(project=project),
        create=_project_owned(UnitCost),
        update=lambda obj, version, data, user, reason="": partner_services.unit_cost_update(
            unit_cost=obj, expected_version=version, data=data),
        help=_("A unit cost's price is fixed once a report line claims it.")),
    PlanKind(
        "budget-lines", _("Budget lines"), _("budget line"), BudgetLine,
        ("partner", "cost_category", "period", "amount"),
        rows=_budget_lines,
        create=lambda project, data, user: budget_versions.budget_line_create(data=data),
        update=lambda obj, version, data, user, reason="": budget_versions.budget_line_update(
            line=obj, expected_version=version, data=data),
        delete=lambda instance: budget_versions.budget_line_delete(line=instance),
        help=_("The lines of the project's draft budget version (the Budget tab starts one; approved versions are "
               "read-only), else those in force today. A line without a period is the partner's budget for the "
               "whole project in that category."),
        choices=lambda project, user: {"partner": _partners(project), "period": _periods(project)}),
)}



class LumpSumAchievedForm(ServiceFormMixin, forms.Form):
    """The date a lump sum's result was achieved and what proves it, with the version it was shown at."""

    achieved_date = model_field(LumpSum, "achieved_date", label=_("Achieved on"), required=True, widget=DateInput)
    evidence = forms.CharField(label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 2}),
                               help_text=_("What proves the result: a document, a link, a reference."))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, lump_sum: LumpSum, **kwargs):
        # One form per lump sum on the partners page: the prefix keeps their fields apart.
        super().__init__(*args, prefix=f"lump-sum-{lump_sum.pk}", **kwargs)
        self.lump_sum = lump_sum

    def service_data(self) -> dict:
        return {"achieved_date": self.cleaned_data["achieved_date"], "evidence": self.cleaned_data["evidence"]}


class PlanImportForm(ServiceFormMixin, forms.Form):
    """A plan workbook to import (workpackages/plan_workbook.py), tried as a dry run unless unticked."""

    file = forms.FileField(label=_("Plan workbook (.xlsx)"))
    dry_run = forms.BooleanField(label=_("Dry run: list what would change and write nothing"), required=False,
                                 initial=True)


# ---------------------------------------------------------------------------------------------
# The project's own details and lump sums, whose forms are not one model's fields.

PROJECT_FIELDS = ("acronym", "title", "funder_reference", "description", "start_date", "end_date", "status")

PROJECT_KIND = PlanKind(
    "project", _("Project details"), _("project"), Project, PROJECT_FIELDS, rows=lambda project: Project.objects.filter(
        pk=project.pk), create=None, update=_plain_update, delete=None)


class LumpSumForm(PlanForm):
    """A lump sum and each partner's share of it: one amount field per partner reporting in EUR."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.partners = list(_partners(self.project).filter(reporting_currency=ReportingCurrency.EUR))
        stored = {s.partner_id: s.amount for s in self.instance.shares.all()} if self.instance else {}
        for partner in self.partners:
            self.fields[f"share_{partner.pk}"] = forms.DecimalField(
                label=gettext("Share of %(partner)s (EUR)") % {"partner": partner}, required=False,
                max_digits=12, decimal_places=2, min_value=Decimal("0.01"), initial=stored.get(partner.pk))

    def service_data(self) -> dict:
        data = super().service_data()
        data["shares"] = [{"partner": p, "amount": self.cleaned_data[f"share_{p.pk}"]} for p in self.partners
                          if self.cleaned_data.get(f"share_{p.pk}") is not None]
        return data

    def field_for(self, problem):
        if problem.collection == "shares" and problem.index is not None:
            shares = [p for p in self.partners if self.cleaned_data.get(f"share_{p.pk}") is not None]
            if problem.index < len(shares):
                return f"share_{shares[problem.index].pk}"
        return super().field_for(problem)


KINDS["lump-sums"] = PlanKind(
    "lump-sums", _("Lump sums"), _("lump sum"), LumpSum, ("name", "amount", "period"),
    rows=lambda project: LumpSum.objects.filter(project=project).select_related("period"),
    create=lambda project, data, user: partner_services.lump_sum_create(data={"project": project, **data}),
    update=lambda obj, version, data, user, reason="": partner_services.lump_sum_update(
        lump_sum=obj, expected_version=version, data=data),
    help=_("The partners' shares add up to the lump sum. It is marked achieved on the partners page; once a report "
           "has claimed it, it stays as claimed."),
    choices=lambda project, user: {"period": _periods(project)}, form_base=LumpSumForm)
