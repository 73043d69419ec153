"""Shapes of the reporting API. They validate and shape only; reporting/services.py writes."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from consortium.api.base import VersionedSerializerMixin
from consortium.api.fields import ScopedRelatedField
from consortium.models import ReportingPeriod
from partners.models import Contract, Partner, UnitCost
from reporting import access
from reporting.models import (
    Attachment,
    DeliverableContribution,
    EffortReported,
    ExchangeRate,
    Expenditure,
    IndicatorProgress,
    LineControl,
    ProgressReport,
    WorkPackageProgress,
)
from reporting.money import line_computation, paid_in_earlier_period
from workpackages.models import Deliverable, Indicator, WorkPackage

MONEY = dict(max_digits=12, decimal_places=2, coerce_to_string=True)
# Sums of lines (a report's summary): a line holds at most 9,999,999,999.99 (Expenditure.amount, 12 digits),
# a sum up to 20 digits, so 100 million maximal lines still add up (docs/API.md, "Limits").
TOTAL_MONEY = dict(max_digits=20, decimal_places=2, coerce_to_string=True)


class ReportField(serializers.PrimaryKeyRelatedField):
    """A report named in a body: one the user may not know of is answered like one that does not exist."""

    def __init__(self, **kwargs):
        super().__init__(queryset=ProgressReport.objects.select_related("partner__project"), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return ProgressReport.objects.none()
        return access.findable(super().get_queryset(), request.user)


# The work plan a report's parts name: found only in the user's projects, so that another project's
# id is "object does not exist" like an unknown one (whether it is the report's project is the service's).
def _plan_field(model):
    return ScopedRelatedField(queryset=model.objects.all())


class WorkPackageProgressSerializer(serializers.ModelSerializer):
    work_package = _plan_field(WorkPackage)

    class Meta:
        model = WorkPackageProgress
        fields = ["work_package", "narrative", "objective_status"]


class DeliverableContributionSerializer(serializers.ModelSerializer):
    deliverable = _plan_field(Deliverable)

    class Meta:
        model = DeliverableContribution
        fields = ["deliverable", "comment", "evidence_link"]


class IndicatorProgressSerializer(serializers.ModelSerializer):
    indicator = _plan_field(Indicator)

    class Meta:
        model = IndicatorProgress
        fields = ["indicator", "value"]


class EffortReportedSerializer(serializers.ModelSerializer):
    work_package = _plan_field(WorkPackage)

    class Meta:
        model = EffortReported
        fields = ["work_package", "person_months"]


class ProgressReportSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    """A report with its nested parts; PATCH with a list replaces that list."""

    partner = ScopedRelatedField(queryset=Partner.objects.all())
    period = ScopedRelatedField(queryset=ReportingPeriod.objects.all())
    work_package_progress = WorkPackageProgressSerializer(many=True, required=False)
    deliverable_contributions = DeliverableContributionSerializer(many=True, required=False)
    indicator_progress = IndicatorProgressSerializer(many=True, required=False)
    effort = EffortReportedSerializer(many=True, required=False)

    class Meta:
        model = ProgressReport
        fields = [
            "id", "partner", "period", "status", "summary", "problems", "forecast_next_period", "review_comment",
            "submitted_at", "reviewed_at", "control_comment", "control_started_at", "certified_at", "created_at",
            "work_package_progress", "deliverable_contributions", "indicator_progress", "effort", "version",
        ]
        read_only_fields = ["status", "review_comment", "submitted_at", "reviewed_at", "control_comment",
                            "control_started_at", "certified_at", "created_at"]
        # One report per partner and period is the service's to explain, naming the period.
        validators = []

    def validate(self, attrs):
        if self.instance is not None:
            # Partner and period are fixed once the report exists.
            for name in ("partner", "period"):
                if name in attrs and attrs[name] != getattr(self.instance, name):
                    raise serializers.ValidationError({name: ["cannot be changed"]})
        return attrs

    def project_of(self, validated_data):
        return validated_data["partner"].project


class ProgressReportListSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    """The list row: no nested parts, so that a page costs a constant number of queries."""

    class Meta:
        model = ProgressReport
        fields = ["id", "partner", "period", "status", "summary", "problems", "forecast_next_period",
                  "review_comment", "submitted_at", "reviewed_at", "control_comment", "control_started_at",
                  "certified_at", "created_at", "version"]


class ReviewSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ControlReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(allow_blank=True, help_text="The controller's findings: what the partner must "
                                                                "fix (required).")


class VerifyAsDeclaredSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), allow_empty=False,
                                max_length=5000,
                                help_text="Ids of line controls (`id` of `GET /api/line-controls/?report=`) to verify "
                                          "for their declared amounts.")


class LineControlSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    """A controller's verification of one line or one claimed lump sum (reporting.models.LineControl).

    Declared = verified + deducted + parked. `verified_amount` is in the line's currency; the rest is
    deducted, with a `deduction_type`. Only the partner's controller writes it, while a report holding it is
    in control.
    """

    expenditure = serializers.IntegerField(source="expenditure_id", read_only=True, allow_null=True)
    lump_sum_claim = serializers.IntegerField(source="lump_sum_claim_id", read_only=True, allow_null=True)
    report = serializers.SerializerMethodField()
    currency = serializers.SerializerMethodField()
    declared = serializers.DecimalField(source="declared_amount", read_only=True, **MONEY)
    verified_amount = serializers.DecimalField(required=False, allow_null=True, min_value=Decimal(0), **MONEY)
    deducted = serializers.DecimalField(source="deducted_amount", read_only=True, **MONEY)
    parked_amount = serializers.DecimalField(read_only=True, **MONEY)
    certified_in = serializers.IntegerField(source="certified_in_id", read_only=True, allow_null=True)
    done = serializers.BooleanField(source="is_done", read_only=True)
    controlled_by = serializers.CharField(source="controlled_by.username", read_only=True, allow_null=True,
                                          default=None)

    class Meta:
        model = LineControl
        fields = ["id", "expenditure", "lump_sum_claim", "report", "currency", "declared", "verified_amount",
                  "deducted", "parked_amount", "deduction_type", "comment", "sampled", "parked", "done",
                  "certified_in", "controlled_at", "controlled_by", "version"]
        read_only_fields = ["controlled_at"]

    def get_report(self, control) -> int:
        """The report the line belongs to (a line parked there may be certified with a later one: `certified_in`)."""
        return control.line.report_id

    def get_currency(self, control) -> str:
        return control.expenditure.currency if control.expenditure_id else "EUR"


class ExpenditureSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    """A cost line: an invoice (its amount), a staff line (its method's figures; the amount is computed) or a
    unit-cost line (`unit_cost` and `units`; the category, EUR and the amount follow from the unit cost)."""

    report = ReportField()
    unit_cost = ScopedRelatedField(queryset=UnitCost.objects.all(), required=False, allow_null=True)
    work_package = ScopedRelatedField(queryset=WorkPackage.objects.all(), required=False, allow_null=True)
    contract = ScopedRelatedField(queryset=Contract.objects.all(), project_field="partner__project",
                                  required=False, allow_null=True)
    exchange_rate = serializers.DecimalField(max_digits=12, decimal_places=4, read_only=True, coerce_to_string=True)
    amount_eur = serializers.DecimalField(read_only=True, **MONEY)
    computation = serializers.SerializerMethodField()
    attachment_url = serializers.SerializerMethodField()
    earlier_period = serializers.SerializerMethodField()

    class Meta:
        model = Expenditure
        fields = [
            "id", "report", "cost_category", "work_package", "description", "supplier", "invoice_number",
            "invoice_date", "payment_date", "employee", "staff_method", "annual_gross_cost", "hours", "hourly_rate",
            "monthly_gross_cost", "percentage", "months", "unit_cost", "units", "invoice_total", "vat_amount",
            "vat_recoverable", "declared_share", "contract", "amount", "currency", "computation",
            "exchange_rate", "rate_month", "amount_eur", "attachment_name", "attachment_url", "earlier_period",
            "version",
        ]
        read_only_fields = ["rate_month", "attachment_name"]
        # The limits of amounts, hours and rates are the model's; a staff or unit-cost line's amount is
        # computed, and a unit-cost line takes its unit cost's category.
        extra_kwargs = {"amount": {"required": False}, "cost_category": {"required": False}}

    def get_computation(self, line) -> str:
        """How the amount was computed, e.g. "(12,500.00 − 2,500.00 recoverable VAT) × 30.00 % = 3,000.00" or
        "4,123.45 per month × 33.33 % × 6 months = 8,246.08"."""
        return line_computation(line)

    def get_earlier_period(self, line) -> bool:
        """Paid before the report's period started: a late claim of an earlier cost (allowed, marked)."""
        if line.payment_date is None:
            return False
        # The viewset annotates `period_start`; a line just written has its report at hand.
        start = getattr(line, "period_start", None) or line.report.period.start_date
        return paid_in_earlier_period(line, start)

    def get_attachment_url(self, line) -> str | None:
        if not line.attachment:
            return None
        return reverse("expenditure-attachment", args=[line.pk], request=self.context.get("request"))

    def validate(self, attrs):
        if self.instance is not None and "report" in attrs and attrs["report"] != self.instance.report:
            raise serializers.ValidationError({"report": ["A line cannot move to another report."]})
        return attrs

    def project_of(self, validated_data):
        return validated_data["report"].partner.project


class ExchangeRateSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    rate = serializers.DecimalField(max_digits=12, decimal_places=4, min_value=Decimal("0.0001"), coerce_to_string=True)
    month = serializers.DateField(help_text="The first day of the month (a YYYY-MM-DD date).")

    class Meta:
        model = ExchangeRate
        fields = ["id", "currency", "month", "rate", "version"]
        # POST is an upsert of (currency, month) (services.exchange_rate_set), not a duplicate.
        validators = []

    def validate_month(self, value):
        if value.day != 1:
            raise serializers.ValidationError("must be the first day of a month")
        return value


class AttachmentSerializer(serializers.ModelSerializer):
    """A file of evidence of a report (`expenditure` empty) or of one of its lines; POST multipart with `file`."""

    report = ReportField()
    expenditure = serializers.PrimaryKeyRelatedField(queryset=Expenditure.objects.all(), required=False,
                                                     allow_null=True)
    file = serializers.FileField(write_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "report", "expenditure", "kind", "file", "file_name", "url", "uploaded_at"]
        read_only_fields = ["file_name", "uploaded_at"]

    def get_url(self, attachment) -> str:
        return reverse("attachment-file", args=[attachment.pk], request=self.context.get("request"))

    def validate(self, attrs):
        line = attrs.get("expenditure")
        if line is not None and line.report_id != attrs["report"].pk:
            # Answered like an id that does not exist: a line of another report is not to be probed.
            raise serializers.ValidationError({"expenditure": [f'Invalid pk "{line.pk}" - object does not exist.']})
        return attrs


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class ImportSerializer(serializers.Serializer):
    report = ReportField()
    # An empty file is refused by the import itself, after the permission check on `report`.
    file = serializers.FileField(allow_empty_file=True)


CONTROL_MONEY = dict(TOTAL_MONEY, allow_null=True)


class CategorySummarySerializer(serializers.Serializer):
    cost_category = serializers.CharField()
    declared = serializers.DecimalField(**TOTAL_MONEY)
    flat_rate = serializers.DecimalField(**TOTAL_MONEY)
    total = serializers.DecimalField(**TOTAL_MONEY)
    verified = serializers.DecimalField(**CONTROL_MONEY, help_text=(
        "First-level control (null before it starts): the verified lines plus the flat rate recomputed on the "
        "verified bases, to compare with `total`."))
    verified_flat_rate = serializers.DecimalField(**CONTROL_MONEY, help_text="The recomputed flat rate in `verified`.")
    deducted = serializers.DecimalField(**CONTROL_MONEY, help_text="Declared − verified of the verified lines.")
    parked = serializers.DecimalField(**CONTROL_MONEY, help_text="Lines left for a later certificate.")
    unverified = serializers.DecimalField(**CONTROL_MONEY, help_text="Lines neither verified nor parked yet.")


class CofinancingSerializer(serializers.Serializer):
    funding_source = serializers.CharField()
    rate = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=True)
    amount = serializers.DecimalField(**TOTAL_MONEY)


class FlatRateSerializer(serializers.Serializer):
    flat_rate = serializers.ChoiceField(choices=["staff", "travel", "office", "other_costs"])
    cost_category = serializers.CharField(allow_null=True, help_text="The category it is claimed for; none for "
                                                                     "other costs, which cover every other one.")
    rate = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=True)
    base = serializers.DecimalField(**TOTAL_MONEY)
    amount = serializers.DecimalField(**TOTAL_MONEY)
    computation = serializers.CharField()


class LumpSumItemSerializer(serializers.Serializer):
    lump_sum = serializers.IntegerField(source="lump_sum_id")
    name = serializers.CharField()
    period_number = serializers.IntegerField()
    amount = serializers.DecimalField(**TOTAL_MONEY)
    claimed = serializers.BooleanField(help_text="Frozen at submission; false: claimed when this report is submitted.")


class ReportSummarySerializer(serializers.Serializer):
    """reporting.money.ReportSummary as JSON (money as strings)."""

    report = serializers.IntegerField(source="report_id")
    status = serializers.CharField()
    provisional = serializers.BooleanField()
    provisional_label = serializers.SerializerMethodField()
    provisional_rate_month = serializers.DateField(allow_null=True)
    categories = serializers.SerializerMethodField()
    flat_rates = serializers.SerializerMethodField()
    lump_sums = LumpSumItemSerializer(many=True)
    declared_total = serializers.DecimalField(**TOTAL_MONEY)
    flat_rate_total = serializers.DecimalField(**TOTAL_MONEY)
    other_costs_flat_rate = serializers.DecimalField(**TOTAL_MONEY)
    lump_sum_total = serializers.DecimalField(**TOTAL_MONEY)
    eligible_total = serializers.DecimalField(**TOTAL_MONEY)
    cofinancing = serializers.SerializerMethodField()
    missing_rates = serializers.ListField(child=serializers.CharField())
    earlier_period_lines = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Ids of the lines paid before the report's period started (late claims of earlier costs).")
    earlier_period_total = serializers.DecimalField(
        **MONEY, help_text="Their amount in `currency`, counted in the totals.")
    currency = serializers.CharField(help_text="The currency of every figure: the partner's reporting currency.")
    # First-level control (ReportSummary.control): null until the report's control starts.
    verified_total = serializers.DecimalField(
        source="control.verified_total", **CONTROL_MONEY, default=None, help_text=(
            "What the certificate certifies: verified lines (those parked earlier and verified with this report "
        "included) + flat rates recomputed on them + verified lump sums; null before control."))
    deducted_total = serializers.DecimalField(source="control.deducted_total", **CONTROL_MONEY, default=None,
                                              help_text="Deducted lines and lump sums, and the flat rates lost with "
                                                        "them; null before control.")
    parked_total = serializers.DecimalField(source="control.parked_total", **CONTROL_MONEY, default=None,
                                            help_text="Lines left for a later certificate; null before control.")
    unverified_total = serializers.DecimalField(source="control.unverified_total", **CONTROL_MONEY, default=None,
                                                help_text="Lines and lump sums neither verified nor parked yet.")
    lump_sums_verified = serializers.DecimalField(source="control.lump_sums_verified", **CONTROL_MONEY, default=None)
    control_complete = serializers.BooleanField(source="control.complete", allow_null=True, default=None,
                                                help_text="Every line verified or parked: it can be certified.")
    brought_in = serializers.ListField(source="control.brought_in", child=serializers.IntegerField(), allow_null=True,
                                       default=None, help_text="Ids of lines parked by an earlier report of the "
                                                               "partner and verified with this one.")
    verified_flat_rates = serializers.SerializerMethodField()
    verified_cofinancing = serializers.SerializerMethodField()
    converted = serializers.SerializerMethodField()

    @extend_schema_field(serializers.DictField(allow_null=True, help_text=(
        "For a partner reporting in NOK: the same summary in EUR (its lines at their frozen rates), as the "
        "project's EUR totals count it; null for a partner reporting in EUR.")))
    def get_converted(self, summary) -> dict | None:
        if summary.converted is None:
            return None
        data = ReportSummarySerializer(summary.converted).data
        data["label"] = (f"Converted from {summary.currency} to EUR at the lines' frozen monthly rates"
                         + (" (provisional)" if summary.converted.provisional else ""))
        return data

    def get_provisional_label(self, summary) -> str:
        if not summary.provisional:
            return ""
        return (f"Provisional: amounts not yet frozen are converted at the {summary.provisional_rate_month:%Y-%m} "
                "rate; the rate of the month of submission applies.")

    @extend_schema_field(CategorySummarySerializer(many=True))
    def get_categories(self, summary) -> list[dict]:
        control = summary.control
        rows = []
        for name, c in summary.categories.items():
            row = {"cost_category": name, "declared": c.declared, "flat_rate": c.flat_rate, "total": c.total,
                   **dict.fromkeys(("verified", "verified_flat_rate", "deducted", "parked", "unverified"))}
            if control is not None:
                row.update(verified=control.category_verified(name),
                           verified_flat_rate=control.category_flat_rate(name), deducted=control.deducted[name],
                           parked=control.parked[name], unverified=control.unverified[name])
            rows.append(row)
        return CategorySummarySerializer(rows, many=True).data

    @staticmethod
    def _flat_rate_rows(items) -> list[dict]:
        rows = [{"flat_rate": name, "cost_category": category, "rate": flat.rate, "base": flat.base,
                 "amount": flat.amount, "computation": flat.computation}
                for name, category, flat in items]
        return FlatRateSerializer(rows, many=True).data

    @extend_schema_field(FlatRateSerializer(many=True))
    def get_flat_rates(self, summary) -> list[dict]:
        """Each flat rate the partner claims, as rate × base = amount, in the order they are computed."""
        return self._flat_rate_rows(summary.flat_rate_items)

    @extend_schema_field(FlatRateSerializer(many=True, allow_null=True))
    def get_verified_flat_rates(self, summary) -> list[dict] | None:
        """The flat rates recomputed on the verified bases (null before control)."""
        if summary.control is None:
            return None
        return self._flat_rate_rows(summary.control.flat_rate_items)

    @extend_schema_field(CofinancingSerializer(many=True))
    def get_cofinancing(self, summary) -> list[dict]:
        row = {"funding_source": summary.funding_source, "rate": summary.cofinancing_rate,
               "amount": summary.cofinancing}
        return CofinancingSerializer([row], many=True).data

    @extend_schema_field(CofinancingSerializer(many=True, allow_null=True))
    def get_verified_cofinancing(self, summary) -> list[dict] | None:
        """The co-financing of the verified total, rounded down (null before control)."""
        if summary.control is None:
            return None
        row = {"funding_source": summary.funding_source, "rate": summary.cofinancing_rate,
               "amount": summary.control.cofinancing}
        return CofinancingSerializer([row], many=True).data


class HistoryChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.CharField(allow_null=True)
    new = serializers.CharField(allow_null=True)
    label = serializers.CharField(help_text="The field's label, in the request's language.")
    old_display = serializers.CharField(allow_null=True, help_text="The old value as a person reads it: names, "
                                                                   "file names, translated choices, local dates.")
    new_display = serializers.CharField(allow_null=True)


class HistoryEntrySerializer(serializers.Serializer):
    when = serializers.DateTimeField()
    who = serializers.CharField(allow_null=True)
    who_name = serializers.CharField(allow_null=True, help_text="The person's full name (else user name).")
    action = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    object = serializers.CharField()
    object_type = serializers.CharField()
    object_id = serializers.IntegerField()
    changes = HistoryChangeSerializer(many=True)


class ReportStatusSerializer(serializers.Serializer):
    """One partner × started period of `GET /api/projects/{id}/report-status/` (reporting.selectors.ReportStatus)."""

    partner = serializers.IntegerField(source="partner.pk")
    period = serializers.IntegerField(source="period.pk")
    period_number = serializers.IntegerField(source="period.number")
    status = serializers.ChoiceField(choices=["not_started", *ProgressReport.Status.values],
                                     help_text="The report's status, or not_started when the partner has none.")
    due_date = serializers.DateField()
    overdue = serializers.BooleanField(help_text="Not submitted (or approved) and the due date has passed.")
    days_late = serializers.IntegerField(help_text="Days since the due date when overdue, else 0.")
