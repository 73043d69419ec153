"""Organisations, their part in a project (Partner), contacts and budgets."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from consortium.files import generated_name
from consortium.models import PERCENT, Programme, Project, ReportingPeriod, VersionedModel
from consortium.text import LineField
from partners.cost_options import (
    HIGHEST_FLAT_RATE,
    LOWEST_FLAT_RATE,
    CostCategory,
    CostOptions,
    OfficeOption,
    ProgrammeMaxima,
    StaffOption,
    TravelOption,
    option_violations,
)

# Money in the plan: positive, to the cent.
POSITIVE_MONEY = MinValueValidator(Decimal("0.01"))


def programme_maxima(programme: Programme) -> ProgrammeMaxima:
    """The programme's flat-rate maxima (its settings; the regulations' ceilings unless it set lower ones)."""
    return ProgrammeMaxima(office_on_staff=programme.max_office_on_staff,
                           office_on_direct=programme.max_office_on_direct,
                           travel_on_staff=programme.max_travel_on_staff,
                           staff_on_direct=programme.max_staff_on_direct,
                           other_costs_on_staff=programme.max_other_costs_on_staff)


def _flat_rate_field(**kwargs) -> models.DecimalField:
    # No field validators: Partner.clean() names every wrong rate with the option it belongs to.
    return models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True,
                               help_text=_("Percent; empty unless the option is a flat rate."), **kwargs)


class Organisation(VersionedModel):
    class LegalStatus(models.TextChoices):
        PUBLIC = "public", _("Public")
        PRIVATE = "private", _("Private")
        NON_PROFIT = "non_profit", _("Non-profit")

    name = LineField(max_length=200, unique=True)
    short_name = LineField(max_length=40, unique=True)
    country = LineField(max_length=2, help_text=_("ISO 3166-1 alpha-2 code, e.g. DK, SE, NO."))
    legal_status = models.CharField(max_length=12, choices=LegalStatus.choices)
    nuts_region = LineField(max_length=10, blank=True, help_text=_("NUTS code, e.g. DK01, SE224."))
    vat_or_pic = LineField("VAT / PIC", max_length=40, blank=True)
    website = models.URLField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(country__regex=r"^[A-Z]{2}$"), name="organisation_country_iso2"),
        ]

    def __str__(self):
        return self.short_name


class FundingSource(models.TextChoices):
    ERDF = "erdf", _("ERDF (EU)")
    NORWEGIAN = "norwegian_national", _("Norwegian national Interreg funds")
    NONE = "none", _("None (own funds)")


class ReportingCurrency(models.TextChoices):
    """The currency a partner budgets and reports in: EUR, or NOK for a Norwegian partner financed by Norwegian
    Interreg funds (ÖKS: "NOK stays in NOK", DOMAIN.md §1)."""

    EUR = "EUR", "EUR"
    NOK = "NOK", "NOK"


class Partner(VersionedModel):
    class PartnerRole(models.TextChoices):
        LEAD = "lead", _("Lead partner")
        PARTNER = "partner", _("Partner")
        ASSOCIATED = "associated", _("Associated partner")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="partnerships")
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    role = models.CharField(max_length=12, choices=PartnerRole.choices, default=PartnerRole.PARTNER)
    cofinancing_rate = models.DecimalField(
        max_digits=5, decimal_places=2, validators=PERCENT, help_text=_("Percent of eligible costs.")
    )
    funding_source = models.CharField(max_length=20, choices=FundingSource.choices, default=FundingSource.ERDF)
    # Simplified cost options (partners.cost_options; docs/REPORTING.md). Set in the plan, fixed once the
    # partner has submitted a report (partners.services.partner_update). The default is the ÖKS norm: office &
    # administration at 15 % of direct staff costs, everything else at real cost.
    office_option = models.CharField(max_length=12, choices=OfficeOption.choices, default=OfficeOption.FLAT_STAFF)
    office_flat_rate = _flat_rate_field(default=Decimal("15.00"))
    travel_option = models.CharField(max_length=12, choices=TravelOption.choices, default=TravelOption.REAL)
    travel_flat_rate = _flat_rate_field()
    staff_option = models.CharField(max_length=12, choices=StaffOption.choices, default=StaffOption.REAL)
    staff_flat_rate = _flat_rate_field()
    uses_other_costs_flat_rate = models.BooleanField(
        default=False, help_text=_("A flat rate on direct staff costs covers every other cost category."))
    other_costs_flat_rate = _flat_rate_field()
    # A NOK partner's budget lines, report lines and co-financing are in NOK; project-wide EUR totals convert its
    # lines at their frozen rates and its budget at the rate of the month the budget was approved.
    reporting_currency = models.CharField(max_length=3, choices=ReportingCurrency.choices,
                                          default=ReportingCurrency.EUR,
                                          help_text=_("The currency of this partner's budget and reports."))
    budget_approved_month = models.DateField(
        null=True, blank=True,
        help_text=_("The first day of the month the budget was approved; its exchange rate converts a budget in "
                    "another currency to EUR. Empty: the project's start month."))
    history = HistoricalRecords()

    COST_OPTION_FIELDS = ("office_option", "office_flat_rate", "travel_option", "travel_flat_rate", "staff_option",
                          "staff_flat_rate", "uses_other_costs_flat_rate", "other_costs_flat_rate")

    class Meta:
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="partner_number_unique_per_project"),
            models.UniqueConstraint(fields=["project", "organisation"], name="partner_organisation_once_per_project"),
            models.UniqueConstraint(fields=["project"], condition=Q(role="lead"), name="partner_one_lead_per_project"),
            models.CheckConstraint(
                condition=Q(cofinancing_rate__gte=0, cofinancing_rate__lte=100), name="partner_cofinancing_rate_percent"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="partner_number_positive"),
            *(
                # A flat rate is empty or 1..100 % (the range Jems accepts); the programme's maxima narrow it.
                models.CheckConstraint(
                    condition=Q(**{f"{rate}__isnull": True})
                    | Q(**{f"{rate}__gte": LOWEST_FLAT_RATE, f"{rate}__lte": HIGHEST_FLAT_RATE}),
                    name=f"partner_{rate}_percent")
                for rate in ("office_flat_rate", "travel_flat_rate", "staff_flat_rate", "other_costs_flat_rate")
            ),
            *(
                # A rate exactly when the option is a flat rate.
                models.CheckConstraint(
                    condition=Q(**{option: "real", f"{rate}__isnull": True})
                    | (~Q(**{option: "real"}) & Q(**{f"{rate}__isnull": False})),
                    name=f"partner_{rate}_with_its_option")
                for option, rate in (("office_option", "office_flat_rate"), ("travel_option", "travel_flat_rate"),
                                     ("staff_option", "staff_flat_rate"))
            ),
            models.CheckConstraint(
                condition=Q(uses_other_costs_flat_rate=False, other_costs_flat_rate__isnull=True)
                | Q(uses_other_costs_flat_rate=True, other_costs_flat_rate__isnull=False),
                name="partner_other_costs_flat_rate_with_its_option"),
            # CPR Art. 56: the other-costs rate covers office and travel and sits on real staff costs.
            models.CheckConstraint(
                condition=Q(uses_other_costs_flat_rate=False)
                | Q(office_option="real", travel_option="real", staff_option="real"),
                name="partner_other_costs_flat_rate_alone"),
        ]

    def __str__(self):
        return f"{self.code} {self.organisation.short_name}"

    @property
    def code(self) -> str:
        return f"PP{self.number}"

    @property
    def cost_options(self) -> CostOptions:
        return CostOptions(**{name: getattr(self, name) for name in self.COST_OPTION_FIELDS})

    @property
    def budget_rate_month(self):
        """The month whose rate converts this partner's budget to EUR (a budget in EUR needs none)."""
        return self.budget_approved_month or self.project.start_date.replace(day=1)

    def clean(self):
        """Every option rule at once: ranges, the programme's maxima and the exclusions (partners.cost_options)."""
        # A real-cost option with a rate of 0 is one without a rate (option_violations reads it so too).
        for option, rate in (("office_option", "office_flat_rate"), ("travel_option", "travel_flat_rate"),
                             ("staff_option", "staff_flat_rate")):
            if getattr(self, option) == "real" and getattr(self, rate) == 0:
                setattr(self, rate, None)
        if not self.uses_other_costs_flat_rate and self.other_costs_flat_rate == 0:
            self.other_costs_flat_rate = None
        errors: dict[str, list[str]] = {}
        if self.budget_approved_month and self.budget_approved_month.day != 1:
            errors["budget_approved_month"] = [_("must be the first day of a month")]
        if not self.project_id:
            if errors:
                raise ValidationError(errors)
            return
        for violation in option_violations(self.cost_options, programme_maxima(self.project.programme)):
            errors.setdefault(violation.field, []).append(violation.message)
        if errors:
            raise ValidationError(errors)


class Contact(VersionedModel):
    class Kind(models.TextChoices):
        PROJECT_MANAGER = "project_manager", _("MU project manager")
        FINANCE = "finance", _("MU finance officer")
        COMMUNICATION = "communication", _("MU communication officer")
        PARTNER_CONTACT = "partner_contact", _("Partner contact")
        LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="contacts")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="contacts")
    name = LineField(max_length=200)
    title = LineField(max_length=200, blank=True)
    email = models.EmailField()
    phone = LineField(max_length=40, blank=True)
    kind = models.CharField(max_length=24, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="contacts"
    )

    class Meta:
        ordering = ["project", "organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "email", "kind"], name="contact_unique_per_project_kind"),
        ]

    def __str__(self):
        return f"{self.name} ({self.organisation})"


class BudgetVersion(VersionedModel):
    """One version of a project's budget: version 1 is the approved application, each later one a modification.

    A version holds its full set of budget lines (copied from the version it was made from, then changed), so
    the budget in force for a period is one filter on one version (partners/budget_selectors.py) and any two
    versions compare line by line. Approved versions are read-only.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_versions")
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    reason = models.TextField(blank=True, help_text=_("Why the budget changes (a modification's justification)."))
    decision_date = models.DateField(null=True, blank=True, help_text=_("The date of the decision to change it."))
    applies_from = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1)],
        help_text=_("The number of the first reporting period this budget applies to."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    needs_programme_approval = models.BooleanField(
        default=False, editable=False,
        help_text=_("Set by the flexibility check: its shifts exceed the programme's threshold."))
    programme_approved = models.BooleanField(
        default=False, help_text=_("The programme has approved this modification (needed when it exceeds the "
                                   "programme's flexibility)."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", editable=False)
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="budget_version_number_unique"),
            # One draft at a time: "the draft" of a project is unambiguous (lines without a version go there).
            models.UniqueConstraint(fields=["project"], condition=Q(status="draft"),
                                    name="budget_version_one_draft"),
            models.CheckConstraint(condition=Q(number__gte=1) & Q(applies_from__gte=1),
                                   name="budget_version_numbers_positive"),
        ]

    def __str__(self):
        return f"{self.project} budget v{self.number}"

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


def initial_budget_version(project: Project) -> "BudgetVersion":
    """Version 1 of the project, approved and in force from period 1; created when missing.

    Lines created without naming a version (seed data, fixtures, bulk imports that bypass the services) are
    the approved application budget; the services, the API and the web always name a draft version.
    """
    version, _created = BudgetVersion.objects.get_or_create(
        project=project, number=1, defaults={"status": BudgetVersion.Status.APPROVED, "applies_from": 1})
    return version


class BudgetLine(VersionedModel):
    """The budget of one partner in one cost category, for the whole project or one period, in one budget version."""

    budget_version = models.ForeignKey(BudgetVersion, on_delete=models.CASCADE, related_name="lines", blank=True,
                                       help_text=_("The budget version this line belongs to."))
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="budget_lines")
    cost_category = models.CharField(max_length=16, choices=CostCategory.choices)
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, null=True, blank=True, related_name="budget_lines",
        help_text=_("Empty for the whole project."),
    )
    amount = models.DecimalField(max_digits=12, decimal_places=2,
                                 help_text=_("In the partner's reporting currency (EUR unless it reports in NOK)."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["partner", "cost_category", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget_version", "partner", "cost_category", "period"], name="budget_line_unique_per_period"
            ),
            models.UniqueConstraint(
                fields=["budget_version", "partner", "cost_category"], condition=Q(period__isnull=True),
                name="budget_line_unique_whole_project",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_amount_not_negative"),
        ]

    def __str__(self):
        return f"{self.partner} {self.cost_category} {self.amount}"

    def clean(self):
        if self.period_id and self.partner_id and self.period.project_id != self.partner.project_id:
            raise ValidationError({"period": _("The period must belong to the partner's project.")})
        if not self.partner_id:
            return
        if self.budget_version_id is None:
            # Unnamed: the project's draft version, the only one whose lines change.
            draft = BudgetVersion.objects.filter(
                project_id=self.partner.project_id, status=BudgetVersion.Status.DRAFT).first()
            if draft is None:  # (reading self.budget_version while it is unset would raise, not give None)
                raise ValidationError({"budget_version": _(
                    "Approved budget versions are read-only: start a new budget version to change the budget.")})
            self.budget_version = draft
        if self.budget_version.project_id != self.partner.project_id:
            raise ValidationError({"budget_version": _("The budget version must belong to the partner's project.")})
        if self.budget_version.is_approved:
            raise ValidationError({"budget_version": _(
                "Approved budget versions are read-only: start a new budget version to change the budget.")})

    def save(self, *args, **kwargs):
        if self.budget_version_id is None:
            self.budget_version = initial_budget_version(self.partner.project)
        super().save(*args, **kwargs)


class UnitCost(VersionedModel):
    """A price per unit set in the plan (e.g. per participant-day); a report line claims units × price."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="unit_costs")
    name = LineField(max_length=200)
    unit = LineField(max_length=60, help_text=_("What one unit is, e.g. participant-day."))
    price_per_unit = models.DecimalField(max_digits=12, decimal_places=2, validators=[POSITIVE_MONEY],
                                         help_text=_("EUR"))
    cost_category = models.CharField(max_length=16, choices=CostCategory.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="unit_cost_name_unique_per_project"),
            models.CheckConstraint(condition=Q(price_per_unit__gt=0), name="unit_cost_price_positive"),
        ]

    def __str__(self):
        return f"{self.name} ({self.price_per_unit} EUR per {self.unit})"


class LumpSum(VersionedModel):
    """A fixed amount for a result, set in the plan with each partner's share; claimed whole once achieved.

    The MU marks it achieved (date and evidence); each partner's report then claims its whole share
    (reporting.services, docs/REPORTING.md "Unit costs and lump sums").
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="lump_sums")
    name = LineField(max_length=200)
    amount = models.DecimalField(max_digits=12, decimal_places=2, validators=[POSITIVE_MONEY], help_text=_("EUR"))
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="lump_sums",
                               help_text=_("The period whose reports claim it once it is achieved."))
    achieved_date = models.DateField(null=True, blank=True)
    evidence = models.TextField(blank=True, help_text=_("What proves the result: a document, a link, a reference."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "period__number", "name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="lump_sum_name_unique_per_project"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="lump_sum_amount_positive"),
            models.CheckConstraint(condition=Q(achieved_date__isnull=True) | ~Q(evidence=""),
                                   name="lump_sum_achieved_with_evidence"),
        ]

    def __str__(self):
        return f"{self.name} ({self.amount} EUR)"

    def clean(self):
        if self.period_id and self.project_id and self.period.project_id != self.project_id:
            raise ValidationError({"period": _("The period must belong to the lump sum's project.")})
        if self.achieved_date and not self.evidence.strip():
            raise ValidationError({"evidence": _("Say what proves that the lump sum is achieved.")})

    @property
    def achieved(self) -> bool:
        return self.achieved_date is not None


class LumpSumShare(models.Model):
    """One partner's part of a lump sum, as an amount (the shares add up to the lump sum)."""

    lump_sum = models.ForeignKey(LumpSum, on_delete=models.CASCADE, related_name="shares")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="lump_sum_shares")
    amount = models.DecimalField(max_digits=12, decimal_places=2, validators=[POSITIVE_MONEY], help_text=_("EUR"))

    class Meta:
        ordering = ["lump_sum", "partner__number"]
        constraints = [
            models.UniqueConstraint(fields=["lump_sum", "partner"], name="lump_sum_share_once_per_partner"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="lump_sum_share_positive"),
        ]

    def __str__(self):
        return f"{self.lump_sum.name}: {self.partner} {self.amount}"


def contract_file_path(instance, filename: str) -> str:
    return generated_name("contracts", filename)


class ProcurementProcedure(models.TextChoices):
    """How a contract was awarded (Directive 2014/24 Art. 26-32, and national rules below the thresholds)."""

    OPEN = "open", _("Open procedure")
    RESTRICTED = "restricted", _("Restricted procedure")
    NEGOTIATED = "negotiated", _("Competitive procedure with negotiation")
    COMPETITIVE_DIALOGUE = "competitive_dialogue", _("Competitive dialogue")
    NEGOTIATED_WITHOUT_NOTICE = "negotiated_without_notice", _("Negotiated procedure without prior publication")
    PRICE_COMPARISON = "price_comparison", _("Price comparison (below the thresholds)")
    DIRECT_AWARD = "direct_award", _("Direct award (below the thresholds)")


class Contract(VersionedModel):
    """One entry of a partner's procurement register: the contract behind its invoices.

    A report line may name it (reporting.Expenditure.contract). The value is in EUR excluding VAT, as the
    programme's and the Directive's thresholds are (consortium.Programme).
    """

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contracts")
    supplier = LineField(max_length=200)
    subject = LineField(max_length=500)
    value = models.DecimalField(max_digits=12, decimal_places=2, validators=[POSITIVE_MONEY],
                                help_text=_("EUR, excluding VAT."))
    procedure = models.CharField(max_length=32, choices=ProcurementProcedure.choices, blank=True,
                                 help_text=_("Empty while no procedure is named."))
    contract_date = models.DateField(null=True, blank=True)
    file = models.FileField(upload_to=contract_file_path, blank=True, max_length=200)
    file_name = models.CharField(max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["partner", "contract_date", "id"]
        constraints = [models.CheckConstraint(condition=Q(value__gt=0), name="contract_value_positive")]

    def __str__(self):
        return f"{self.supplier}: {self.subject}"

    @property
    def project_id(self):
        return self.partner.project_id

    def needs_procedure(self, programme: Programme) -> bool:
        """At or above the programme's threshold and no procedure named: the review page flags it."""
        return not self.procedure and self.value >= programme.procurement_threshold

    def above_public_threshold(self, programme: Programme) -> bool:
        return self.value > programme.public_procurement_threshold
