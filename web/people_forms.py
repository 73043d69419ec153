"""Forms of the people, new-project and risk pages; they shape input for the core's and the work plan's services.

A role may ask for more than the role itself: a reporter names the partner they report for. `ROLE_FIELDS`
says which form fields belong to which role, so a role that needs another field (a controller naming the
partners it controls) adds its field to the forms and one entry here; the page shows each field only with
its role (static/js/people.js) and the service drops what the chosen role does not use.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from consortium.models import Programme, Project, Role
from consortium.text import validate_one_line
from partners.models import Partner
from web.errors import ServiceFormMixin
from web.report_forms import DateInput, model_field
from workpackages.models import Risk

ROLE_FIELDS: dict[str, tuple[str, ...]] = {Role.REPORTER: ("partner",)}


def project_partners(project: Project) -> list[Partner]:
    """The partners a role may name, read once per page and shared by every row's form."""
    return list(Partner.objects.filter(project=project).select_related("organisation").order_by("number"))


def _partner_field() -> forms.ChoiceField:
    return forms.ChoiceField(required=False, label=_("Partner"),
                             help_text=_("Reporters only: the partner they report for."))


class RoleFieldsMixin:
    """A role and what it names; the partners' choices come from a list read once for the page's many forms."""

    def set_partners(self, partners: list[Partner]) -> None:
        self.partners = {str(p.pk): p for p in partners}
        self.fields["partner"].choices = [("", "—"), *((str(p.pk), f"{p.code} {p.organisation.short_name}")
                                                       for p in partners)]

    def clean_partner(self) -> Partner | None:
        return self.partners.get(self.cleaned_data["partner"])

    def role_data(self) -> dict:
        """The role and the fields the chosen role uses (the others are left out)."""
        role = self.cleaned_data["role"]
        extra = {name: self.cleaned_data.get(name) for name in ROLE_FIELDS.get(role, ())}
        return {"role": role, **extra}


class InviteForm(RoleFieldsMixin, ServiceFormMixin, forms.Form):
    """Invite a person by e-mail to the project with a role (the API's POST /api/users/)."""

    email = forms.EmailField(label=_("E-mail"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False,
                                 validators=[validate_one_line])
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False, validators=[validate_one_line])
    # Most people invited are partners' reporters.
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.REPORTER)
    partner = _partner_field()

    def __init__(self, *args, partners: list[Partner], **kwargs):
        super().__init__(*args, prefix="invite", **kwargs)
        self.set_partners(partners)


class MembershipForm(RoleFieldsMixin, ServiceFormMixin, forms.Form):
    """One member's role (and what the role names), with the version the page showed."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    partner = _partner_field()
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, membership, partners: list[Partner], **kwargs):
        initial = {"role": membership.role, "partner": membership.partner_id, "version": membership.version}
        super().__init__(*args, prefix=f"member-{membership.pk}", initial=initial, **kwargs)
        self.membership = membership
        self.set_partners(partners)


class NewProjectForm(ServiceFormMixin, forms.Form):
    """A superuser's new project: the programme, its identity and dates, the period length, and its first MU."""

    programme = forms.ModelChoiceField(queryset=Programme.objects.all(), label=_("Programme"))
    acronym = model_field(Project, "acronym", label=_("Acronym"))
    title = model_field(Project, "title", label=_("Title"))
    start_date = model_field(Project, "start_date", label=_("Start date"), widget=DateInput,
                             help_text=_("The first day of a month."))
    end_date = model_field(Project, "end_date", label=_("End date"), widget=DateInput,
                           help_text=_("The last day of a month."))
    period_months = forms.IntegerField(
        label=_("Period length (months)"), min_value=1, initial=6,
        help_text=_("Reporting periods of this length tile the project; the last one ends with the project. "
                    "Each report is due at the end of the second month after its period."))
    email = forms.EmailField(label=_("E-mail of the first management-unit member"),
                             help_text=_("They are invited at once and choose their password from the e-mail."))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False,
                                 validators=[validate_one_line])
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False, validators=[validate_one_line])

    PROJECT_FIELDS = ("programme", "acronym", "title", "start_date", "end_date")

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {"data": {name: data[name] for name in self.PROJECT_FIELDS}, "period_months": data["period_months"],
                "email": data["email"], "first_name": data["first_name"], "last_name": data["last_name"]}


class RiskForm(ServiceFormMixin, forms.Form):
    """One risk of the register, with the version it was shown at (none for a new risk)."""

    title = model_field(Risk, "title", label=_("Risk"))
    description = model_field(Risk, "description", label=_("Description"),
                              widget=forms.Textarea(attrs={"rows": 3}))
    likelihood = forms.TypedChoiceField(label=_("Likelihood"), choices=Risk.Level.choices, coerce=int,
                                        initial=Risk.Level.MEDIUM)
    impact = forms.TypedChoiceField(label=_("Impact"), choices=Risk.Level.choices, coerce=int,
                                    initial=Risk.Level.MEDIUM)
    owner = forms.ModelChoiceField(queryset=Partner.objects.none(), required=False, label=_("Owner"),
                                   empty_label=_("Management unit"),
                                   help_text=_("The partner that watches the risk."))
    mitigation = model_field(Risk, "mitigation", label=_("Mitigation"), widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(label=_("Status"), choices=Risk.Status.choices, initial=Risk.Status.OPEN)
    review_date = model_field(Risk, "review_date", label=_("Review date"), widget=DateInput)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    FIELDS = ("title", "description", "likelihood", "impact", "owner", "mitigation", "status", "review_date")

    def __init__(self, *args, project: Project, risk: Risk | None = None, **kwargs):
        if risk is not None:
            kwargs.setdefault("initial", {**{name: getattr(risk, name) for name in self.FIELDS},
                                          "owner": risk.owner_id, "version": risk.version})
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Partner.objects.filter(project=project).select_related("organisation")
        self.fields["owner"].label_from_instance = lambda p: f"{p.code} {p.organisation.short_name}"
        if risk is not None:
            self.fields["version"].required = True

    def service_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}
