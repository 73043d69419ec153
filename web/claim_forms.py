"""Forms of the claims and payments pages: they shape the input of claims.services, which decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from claims.models import FUNDS, Claim, PartnerTransfer, ProgrammePayment
from consortium.errors import Problem, VersionConflict
from web.errors import ServiceFormMixin
from web.report_forms import DateInput, model_field


class ClaimActionForm(ServiceFormMixin, forms.Form):
    """A claim's button (gather, submit, verify, delete) with the version the page showed: a claim someone
    else moved on since is refused, not acted upon twice."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def call_on(self, request, claim: Claim, service, /, **kwargs):
        return self.call(request, unchanged(claim, self.cleaned_data["version"], service), claim=claim, **kwargs)


def unchanged(claim: Claim, version: int, service):
    """`service`, refused with a version conflict when the claim changed since the page was read."""
    def checked(**kwargs):
        if claim.version != version:
            raise VersionConflict("The claim changed since you opened it.")
        return service(**kwargs)
    return checked


class ClaimCreateForm(ServiceFormMixin, forms.Form):
    period = forms.ModelChoiceField(queryset=None, label=_("Period"), empty_label=None)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = project.periods.order_by("number")
        self.fields["period"].label_from_instance = lambda p: (
            f"P{p.number} · {p.start_date:%Y-%m-%d} – {p.end_date:%Y-%m-%d}")


class ClaimReturnForm(ClaimActionForm):
    comment = forms.CharField(label=_("Why the programme returned it"), widget=forms.Textarea(attrs={"rows": 3}),
                              required=False)


class ClaimFinaliseForm(ClaimActionForm):
    """One row per partner of the claim: the eligible expenditure the programme accepted (prefilled with the
    claimed amount) and, when lower, the reason."""

    def __init__(self, *args, parts, **kwargs):
        super().__init__(*args, **kwargs)
        self.parts = parts
        for part in parts:
            pk = part.partner.pk
            self.fields[f"eligible_{pk}"] = forms.DecimalField(
                label=_("Accepted (%(currency)s)") % {"currency": part.currency}, max_digits=14, decimal_places=2,
                min_value=0, initial=part.claimed)
            self.fields[f"reason_{pk}"] = forms.CharField(label=_("Reason, when less than claimed"), required=False)

    def rows(self):
        return [(part, self[f"eligible_{part.partner.pk}"], self[f"reason_{part.partner.pk}"]) for part in self.parts]

    def accepted(self) -> list[dict]:
        return [{"partner": part.partner, "eligible": self.cleaned_data[f"eligible_{part.partner.pk}"],
                 "reason": self.cleaned_data[f"reason_{part.partner.pk}"]} for part in self.parts]

    def field_for(self, problem: Problem) -> str | None:
        if problem.collection == "accepted" and problem.index is not None and problem.index < len(self.parts):
            name = f"{problem.field}_{self.parts[problem.index].partner.pk}"
            return name if name in self.fields else None
        return super().field_for(problem)


class PaymentForm(ServiceFormMixin, forms.Form):
    """Money the programme paid for a finalised claim (Norwegian funds: name the partner paid)."""

    claim = forms.ModelChoiceField(queryset=None, label=_("Claim"))
    fund = forms.ChoiceField(choices=FUNDS, label=_("Fund"))
    date = forms.DateField(label=_("Date received"), widget=DateInput)
    amount = model_field(ProgrammePayment, "amount", label=_("Amount"))
    currency = model_field(ProgrammePayment, "currency", label=_("Currency"))
    reference = model_field(ProgrammePayment, "reference", label=_("Reference"), required=False)
    partner = forms.ModelChoiceField(queryset=None, required=False, label=_("Partner paid directly"),
                                     help_text=_("Norwegian funds only; empty for the lead partner."))

    def __init__(self, *args, claims, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claim"].queryset = claims
        self.fields["claim"].label_from_instance = claim_label
        self.fields["partner"].queryset = partners
        self.fields["partner"].label_from_instance = partner_label


class TransferForm(ServiceFormMixin, forms.Form):
    """The lead partner passed a partner its ERDF share of a claim."""

    claim = forms.ModelChoiceField(queryset=None, label=_("Claim"))
    partner = forms.ModelChoiceField(queryset=None, label=_("Partner"))
    date = forms.DateField(label=_("Date passed on"), widget=DateInput)
    amount = model_field(PartnerTransfer, "amount", label=_("Amount (EUR)"), help_text="")
    reference = model_field(PartnerTransfer, "reference", label=_("Reference"), required=False)

    def __init__(self, *args, claims, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claim"].queryset = claims
        self.fields["claim"].label_from_instance = claim_label
        self.fields["partner"].queryset = partners
        self.fields["partner"].label_from_instance = partner_label


def claim_label(claim: Claim) -> str:
    return _("Claim %(number)s · P%(period)s") % {"number": claim.number, "period": claim.period.number}


def partner_label(partner) -> str:
    return f"{partner.code} {partner.organisation.short_name}"
