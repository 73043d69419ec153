"""Organisations, their part in a project (Partner), contacts and budgets."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from consortium.models import PERCENT, Project, ReportingPeriod, VersionedModel


class CostCategory(models.TextChoices):
    STAFF = "staff", _("Staff")
    OFFICE_ADMIN = "office_admin", _("Office & administration")
    TRAVEL = "travel", _("Travel & accommodation")
    EXTERNAL = "external", _("External expertise & services")
    EQUIPMENT = "equipment", _("Equipment")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure & works")


class Organisation(VersionedModel):
    class LegalStatus(models.TextChoices):
        PUBLIC = "public", _("Public")
        PRIVATE = "private", _("Private")
        NON_PROFIT = "non_profit", _("Non-profit")

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, unique=True)
    country = models.CharField(max_length=2, help_text=_("ISO 3166-1 alpha-2 code, e.g. DK, SE, NO."))
    legal_status = models.CharField(max_length=12, choices=LegalStatus.choices)
    nuts_region = models.CharField(max_length=10, blank=True, help_text=_("NUTS code, e.g. DK01, SE224."))
    vat_or_pic = models.CharField("VAT / PIC", max_length=40, blank=True)
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
    uses_office_flat_rate = models.BooleanField(
        default=True,
        help_text=_("Office & administration claimed as a flat rate of staff costs; no real office costs."),
    )
    office_flat_rate = models.DecimalField(
        max_digits=5, decimal_places=2, default=15, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="partner_number_unique_per_project"),
            models.UniqueConstraint(fields=["project", "organisation"], name="partner_organisation_once_per_project"),
            models.UniqueConstraint(fields=["project"], condition=Q(role="lead"), name="partner_one_lead_per_project"),
            models.CheckConstraint(
                condition=Q(cofinancing_rate__gte=0, cofinancing_rate__lte=100), name="partner_cofinancing_rate_percent"
            ),
            models.CheckConstraint(
                condition=Q(office_flat_rate__gte=0, office_flat_rate__lte=100), name="partner_office_flat_rate_percent"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="partner_number_positive"),
        ]

    def __str__(self):
        return f"{self.code} {self.organisation.short_name}"

    @property
    def code(self) -> str:
        return f"PP{self.number}"


class Contact(VersionedModel):
    class Kind(models.TextChoices):
        PROJECT_MANAGER = "project_manager", _("MU project manager")
        FINANCE = "finance", _("MU finance officer")
        COMMUNICATION = "communication", _("MU communication officer")
        PARTNER_CONTACT = "partner_contact", _("Partner contact")
        LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="contacts")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="contacts")
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=200, blank=True)
    email = models.EmailField()
    phone = models.CharField(max_length=40, blank=True)
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


class BudgetLine(VersionedModel):
    """The approved budget of one partner in one cost category, for the whole project or one period."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="budget_lines")
    cost_category = models.CharField(max_length=16, choices=CostCategory.choices)
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, null=True, blank=True, related_name="budget_lines",
        help_text=_("Empty for the whole project."),
    )
    amount = models.DecimalField(max_digits=12, decimal_places=2, help_text=_("EUR"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["partner", "cost_category", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "cost_category", "period"], name="budget_line_unique_per_period"
            ),
            models.UniqueConstraint(
                fields=["partner", "cost_category"], condition=Q(period__isnull=True),
                name="budget_line_unique_whole_project",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_line_amount_not_negative"),
        ]

    def __str__(self):
        return f"{self.partner} {self.cost_category} {self.amount}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.period_id and self.partner_id and self.period.project_id != self.partner.project_id:
            raise ValidationError({"period": _("The period must belong to the partner's project.")})
