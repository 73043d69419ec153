"""Partner progress reports with their parts and expenditure, the MU's project report, exchange rates."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from consortium.files import generated_name
from consortium.models import Project, ReportingPeriod, VersionedModel
from partners.models import CostCategory, Partner
from workpackages.models import Deliverable, Indicator, WorkPackage

# Amounts, hours and rates of a line: the smallest positive value at two decimals. The API, the web
# forms and the import all take this limit from here.
POSITIVE_MONEY = MinValueValidator(Decimal("0.01"))


def invoice_attachment_path(instance, filename: str) -> str:
    return generated_name("invoices", filename)


class Currency(models.TextChoices):
    EUR = "EUR", "EUR"
    DKK = "DKK", "DKK"
    SEK = "SEK", "SEK"
    NOK = "NOK", "NOK"


class ExchangeRate(VersionedModel):
    """The Commission's monthly accounting rate (InforEuro): units of `currency` per 1 EUR."""

    currency = models.CharField(max_length=3, choices=[c for c in Currency.choices if c[0] != "EUR"])
    month = models.DateField(help_text=_("The first day of the month the rate applies to."))
    rate = models.DecimalField(max_digits=12, decimal_places=4)

    class Meta:
        ordering = ["-month", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "month"], name="exchange_rate_unique_per_month"),
            models.CheckConstraint(condition=Q(rate__gt=0), name="exchange_rate_positive"),
        ]

    def __str__(self):
        return f"{self.currency} {self.month:%Y-%m}: {self.rate}"

    def clean(self):
        if self.month and self.month.day != 1:
            raise ValidationError({"month": _("must be the first day of a month")})


class ProgressReport(VersionedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="progress_reports")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="progress_reports")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    summary = models.TextField(blank=True)
    problems = models.TextField(blank=True, help_text=_("Problems and deviations from the plan."))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_comment = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["period__number", "partner__number"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "period"], name="progress_report_one_per_partner_period"),
        ]

    def __str__(self):
        return f"{self.partner} · P{self.period.number}"

    def clean(self):
        if self.partner_id and self.period_id and self.partner.project_id != self.period.project_id:
            raise ValidationError({"period": _("must belong to the partner's project")})

    @property
    def project_id(self):
        return self.partner.project_id

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES


class ProjectReport(VersionedModel):
    """The MU's narrative for the funder report of one period."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="project_reports")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="project_reports")
    highlights = models.TextField(blank=True)
    deviations = models.TextField(blank=True, help_text=_("Deviations and corrective actions."))
    cross_border_value = models.TextField(blank=True, help_text=_("Cross-border added value."))
    next_steps = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "period__number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "period"], name="project_report_one_per_period"),
        ]

    def __str__(self):
        return f"{self.project} project report P{self.period.number}"

    def clean(self):
        if self.project_id and self.period_id and self.period.project_id != self.project_id:
            raise ValidationError({"period": _("must belong to the project")})


class ObjectiveStatus(models.TextChoices):
    FULLY = "fully", _("Fully achieved")
    PARTLY = "partly", _("Partly achieved")
    NOT = "not", _("Not achieved")


class WorkPackageProgress(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="work_package_progress")
    work_package = models.ForeignKey(WorkPackage, on_delete=models.PROTECT, related_name="progress")
    narrative = models.TextField()
    objective_status = models.CharField(max_length=6, choices=ObjectiveStatus.choices, default=ObjectiveStatus.PARTLY)

    class Meta:
        ordering = ["work_package__number"]
        verbose_name_plural = "work package progress"
        constraints = [models.UniqueConstraint(fields=["report", "work_package"], name="wp_progress_once_per_report")]

    def __str__(self):
        return f"{self.report} {self.work_package.code}"


class DeliverableContribution(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="deliverable_contributions")
    deliverable = models.ForeignKey(Deliverable, on_delete=models.PROTECT, related_name="contributions")
    comment = models.TextField(blank=True)
    evidence_link = models.URLField(blank=True)

    class Meta:
        ordering = ["deliverable__code"]
        constraints = [
            models.UniqueConstraint(fields=["report", "deliverable"], name="deliverable_contribution_once_per_report")
        ]

    def __str__(self):
        return f"{self.report} {self.deliverable.code}"


class IndicatorProgress(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="indicator_progress")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="progress")
    value = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["indicator__code"]
        verbose_name_plural = "indicator progress"
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="indicator_progress_once_per_report"),
            models.CheckConstraint(condition=Q(value__gte=0), name="indicator_progress_not_negative"),
        ]

    def __str__(self):
        return f"{self.report} {self.indicator.code}: {self.value}"


class EffortReported(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="effort")
    work_package = models.ForeignKey(WorkPackage, on_delete=models.PROTECT, related_name="reported_effort")
    person_months = models.DecimalField(max_digits=7, decimal_places=2, validators=[MinValueValidator(0)])

    class Meta:
        ordering = ["work_package__number"]
        verbose_name_plural = "effort reported"
        constraints = [
            models.UniqueConstraint(fields=["report", "work_package"], name="effort_reported_once_per_report"),
            models.CheckConstraint(condition=Q(person_months__gte=0), name="effort_reported_not_negative"),
        ]

    def __str__(self):
        return f"{self.report} {self.work_package.code}: {self.person_months} PM"


class Expenditure(VersionedModel):
    """One cost line of a report: an invoice, or a staff line (hours × hourly rate)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="expenditures")
    cost_category = models.CharField(max_length=16, choices=CostCategory.choices)
    work_package = models.ForeignKey(
        WorkPackage, on_delete=models.PROTECT, null=True, blank=True, related_name="expenditures"
    )
    description = models.CharField(max_length=500)
    supplier = models.CharField(max_length=200, blank=True)
    invoice_number = models.CharField(max_length=80, blank=True)
    invoice_date = models.DateField(null=True, blank=True)
    payment_date = models.DateField(null=True, blank=True)
    # Staff lines: the employee (or role), hours and the hourly rate from annual gross cost ÷ 1,720.
    employee = models.CharField(max_length=200, blank=True)
    annual_gross_cost = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True,
                                            validators=[POSITIVE_MONEY])
    hours = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True, validators=[POSITIVE_MONEY])
    hourly_rate = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True,
                                      validators=[POSITIVE_MONEY])
    amount = models.DecimalField(max_digits=12, decimal_places=2, validators=[POSITIVE_MONEY])
    currency = models.CharField(max_length=3, choices=Currency.choices, default=Currency.EUR)
    # Frozen at submission; empty while the report is a draft (or returned, for lines added since).
    exchange_rate = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    rate_month = models.DateField(null=True, blank=True)
    amount_eur = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    attachment = models.FileField(upload_to=invoice_attachment_path, blank=True, max_length=200)
    attachment_name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="expenditure_amount_positive"),
            models.CheckConstraint(
                condition=Q(exchange_rate__isnull=True) | Q(exchange_rate__gt=0), name="expenditure_rate_positive"
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gt=0), name="expenditure_hours_positive"
            ),
        ]

    def __str__(self):
        return f"{self.get_cost_category_display()}: {self.description} {self.amount} {self.currency}"

    @property
    def is_staff_line(self) -> bool:
        return self.hours is not None


class ReminderSent(models.Model):
    """One reminder of one item at one threshold to one person: never sent twice."""

    key = models.CharField(max_length=120, help_text=_("item kind, id and threshold, e.g. deliverable:12:due-14"))
    email = models.EmailField()
    sent_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "email"], name="reminder_once_per_item_person")]

    def __str__(self):
        return f"{self.key} → {self.email} ({self.sent_on})"
