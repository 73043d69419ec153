"""Forms of the report pages: they validate the types and shape the services' input; the services decide.

Field limits come from the models (the same ones the API's serializers derive from them).
"""

from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partners.cost_options import StaffCostMethod, excluded_categories
from partners.models import Contract, CostCategory, UnitCost
from reporting.models import (
    Attachment,
    DeliverableContribution,
    EffortReported,
    Expenditure,
    IndicatorProgress,
    ObjectiveStatus,
    ProgressReport,
    ProjectReport,
)
from reporting.project_report_services import NARRATIVE_FIELDS
from web.errors import ServiceFormMixin
from workpackages.models import WorkPackage

TEXTAREA = {"rows": 4}


class DateInput(forms.DateInput):
    input_type = "date"


def model_field(model, name: str, **overrides) -> forms.Field:
    """The form field a model field makes (its type, limits and validators), with changes for the page."""
    return model._meta.get_field(name).formfield(**overrides)


class ReportForm(ServiceFormMixin, forms.Form):
    """Summary, problems and every per-WP/deliverable/indicator part of one report, with its version."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    summary = forms.CharField(label=_("Summary of the period"), required=False,
                              widget=forms.Textarea(attrs=TEXTAREA))
    problems = forms.CharField(label=_("Problems and deviations from the plan"), required=False,
                               widget=forms.Textarea(attrs=TEXTAREA))
    forecast_next_period = model_field(ProgressReport, "forecast_next_period",
                                       label=_("Expected spending in the next period"))

    def __init__(self, *args, report: ProgressReport, parts, **kwargs):
        self.parts = parts
        initial = {"version": report.version, "summary": report.summary, "problems": report.problems,
                   "forecast_next_period": report.forecast_next_period}
        for row in report.work_package_progress.all():
            initial[f"wp_{row.work_package_id}_narrative"] = row.narrative
            initial[f"wp_{row.work_package_id}_status"] = row.objective_status
        for row in report.effort.all():
            initial[f"wp_{row.work_package_id}_effort"] = row.person_months
        for row in report.deliverable_contributions.all():
            initial[f"deliverable_{row.deliverable_id}_comment"] = row.comment
            initial[f"deliverable_{row.deliverable_id}_link"] = row.evidence_link
        for row in report.indicator_progress.all():
            initial[f"indicator_{row.indicator_id}"] = row.value
        super().__init__(*args, initial=initial, **kwargs)
        for wp in parts.work_packages:
            self.fields[f"wp_{wp.pk}_narrative"] = forms.CharField(
                label=_("Narrative"), required=False, widget=forms.Textarea(attrs=TEXTAREA))
            self.fields[f"wp_{wp.pk}_status"] = forms.ChoiceField(
                label=_("Objectives reached"), choices=ObjectiveStatus.choices, initial=ObjectiveStatus.PARTLY,
                required=False)
            self.fields[f"wp_{wp.pk}_effort"] = model_field(EffortReported, "person_months", label=_("Person-months"),
                                                            required=False)
        for deliverable in parts.deliverables:
            self.fields[f"deliverable_{deliverable.pk}_comment"] = forms.CharField(
                label=_("Contribution"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
            self.fields[f"deliverable_{deliverable.pk}_link"] = model_field(
                DeliverableContribution, "evidence_link", label=_("Evidence link"), assume_scheme="https")
        for indicator in parts.indicators:
            self.fields[f"indicator_{indicator.pk}"] = model_field(IndicatorProgress, "value",
                                                                   label=_("Value this period"), required=False)

    def wp_rows(self):
        return [(wp, wp.pk in self.parts.required_ids, self[f"wp_{wp.pk}_narrative"], self[f"wp_{wp.pk}_status"],
                 self[f"wp_{wp.pk}_effort"]) for wp in self.parts.work_packages]

    def optional_wp_rows(self):
        return [row for row in self.wp_rows() if not row[1]]

    def optional_wps_filled(self) -> bool:
        """Keep the optional WPs open when one of them has text, a value or an error to show."""
        return any(field.value() or field.errors for row in self.optional_wp_rows()
                   for field in (row[2], row[4]))

    def deliverable_rows(self):
        return [(d, self[f"deliverable_{d.pk}_comment"], self[f"deliverable_{d.pk}_link"])
                for d in self.parts.deliverables]

    def indicator_rows(self):
        return [(i, self[f"indicator_{i.pk}"]) for i in self.parts.indicators]

    # Each list report_update takes, and the form field that holds an item of it (by the item's plan object).
    LIST_FIELDS = {
        "work_package_progress": ("work_package", "wp_{}_narrative"),
        "effort": ("work_package", "wp_{}_effort"),
        "deliverable_contributions": ("deliverable", "deliverable_{}_comment"),
        "indicator_progress": ("indicator", "indicator_{}"),
    }

    def field_for(self, problem):
        items = getattr(self, "_lists", {}).get(problem.collection)
        if items is None or problem.index is None or problem.index >= len(items):
            return super().field_for(problem)
        plan_field, pattern = self.LIST_FIELDS[problem.collection]
        return pattern.format(items[problem.index][plan_field].pk)

    def service_data(self) -> dict:
        """report_update's input: every list given whole (it replaces the stored one); empty rows left out."""
        data = self.cleaned_data
        progress, effort, contributions, indicators = [], [], [], []
        for wp in self.parts.work_packages:
            narrative = data[f"wp_{wp.pk}_narrative"].strip()
            if narrative:
                progress.append({"work_package": wp, "narrative": narrative,
                                 "objective_status": data[f"wp_{wp.pk}_status"] or ObjectiveStatus.PARTLY})
            if data[f"wp_{wp.pk}_effort"] is not None:
                effort.append({"work_package": wp, "person_months": data[f"wp_{wp.pk}_effort"]})
        for deliverable in self.parts.deliverables:
            comment = data[f"deliverable_{deliverable.pk}_comment"].strip()
            link = data[f"deliverable_{deliverable.pk}_link"]
            if comment or link:
                contributions.append({"deliverable": deliverable, "comment": comment, "evidence_link": link})
        for indicator in self.parts.indicators:
            if data[f"indicator_{indicator.pk}"] is not None:
                indicators.append({"indicator": indicator, "value": data[f"indicator_{indicator.pk}"]})
        self._lists = {"work_package_progress": progress, "effort": effort,
                       "deliverable_contributions": contributions, "indicator_progress": indicators}
        return {"summary": data["summary"], "problems": data["problems"],
                "forecast_next_period": data["forecast_next_period"], **self._lists}


class ExpenditureForm(ServiceFormMixin, forms.Form):
    """One cost line, of one of three kinds: an invoice (supplier, invoice, amount), a staff line (employee and
    the figures of its costing method; the service computes the amount) or a unit-cost line (a unit cost of the
    plan and its units; its category, EUR and amount follow from the unit cost).

    Only the categories the partner's cost options leave at real cost are offered (and a stored line's own,
    so that it can be corrected); the page shows each kind's fields by category (static/js/line-form.js).
    """

    cost_category = model_field(Expenditure, "cost_category", label=_("Cost category"), required=False)
    work_package = forms.ModelChoiceField(label=_("Work package"), queryset=WorkPackage.objects.none(),
                                          required=False, empty_label=_("None"))
    description = model_field(Expenditure, "description", label=_("Description"))
    unit_cost = forms.ModelChoiceField(label=_("Unit cost"), queryset=UnitCost.objects.none(), required=False,
                                       empty_label=_("None: an invoice or a staff line"))
    units = model_field(Expenditure, "units", label=_("Units"))
    employee = model_field(Expenditure, "employee", label=_("Employee or role"))
    staff_method = forms.ChoiceField(label=_("Staff-cost method"), choices=StaffCostMethod.choices,
                                     initial=StaffCostMethod.HOURLY, required=False)
    annual_gross_cost = model_field(Expenditure, "annual_gross_cost", label=_("Annual gross employment cost"))
    hours = model_field(Expenditure, "hours", label=_("Hours"))
    monthly_gross_cost = model_field(Expenditure, "monthly_gross_cost", label=_("Monthly gross employment cost"))
    percentage = model_field(Expenditure, "percentage", label=_("Percentage of working time"), help_text="")
    months = model_field(Expenditure, "months", label=_("Months in the period"), help_text="")
    supplier = model_field(Expenditure, "supplier", label=_("Supplier"))
    invoice_number = model_field(Expenditure, "invoice_number", label=_("Invoice number"))
    invoice_date = model_field(Expenditure, "invoice_date", label=_("Invoice date"), widget=DateInput)
    payment_date = model_field(Expenditure, "payment_date", label=_("Payment date"), widget=DateInput)
    contract = forms.ModelChoiceField(label=_("Contract (procurement register)"), queryset=Contract.objects.none(),
                                      required=False, empty_label=_("None"))
    invoice_total = model_field(Expenditure, "invoice_total", label=_("Invoice total, VAT included"), help_text="")
    vat_amount = model_field(Expenditure, "vat_amount", label=_("VAT amount"), help_text="")
    vat_recoverable = forms.BooleanField(label=_("The VAT is recoverable (it is not declared)"), required=False)
    declared_share = model_field(Expenditure, "declared_share", label=_("Share declared to the project (%)"),
                                 help_text="")
    # Not required here: staff and unit-cost lines have a computed amount, and an invoice line's follows from its
    # invoice; an amount alone is an invoice of that total without VAT, declared in full.
    amount = model_field(Expenditure, "amount", label=_("Amount (when no invoice total is given)"), required=False)
    currency = model_field(Expenditure, "currency", label=_("Currency"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    HOURLY_FIELDS = ("hours", "annual_gross_cost")
    MONTHLY_FIELDS = ("monthly_gross_cost", "percentage", "months")
    INVOICE_FIELDS = ("supplier", "invoice_number", "invoice_date", "payment_date", "contract", "invoice_total",
                      "vat_amount", "vat_recoverable", "declared_share", "amount")

    def __init__(self, *args, report, line=None, **kwargs):
        super().__init__(*args, **kwargs)
        project = report.partner.project_id
        excluded = excluded_categories(report.partner.cost_options)
        current = line.cost_category if line is not None else None
        self.fields["cost_category"].choices = [("", "---------")] + [
            (value, label) for value, label in CostCategory.choices if value not in excluded or value == current]
        self.excluded = excluded
        self.fields["work_package"].queryset = WorkPackage.objects.filter(project_id=project).order_by("number")
        self.fields["contract"].queryset = Contract.objects.filter(partner_id=report.partner_id).order_by("id")
        self.fields["contract"].label_from_instance = lambda c: f"{c.supplier}: {c.subject} ({c.value:,.2f} EUR)"
        if report.partner.reporting_currency != "EUR":
            # A partner reporting in NOK enters every line in NOK (reporting.services.line_problems).
            own = report.partner.reporting_currency
            self.fields["currency"].choices = [(own, own)]
            self.fields["currency"].initial = own
        self.fields["work_package"].label_from_instance = lambda wp: f"{wp.code} {wp.title}"
        self.fields["unit_cost"].queryset = UnitCost.objects.filter(
            ~Q(cost_category__in=excluded) | Q(pk=getattr(line, "unit_cost_id", None)), project_id=project,
        ).order_by("name")
        self.fields["unit_cost"].label_from_instance = lambda unit: _(
            "%(name)s: %(price)s EUR per %(unit)s (%(category)s)") % {
            "name": unit.name, "price": unit.price_per_unit, "unit": unit.unit,
            "category": unit.get_cost_category_display()}

    @property
    def unit_cost_categories(self) -> dict[str, str]:
        """unit cost id -> its category, for the page's script (a unit-cost line takes its category)."""
        return {str(unit.pk): unit.cost_category for unit in self.fields["unit_cost"].queryset}

    @property
    def has_unit_costs(self) -> bool:
        return bool(self.unit_cost_categories)

    def _value(self, name: str):
        return self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)

    @property
    def line_kind(self) -> str:
        """Which kind's fields the page shows: "unit", "staff", "invoice", or "" before a category is chosen."""
        if self._value("unit_cost"):
            return "unit"
        category = self._value("cost_category")
        if category == CostCategory.STAFF:
            return "staff"
        return "invoice" if category else ""

    @property
    def staff_method_value(self) -> str:
        return self._value("staff_method") or StaffCostMethod.HOURLY

    def staff_fields(self):
        return [self["employee"], self["staff_method"]]

    def hourly_fields(self):
        return [self[name] for name in self.HOURLY_FIELDS]

    def monthly_fields(self):
        return [self[name] for name in self.MONTHLY_FIELDS]

    def invoice_fields(self):
        return [self[name] for name in self.INVOICE_FIELDS]

    def service_data(self) -> dict:
        """The fields of the line's kind: a staff or unit-cost line's amount is computed, never typed in."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        if data["unit_cost"] is not None:
            data.pop("amount")
            data["cost_category"] = data["cost_category"] or data["unit_cost"].cost_category
        else:
            data.pop("units")
            if data["cost_category"] == CostCategory.STAFF:
                data.pop("amount")
            elif data.get("invoice_total") is None:
                # The amount alone: an invoice of that total, without VAT, declared in full (the service's rule).
                for name in ("invoice_total", "vat_amount", "vat_recoverable", "declared_share"):
                    data.pop(name, None)
            else:
                data.pop("amount")
                data["vat_amount"] = data.get("vat_amount") or Decimal("0.00")
        return data


def line_initial(line) -> dict:
    return {name: getattr(line, name) for name in ExpenditureForm.base_fields}


class AttachmentForm(ServiceFormMixin, forms.Form):
    file = forms.FileField(label=_("Invoice (PDF, office document or image)"))


class EvidenceForm(ServiceFormMixin, forms.Form):
    """A further file of a report (a time sheet, a salary statement) or of one of its lines."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Attachment.Kind.choices, initial=Attachment.Kind.TIME_SHEET)
    file = forms.FileField(label=_("File (PDF, office document or image)"))


class ImportForm(ServiceFormMixin, forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file"))


class ReviewForm(ServiceFormMixin, forms.Form):
    comment = forms.CharField(label=_("Comment to the partner"), required=False, widget=forms.Textarea(attrs=TEXTAREA))


class ProjectReportForm(ServiceFormMixin, forms.Form):
    """The narrative of the funder report for one period, with the version it was read at (empty: new)."""

    highlights = forms.CharField(label=_("Highlights of the period"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 6}))
    deviations = forms.CharField(label=_("Deviations and corrective actions"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 6}))
    cross_border_value = forms.CharField(label=_("Cross-border added value"), required=False,
                                         widget=forms.Textarea(attrs={"rows": 6}))
    next_steps = forms.CharField(label=_("Next steps"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def project_report_initial(existing: ProjectReport | None) -> dict:
    if existing is None:
        return {}
    return {"version": existing.version, **{name: getattr(existing, name) for name in NARRATIVE_FIELDS}}
