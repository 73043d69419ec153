"""Forms of the plan's money on the web; they shape input for partners/services.py, which decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.models import LumpSum
from web.errors import ServiceFormMixin
from web.report_forms import DateInput, model_field


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
