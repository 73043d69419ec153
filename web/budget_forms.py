"""Forms of budget versions on the web; they shape input for partners/budget_versions.py, which decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.models import BudgetVersion, CostCategory
from web.errors import ServiceFormMixin
from web.report_forms import DateInput, model_field


class BudgetVersionForm(ServiceFormMixin, forms.Form):
    """A version's reason, decision date and first period (a new draft), plus the programme's mark (a draft)."""

    reason = model_field(BudgetVersion, "reason", label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    decision_date = model_field(BudgetVersion, "decision_date", label=_("Decision date"), widget=DateInput)
    applies_from = forms.TypedChoiceField(label=_("Applies from period"), coerce=int)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        numbers = list(project.periods.order_by("number").values_list("number", flat=True)) or [1]
        self.fields["applies_from"].choices = [(n, f"P{n}") for n in numbers]

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("reason", "decision_date", "applies_from")}


class BudgetVersionEditForm(BudgetVersionForm):
    programme_approved = model_field(BudgetVersion, "programme_approved", label=_("Approved by the programme"))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def service_data(self) -> dict:
        return {**super().service_data(), "programme_approved": self.cleaned_data["programme_approved"]}


class BudgetLineForm(ServiceFormMixin, forms.Form):
    """A partner's whole-project budget in one cost category, in a draft (a split per period: the API)."""

    partner = forms.TypedChoiceField(label=_("Partner"), coerce=int)
    cost_category = forms.ChoiceField(label=_("Cost category"), choices=CostCategory.choices)
    amount = forms.DecimalField(label=_("Amount"), max_digits=12, decimal_places=2, min_value=0,
                                help_text=_("In the partner's reporting currency."))

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.partners = {p.pk: p for p in partners}
        self.fields["partner"].choices = [(p.pk, f"{p.code} {p.organisation.short_name}") for p in partners]
