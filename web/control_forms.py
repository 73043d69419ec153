"""Forms of the control page (first-level control): they shape the input; reporting.services decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from partners.models import CostCategory
from reporting.models import DeductionType
from web.errors import ServiceFormMixin


class ControlFilterForm(forms.Form):
    """The GET filters of the control page's lines; they live in the URL so a filtered view can be shared."""

    category = forms.ChoiceField(label=_("Cost category"), required=False)
    min_amount = forms.DecimalField(label=_("Amount from"), required=False, min_value=0, decimal_places=2)
    max_amount = forms.DecimalField(label=_("Amount up to"), required=False, min_value=0, decimal_places=2)
    attachment = forms.ChoiceField(label=_("Evidence"), required=False, choices=[
        ("", _("All")), ("yes", _("With evidence")), ("no", _("Without evidence"))])
    state = forms.ChoiceField(label=_("Control"), required=False, choices=[
        ("", _("All")), ("open", _("Not verified yet")), ("done", _("Verified or parked"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All")), *CostCategory.choices]

    def keep(self, row) -> bool:
        """Whether the control row passes the filters (invalid filters filter nothing)."""
        if not self.is_bound or not self.is_valid():
            return True
        wanted = self.cleaned_data
        if wanted["category"] and row.category != wanted["category"]:
            return False
        if wanted["min_amount"] is not None and row.amount < wanted["min_amount"]:
            return False
        if wanted["max_amount"] is not None and row.amount > wanted["max_amount"]:
            return False
        if wanted["attachment"] and row.has_evidence != (wanted["attachment"] == "yes"):
            return False
        if wanted["state"] and row.done != (wanted["state"] == "done"):
            return False
        return True


class LineControlForm(ServiceFormMixin, forms.Form):
    """One line's verification, with the version of its control row the page showed (a stale form is refused)."""

    verified_amount = forms.DecimalField(label=_("Verified amount"), required=False, min_value=0, max_digits=12,
                                         decimal_places=2)
    deduction_type = forms.ChoiceField(label=_("Deduction type"), required=False)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    sampled = forms.BooleanField(label=_("Checked in a sample"), required=False)
    parked = forms.BooleanField(label=_("Park: verify with a later report"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deduction_type"].choices = [("", _("None")), *DeductionType.choices]

    def service_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in ("verified_amount", "deduction_type", "comment",
                                                            "sampled", "parked")}
        if data["parked"]:
            data["verified_amount"] = None  # a parked line has no verified amount; the service says so otherwise
        return data


def line_control_initial(control) -> dict:
    return {"verified_amount": control.verified_amount, "deduction_type": control.deduction_type,
            "comment": control.comment, "sampled": control.sampled, "parked": control.parked,
            "version": control.version}


class VerifyLinesForm(ServiceFormMixin, forms.Form):
    """Verify many lines as declared at once: the ticked control rows."""

    ids = forms.TypedMultipleChoiceField(coerce=int, label=_("Lines"),
                                         error_messages={"required": _("Tick the lines to verify.")})

    def __init__(self, *args, control_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Any id passes here; the service alone says which ones are lines of the report.
        self.fields["ids"].choices = [(str(pk), str(pk)) for pk in control_ids]
        self.fields["ids"].valid_value = lambda value: str(value).isdigit()


class ControlReturnForm(ServiceFormMixin, forms.Form):
    comment = forms.CharField(label=_("Findings for the partner"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))

