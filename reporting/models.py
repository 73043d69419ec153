"""Partner progress reports with their parts and expenditure, the MU's project report, exchange rates."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from consortium.files import generated_name
from consortium.models import Project, ReportingPeriod, VersionedModel
from consortium.text import LineField
from partners.cost_options import StaffCostMethod
from partners.models import CostCategory, LumpSumShare, Partner, ReportingCurrency, UnitCost
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
        IN_CONTROL = "in_control", _("In control")
        CERTIFIED = "certified", _("Certified")

    EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)
    # Past the partner's part: the MU approved its content or its controller has it (docs/REPORTING.md).
    DONE_STATUSES = (Status.APPROVED, Status.IN_CONTROL, Status.CERTIFIED)

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="progress_reports")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="progress_reports")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    summary = models.TextField(blank=True)
    problems = models.TextField(blank=True, help_text=_("Problems and deviations from the plan."))
    # The spending profile (reporting/spending.py) sets it against the next period's plan.
    forecast_next_period = models.DecimalField(
        max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(Decimal("0"))],
        help_text=_("What the partner expects to spend in the next period, in its reporting currency."))
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
    # First-level control (reporting.services): who started and certified, and what the controller found when
    # sending the report back (the MU's comment stays in review_comment).
    control_started_at = models.DateTimeField(null=True, blank=True)
    control_started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    control_comment = models.TextField(blank=True, help_text=_("The controller's findings when sending it back."))
    certified_at = models.DateTimeField(null=True, blank=True)
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
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
    """One cost line of a report: an invoice, a staff line or a unit-cost line.

    A staff line's amount is computed by its method (reporting.money: hourly = annual gross cost ÷ 1,720
    × hours; fixed percentage = monthly gross cost × percentage × months; full time = monthly gross cost
    × months); a unit-cost line's amount is units × the plan's price per unit, in EUR.
    """

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="expenditures")
    cost_category = models.CharField(max_length=16, choices=CostCategory.choices)
    work_package = models.ForeignKey(
        WorkPackage, on_delete=models.PROTECT, null=True, blank=True, related_name="expenditures"
    )
    description = LineField(max_length=500)
    supplier = LineField(max_length=200, blank=True)
    invoice_number = LineField(max_length=80, blank=True)
    invoice_date = models.DateField(null=True, blank=True)
    payment_date = models.DateField(null=True, blank=True)
    # Staff lines: the employee (or role) and the method's figures; the hourly rate is computed.
    employee = LineField(max_length=200, blank=True)
    staff_method = models.CharField(max_length=16, choices=StaffCostMethod.choices, blank=True,
                                    help_text=_("Staff lines only; hourly when not given."))
    annual_gross_cost = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True,
                                            validators=[POSITIVE_MONEY])
    hours = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True, validators=[POSITIVE_MONEY])
    hourly_rate = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True,
                                      validators=[POSITIVE_MONEY])
    monthly_gross_cost = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True,
                                             validators=[POSITIVE_MONEY])
    percentage = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True,
                                     validators=[POSITIVE_MONEY, MaxValueValidator(Decimal(100))],
                                     help_text=_("Fixed percentage of working time on the project."))
    months = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True, validators=[POSITIVE_MONEY],
                                 help_text=_("Months worked in the period (at most the period's length)."))
    # Unit-cost lines: units of a unit cost of the plan; the line takes its category, and EUR.
    unit_cost = models.ForeignKey(UnitCost, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="expenditures")
    units = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True, validators=[POSITIVE_MONEY])
    # Invoice lines: the invoice as a controller reads it; the declared `amount` is computed from it
    # (money.invoice_declared_amount: (total − recoverable VAT) × share, half-up to the cent).
    invoice_total = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True,
                                        validators=[POSITIVE_MONEY], help_text=_("The invoice's total, VAT included."))
    vat_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True,
                                     validators=[MinValueValidator(0)], help_text=_("The VAT the invoice includes."))
    vat_recoverable = models.BooleanField(
        default=False, help_text=_("The partner recovers this VAT; recoverable VAT is never declared."))
    declared_share = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[POSITIVE_MONEY, MaxValueValidator(Decimal(100))],
        help_text=_("The percentage of the invoice charged to the project, e.g. 30 for a laptop used 30 percent "
                    "of the time for it."))
    contract = models.ForeignKey("partners.Contract", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="expenditures",
                                 help_text=_("The contract of the partner's procurement register behind this line."))
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
            models.CheckConstraint(condition=Q(cost_category="staff") | Q(staff_method=""),
                                   name="expenditure_staff_method_on_staff_lines"),
            models.CheckConstraint(
                condition=Q(percentage__isnull=True) | Q(percentage__gt=0, percentage__lte=100),
                name="expenditure_percentage_of_time"),
            models.CheckConstraint(condition=Q(months__isnull=True) | Q(months__gt=0),
                                   name="expenditure_months_positive"),
            models.CheckConstraint(
                condition=Q(invoice_total__isnull=True, vat_amount__isnull=True, declared_share__isnull=True)
                | Q(invoice_total__gt=0, vat_amount__gte=0, vat_amount__lte=models.F("invoice_total"),
                    declared_share__gt=0, declared_share__lte=100),
                name="expenditure_invoice_figures"),
            models.CheckConstraint(
                condition=Q(unit_cost__isnull=True, units__isnull=True)
                | Q(unit_cost__isnull=False, units__isnull=False, units__gt=0, currency="EUR"),
                name="expenditure_unit_cost_with_units"),
        ]

    def __str__(self):
        return f"{self.get_cost_category_display()}: {self.description} {self.amount} {self.currency}"

    @property
    def is_staff_line(self) -> bool:
        return self.cost_category == CostCategory.STAFF

    @property
    def is_unit_cost_line(self) -> bool:
        return self.unit_cost_id is not None

    @property
    def is_invoice_line(self) -> bool:
        return not (self.is_staff_line or self.is_unit_cost_line)


class DeductionType(models.TextChoices):
    """Why a controller did not verify (all of) a line: the categories of Jems' control deductions."""

    INELIGIBLE = "ineligible", _("Ineligible expenditure")
    EVIDENCE = "evidence", _("Missing or insufficient evidence")
    ELIGIBILITY_PERIOD = "eligibility_period", _("Outside the eligibility period")
    CALCULATION = "calculation", _("Calculation error")
    PROCUREMENT = "procurement", _("Public procurement")
    DOUBLE_FUNDING = "double_funding", _("Double funding")
    OTHER = "other", _("Other")


class LineControl(VersionedModel):
    """A first-level controller's verification of one expenditure line or one claimed lump sum.

    Declared = verified + deducted + parked, per line: a verified line has `verified_amount` (in the line's
    currency, at most the declared amount; the rest is deducted, with a type); a parked line is left out of
    this certificate and verified with a later report of the same partner. `certified_in` is the report
    whose certificate holds the verified amount: the line's own, or the later one of a parked line. A
    lump sum is verified whole or not at all (verified_amount 0 or its amount).
    """

    expenditure = models.OneToOneField(Expenditure, on_delete=models.CASCADE, null=True, blank=True,
                                       related_name="control")
    lump_sum_claim = models.OneToOneField("LumpSumClaim", on_delete=models.CASCADE, null=True, blank=True,
                                          related_name="control")
    verified_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True,
                                          validators=[MinValueValidator(0)],
                                          help_text=_("In the line's currency; empty while not verified."))
    deduction_type = models.CharField(max_length=20, choices=DeductionType.choices, blank=True)
    comment = models.TextField(blank=True)
    sampled = models.BooleanField(default=False, help_text=_("Checked in a sample."))
    parked = models.BooleanField(default=False, help_text=_("Left out of this certificate; verified with a later "
                                                            "report of the same partner."))
    certified_in = models.ForeignKey("ProgressReport", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="certified_controls",
                                     help_text=_("The report whose certificate holds this line's verified amount."))
    controlled_at = models.DateTimeField(null=True, blank=True)
    controlled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expenditure__isnull=False, lump_sum_claim__isnull=True)
                | Q(expenditure__isnull=True, lump_sum_claim__isnull=False),
                name="line_control_of_one_line"),
            models.CheckConstraint(condition=Q(verified_amount__isnull=True) | Q(verified_amount__gte=0),
                                   name="line_control_verified_not_negative"),
            models.CheckConstraint(condition=Q(parked=False) | Q(verified_amount__isnull=True),
                                   name="line_control_parked_not_verified"),
        ]

    def __str__(self):
        line = self.expenditure or self.lump_sum_claim
        return f"control of {line}: {self.verified_amount}"

    @property
    def line(self):
        return self.expenditure or self.lump_sum_claim

    @property
    def declared_amount(self) -> Decimal:
        return self.line.amount

    @property
    def is_done(self) -> bool:
        """Verified or parked: a certificate can be signed once every line is."""
        return self.parked or self.verified_amount is not None

    @property
    def deducted_amount(self) -> Decimal:
        if self.verified_amount is None:
            return Decimal(0)
        return self.declared_amount - self.verified_amount

    @property
    def parked_amount(self) -> Decimal:
        """The declared amount while the line is parked (left for a later certificate), else 0."""
        return self.declared_amount if self.parked else Decimal(0)


def evidence_file_path(instance, filename: str) -> str:
    return generated_name("evidence", filename)


class Attachment(models.Model):
    """A file of evidence: of a report (a time sheet, a salary statement) or of one of its lines (a further
    invoice file). Read by who may read the report, added while it is editable (reporting.services)."""

    class Kind(models.TextChoices):
        INVOICE = "invoice", _("Invoice")
        TIME_SHEET = "time_sheet", _("Time sheet")
        SALARY_STATEMENT = "salary_statement", _("Salary statement")
        OTHER = "other", _("Other evidence")

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="attachments")
    expenditure = models.ForeignKey(Expenditure, on_delete=models.CASCADE, null=True, blank=True,
                                    related_name="files", help_text=_("Empty for a file of the whole report."))
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    file = models.FileField(upload_to=evidence_file_path, max_length=200)
    file_name = models.CharField(max_length=255)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "expenditure", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.file_name}"


class CertificateFigures(models.Model):
    """A certified report's totals (reporting.money.CertificateTotals), stored when it is certified.

    A certificate is read-only for ever, so its totals never change while the partner's terms they were computed on
    (`partner_terms`) do not: lists that add up hundreds of certificates (claims, payments, the dashboard and the
    overview) read these rows instead of every line and control result again (reporting.selectors.certificate_totals,
    which recomputes and stores a missing or outdated row with the same summarise_report).
    """

    report = models.OneToOneField("ProgressReport", on_delete=models.CASCADE, primary_key=True,
                                  related_name="certificate_figures")
    partner_terms = models.TextField()
    currency = models.CharField(max_length=3, choices=ReportingCurrency.choices)
    declared = models.DecimalField(max_digits=14, decimal_places=2)
    verified = models.DecimalField(max_digits=14, decimal_places=2)
    deducted = models.DecimalField(max_digits=14, decimal_places=2)
    cofinancing = models.DecimalField(max_digits=14, decimal_places=2)
    other_costs_flat_rate = models.DecimalField(max_digits=14, decimal_places=2)
    lump_sums = models.DecimalField(max_digits=14, decimal_places=2)
    verified_eur = models.DecimalField(max_digits=14, decimal_places=2, help_text=_(
        "The verified total in EUR: the same as verified for a partner reporting in EUR, else its lines converted at "
        "their frozen rates with the flat rates recomputed on them."))
    categories = models.JSONField(default=dict, help_text=_("Cost category -> verified amount (a decimal string)."))

    def __str__(self):
        return f"certificate figures of report {self.report_id}"


class LumpSumClaim(models.Model):
    """A report's claim of its partner's whole share of an achieved lump sum, made when the report is submitted.

    Like an exchange rate, it is frozen at submission: a report claims the achieved lump sums not yet
    claimed, of its period or an earlier one, and keeps them if it is returned. One claim per share.
    """

    report = models.ForeignKey(ProgressReport, on_delete=models.PROTECT, related_name="lump_sum_claims")
    share = models.OneToOneField(LumpSumShare, on_delete=models.PROTECT, related_name="claim")
    amount = models.DecimalField(max_digits=12, decimal_places=2, help_text=_("EUR"))
    claimed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "share__lump_sum__period__number", "share__lump_sum__name"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="lump_sum_claim_positive")]

    def __str__(self):
        return f"{self.report}: {self.share.lump_sum.name} {self.amount}"


class ReminderSent(models.Model):
    """One reminder of one item at one threshold to one person: never sent twice."""

    key = models.CharField(max_length=120, help_text=_("item kind, id and threshold, e.g. deliverable:12:due-14"))
    email = models.EmailField()
    sent_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "email"], name="reminder_once_per_item_person")]

    def __str__(self):
        return f"{self.key} → {self.email} ({self.sent_on})"
