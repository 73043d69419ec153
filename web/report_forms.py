"""Forms of the report pages: they validate the types and shape the services' input; the services decide.

Field limits come from the models (the same ones the API's serializers derive from them).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.models import CostCategory
from reporting.models import (
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

    def __init__(self, *args, report: ProgressReport, parts, **kwargs):
        self.parts = parts
        initial = {"version": report.version, "summary": report.summary, "problems": report.problems}
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
        return {"summary": data["summary"], "problems": data["problems"], **self._lists}


class ExpenditureForm(ServiceFormMixin, forms.Form):
    """One cost line. A staff line gives employee, annual gross cost and hours (the service computes the
    hourly rate and the amount); any other line gives the invoice and its amount."""

    cost_category = model_field(Expenditure, "cost_category", label=_("Cost category"))
    work_package = forms.ModelChoiceField(label=_("Work package"), queryset=WorkPackage.objects.none(),
                                          required=False, empty_label=_("None"))
    description = model_field(Expenditure, "description", label=_("Description"))
    employee = model_field(Expenditure, "employee", label=_("Employee or role"))
    annual_gross_cost = model_field(Expenditure, "annual_gross_cost", label=_("Annual gross employment cost"))
    hours = model_field(Expenditure, "hours", label=_("Hours"))
    supplier = model_field(Expenditure, "supplier", label=_("Supplier"))
    invoice_number = model_field(Expenditure, "invoice_number", label=_("Invoice number"))
    invoice_date = model_field(Expenditure, "invoice_date", label=_("Invoice date"), widget=DateInput)
    payment_date = model_field(Expenditure, "payment_date", label=_("Payment date"), widget=DateInput)
    # Not required here: a staff line's amount is computed from hours × hourly rate.
    amount = model_field(Expenditure, "amount", label=_("Amount"), required=False,
                         help_text=_("Staff lines: computed from hours × hourly rate."))
    currency = model_field(Expenditure, "currency", label=_("Currency"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    STAFF_FIELDS = ("employee", "annual_gross_cost", "hours")
    INVOICE_FIELDS = ("supplier", "invoice_number", "invoice_date", "payment_date", "amount")

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_package"].queryset = WorkPackage.objects.filter(project=project).order_by("number")
        self.fields["work_package"].label_from_instance = lambda wp: f"{wp.code} {wp.title}"

    def staff_fields(self):
        return [self[name] for name in self.STAFF_FIELDS]

    def invoice_fields(self):
        return [self[name] for name in self.INVOICE_FIELDS]

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        if data["cost_category"] == CostCategory.STAFF:
            # The amount of a staff line is computed; a typed one would only be overwritten.
            data.pop("amount")
        return data


def line_initial(line) -> dict:
    return {name: getattr(line, name) for name in ExpenditureForm.base_fields}


class AttachmentForm(ServiceFormMixin, forms.Form):
    file = forms.FileField(label=_("Invoice (PDF, office document or image)"))


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
