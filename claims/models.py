"""The project's payment claims to the programme, and the money that follows them.

A claim (Jems' project report; the ÖKS payment claim) gathers certified partner reports — each in at most
one claim — and the programme's verdict on it (the eligible expenditure it accepts per partner); payments
are the programme's money received per claim and fund, and the lead partner's transfers of each partner's
share. The figures are computed, never stored: `claims.selectors` sums the reports' certificates
(reporting.money) and these rows.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from consortium.models import Project, ReportingPeriod, VersionedModel
from consortium.text import LineField
from partners.models import FundingSource, Partner
from reporting.models import Currency, ProgressReport

POSITIVE_MONEY = MinValueValidator(Decimal("0.01"))
# The funds a programme pays: ERDF to the lead partner, Norwegian national funds to each Norwegian partner.
FUNDS = [choice for choice in FundingSource.choices if choice[0] != FundingSource.NONE]


class Claim(VersionedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        IN_VERIFICATION = "in_verification", _("In verification")
        FINALISED = "finalised", _("Finalised")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="claims")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="claims")
    number = models.PositiveSmallIntegerField(help_text=_("The project's claims are numbered 1, 2, 3…"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    verification_started_at = models.DateTimeField(null=True, blank=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    return_comment = models.TextField(blank=True, help_text=_("Why the programme sent it back, when it did."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="claim_number_unique_per_project"),
            models.UniqueConstraint(fields=["project", "period"], name="claim_one_per_period"),
        ]

    def __str__(self):
        return f"{self.project} claim {self.number} (P{self.period.number})"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class ClaimReport(models.Model):
    """A certified partner report in a claim; a report is in one claim at most (the one-to-one)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="entries")
    report = models.OneToOneField(ProgressReport, on_delete=models.PROTECT, related_name="claim_entry")

    class Meta:
        ordering = ["claim", "report__partner__number", "report__period__number"]

    def __str__(self):
        return f"{self.claim}: {self.report}"


class ClaimAcceptance(models.Model):
    """The programme's accepted eligible expenditure of one partner in a finalised claim, in the partner's
    reporting currency; lower than claimed only with a reason. Its co-financing is derived, rounded down."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="acceptances")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="claim_acceptances")
    eligible = models.DecimalField(max_digits=14, decimal_places=2, validators=[MinValueValidator(0)])
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["claim", "partner__number"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "partner"], name="claim_acceptance_once_per_partner"),
            models.CheckConstraint(condition=Q(eligible__gte=0), name="claim_acceptance_not_negative"),
        ]

    def __str__(self):
        return f"{self.claim}: {self.partner} {self.eligible}"


class ProgrammePayment(VersionedModel):
    """Money the programme paid for a claim from one fund: to the lead partner (ERDF), or to a Norwegian
    partner directly (Norwegian funds: `partner` set, nothing for the lead partner to pass on)."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="payments")
    fund = models.CharField(max_length=20, choices=FUNDS)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="programme_payments",
                                help_text=_("The partner paid directly (Norwegian funds); empty for the lead "
                                            "partner."))
    date = models.DateField()
    amount = models.DecimalField(max_digits=14, decimal_places=2, validators=[POSITIVE_MONEY])
    currency = models.CharField(max_length=3, choices=Currency.choices, default=Currency.EUR)
    reference = LineField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["claim", "date", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="programme_payment_positive")]

    def __str__(self):
        return f"{self.claim}: {self.get_fund_display()} {self.amount} {self.currency} on {self.date}"


class PartnerTransfer(VersionedModel):
    """The lead partner passing a partner its share of a claim's ERDF payment."""

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="transfers")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="transfers")
    date = models.DateField()
    amount = models.DecimalField(max_digits=14, decimal_places=2, validators=[POSITIVE_MONEY],
                                 help_text=_("EUR"))
    reference = LineField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["claim", "date", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="partner_transfer_positive")]

    def __str__(self):
        return f"{self.claim}: {self.amount} EUR to {self.partner} on {self.date}"
