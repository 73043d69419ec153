"""The shapes of claims and payments in the API (validation and shape only; claims.services writes).

Money is a JSON string with two decimals, in the currency named beside it: a partner's part of a claim in the
partner's reporting currency (EUR, or NOK for a Norwegian partner reporting in NOK), ERDF in EUR.
"""

from decimal import Decimal

from rest_framework import serializers

from claims.models import Claim, PartnerTransfer, ProgrammePayment
from consortium.api.fields import ProjectOwnedSerializer, ScopedRelatedField
from consortium.models import Project, ReportingPeriod
from partners.cost_options import CostCategory
from partners.models import Partner

MONEY = dict(max_digits=20, decimal_places=2, coerce_to_string=True)


def money(**kwargs):
    return serializers.DecimalField(read_only=True, **MONEY, **kwargs)


class ClaimReportSerializer(serializers.Serializer):
    """A certified partner report in the claim."""

    id = serializers.IntegerField(source="pk")
    partner = serializers.IntegerField(source="partner_id")
    period = serializers.IntegerField(source="period_id")
    period_number = serializers.IntegerField(source="period.number")
    certified_at = serializers.DateTimeField()


class PartnerClaimSerializer(serializers.Serializer):
    """claims.selectors.PartnerClaim: one partner's part of the claim, in `currency`."""

    partner = serializers.IntegerField(source="partner.pk")
    partner_number = serializers.IntegerField(source="partner.number")
    partner_name = serializers.CharField(source="partner.organisation.short_name")
    fund = serializers.CharField()
    currency = serializers.CharField()
    cofinancing_rate = serializers.DecimalField(max_digits=5, decimal_places=2, coerce_to_string=True)
    reports = serializers.SerializerMethodField()
    categories = serializers.SerializerMethodField(help_text="Cost category -> certified (verified) amount, "
                                                             "its flat rate included.")
    other_costs_flat_rate = money()
    lump_sums = money()
    declared = money(help_text="The reports' declared eligible totals.")
    deducted = money(help_text="What the controllers deducted.")
    claimed = money(help_text="The certified totals: the eligible expenditure the claim asks the programme to accept.")
    claimed_cofinancing = money(help_text="The co-financing requested: the sum of the certificates' co-financing.")
    accepted = money(allow_null=True, help_text="The eligible expenditure the programme accepted (null until "
                                                "finalised).")
    accepted_cofinancing = money(allow_null=True, help_text="The partner's rate of `accepted`, rounded down (as "
                                                            "claimed when accepted in full).")
    reason = serializers.SerializerMethodField()

    def get_reports(self, part) -> list[int]:
        return [report.pk for report in part.reports]

    def get_categories(self, part) -> dict[str, str]:
        return {category: f"{part.categories.get(category, Decimal('0.00')):.2f}" for category in CostCategory.values}

    def get_reason(self, part) -> str:
        return part.acceptance.reason if part.acceptance is not None else ""


class FundRequestSerializer(serializers.Serializer):
    fund = serializers.CharField()
    currency = serializers.CharField()
    requested = money()
    accepted = money(allow_null=True)


class ClaimListSerializer(ProjectOwnedSerializer):
    period_number = serializers.IntegerField(source="period.number", read_only=True)

    class Meta:
        model = Claim
        fields = ["id", "project", "period", "period_number", "number", "status", "created_at", "submitted_at",
                  "verification_started_at", "finalised_at", "version"]
        read_only_fields = fields


class ClaimSerializer(ProjectOwnedSerializer):
    """A claim with its figures; `partners`, `reports` and `funds` hold only a reporter's own partner."""

    project = ScopedRelatedField(queryset=Project.objects.all(), project_field="pk")
    period = ScopedRelatedField(queryset=ReportingPeriod.objects.all())
    period_number = serializers.IntegerField(source="period.number", read_only=True)
    reports = serializers.SerializerMethodField()
    partners = serializers.SerializerMethodField()
    funds = serializers.SerializerMethodField()
    lines = serializers.SerializerMethodField(help_text="The list of expenditure: GET this path (paginated).")
    narrative = serializers.SerializerMethodField(help_text=(
        "The MU's project report of the claim's period (its id and texts; null while it has none, and for a "
        "reporter, who reads its partner's part only)."))

    class Meta:
        model = Claim
        fields = ["id", "project", "period", "period_number", "number", "status", "created_at", "created_by",
                  "submitted_at", "submitted_by", "verification_started_at", "finalised_at", "finalised_by",
                  "return_comment", "reports", "partners", "funds", "narrative", "lines", "version"]
        read_only_fields = ["number", "status", "created_at", "created_by", "submitted_at", "submitted_by",
                            "verification_started_at", "finalised_at", "finalised_by", "return_comment"]

    def validate(self, attrs):
        if attrs["period"].project_id != attrs["project"].pk:
            raise serializers.ValidationError({"period": ["The period must belong to the project."]})
        return attrs

    def _parts(self, claim):
        return self.context["figures"].partners if "figures" in self.context else []

    def get_reports(self, claim) -> list[dict]:
        return ClaimReportSerializer([r for part in self._parts(claim) for r in part.reports], many=True).data

    def get_partners(self, claim) -> list[dict]:
        return PartnerClaimSerializer(self._parts(claim), many=True).data

    def get_funds(self, claim) -> list[dict]:
        funds = {}
        for part in self._parts(claim):
            if part.fund == "none":
                continue
            row = funds.setdefault((part.fund, part.currency), {"fund": part.fund, "currency": part.currency,
                                                                "requested": Decimal("0.00"), "accepted": None})
            row["requested"] += part.claimed_cofinancing
            if part.accepted_cofinancing is not None:
                row["accepted"] = (row["accepted"] or Decimal("0.00")) + part.accepted_cofinancing
        return FundRequestSerializer(list(funds.values()), many=True).data

    def get_narrative(self, claim) -> dict | None:
        report = self.context.get("narrative")
        if report is None:
            return None
        return {"project_report": report.pk, "highlights": report.highlights, "deviations": report.deviations,
                "cross_border_value": report.cross_border_value, "next_steps": report.next_steps}

    def get_lines(self, claim) -> str:
        request = self.context.get("request")
        path = f"/api/claims/{claim.pk}/lines/"
        return request.build_absolute_uri(path) if request is not None else path


class ClaimLineSerializer(serializers.Serializer):
    """claims.selectors.ClaimLine: one certified line (or verified lump sum) of the list of expenditure."""

    report = serializers.IntegerField(source="report.pk")
    partner = serializers.IntegerField(source="partner.pk")
    partner_name = serializers.CharField(source="partner.organisation.short_name")
    period_number = serializers.IntegerField()
    expenditure = serializers.IntegerField(source="expenditure_id", allow_null=True)
    lump_sum_claim = serializers.IntegerField(source="lump_sum_claim_id", allow_null=True)
    cost_category = serializers.CharField()
    description = serializers.CharField()
    supplier = serializers.CharField()
    invoice_number = serializers.CharField()
    invoice_date = serializers.DateField(allow_null=True)
    line_currency = serializers.CharField()
    declared = money(help_text="In `line_currency`.")
    verified = money(help_text="In `line_currency`.")
    currency = serializers.CharField(help_text="The claim's currency for this partner.")
    declared_claimed = money(help_text="`declared` in `currency` (the line's frozen rate).")
    verified_claimed = money(help_text="`verified` in `currency`: what the claim holds of this line.")
    deducted_claimed = money()
    deduction_type = serializers.CharField()
    comment = serializers.CharField()


class ReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=5000, allow_blank=True, required=False, default="")


class AcceptedSerializer(serializers.Serializer):
    partner = serializers.IntegerField(min_value=1)
    eligible = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0"))
    reason = serializers.CharField(max_length=5000, allow_blank=True, required=False, default="")


class FinaliseSerializer(serializers.Serializer):
    accepted = AcceptedSerializer(many=True, required=False, default=list, help_text=(
        "The programme's accepted eligible expenditure per partner, in the partner's currency; a partner not "
        "named is accepted as claimed; less than claimed needs a `reason`."))


class ClaimField(ScopedRelatedField):
    def __init__(self, **kwargs):
        super().__init__(queryset=Claim.objects.select_related("project"), **kwargs)


class PartnerField(ScopedRelatedField):
    def __init__(self, **kwargs):
        super().__init__(queryset=Partner.objects.all(), **kwargs)


class ProgrammePaymentSerializer(ProjectOwnedSerializer):
    project_path = "claim__project"
    claim = ClaimField()
    partner = PartnerField(required=False, allow_null=True)
    project = serializers.IntegerField(source="claim.project_id", read_only=True)
    claim_number = serializers.IntegerField(source="claim.number", read_only=True)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"),
                                      coerce_to_string=True)

    class Meta:
        model = ProgrammePayment
        fields = ["id", "project", "claim", "claim_number", "fund", "partner", "date", "amount", "currency",
                  "reference", "created_at", "version"]
        read_only_fields = ["created_at"]


class PartnerTransferSerializer(ProjectOwnedSerializer):
    project_path = "claim__project"
    claim = ClaimField()
    partner = PartnerField()
    project = serializers.IntegerField(source="claim.project_id", read_only=True)
    claim_number = serializers.IntegerField(source="claim.number", read_only=True)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"),
                                      coerce_to_string=True, help_text="EUR")

    class Meta:
        model = PartnerTransfer
        fields = ["id", "project", "claim", "claim_number", "partner", "date", "amount", "reference", "created_at",
                  "version"]
        read_only_fields = ["created_at"]


# --- GET /api/projects/{id}/payments/ -------------------------------------------------------------------


class PartnerClaimMoneySerializer(serializers.Serializer):
    claim = serializers.IntegerField(source="claim.pk")
    number = serializers.IntegerField(source="claim.number")
    claimed = money()
    accepted = money(allow_null=True)
    received = money()
    outstanding = money(allow_null=True)


class PartnerPaymentsSerializer(serializers.Serializer):
    partner = serializers.IntegerField(source="partner.pk")
    partner_number = serializers.IntegerField(source="partner.number")
    partner_name = serializers.CharField(source="partner.organisation.short_name")
    fund = serializers.CharField()
    currency = serializers.CharField()
    claimed = money(help_text="Co-financing requested in claims sent to the programme.")
    accepted = money(help_text="Accepted co-financing in finalised claims: the partner's due share.")
    received = money(help_text="What the partner got: passed on by the lead partner, or paid directly.")
    passed_on = money(help_text="The part of `received` the lead partner passed on (ERDF).")
    paid_directly = money(help_text="The part of `received` the programme paid directly (Norwegian funds).")
    outstanding = money(help_text="accepted − received.")
    claims = serializers.SerializerMethodField()

    def get_claims(self, money_row) -> list[dict]:
        return PartnerClaimMoneySerializer(list(money_row.claims.values()), many=True).data


class ClaimPaymentsSerializer(serializers.Serializer):
    claim = serializers.IntegerField(source="claim.pk")
    number = serializers.IntegerField(source="claim.number")
    period_number = serializers.IntegerField(source="claim.period.number")
    status = serializers.CharField(source="claim.status")
    fund = serializers.CharField()
    currency = serializers.CharField()
    requested = money()
    accepted = money(allow_null=True)
    received = money(help_text="Paid by the programme for this claim and fund.")
    passed_on = money(help_text="Passed on by the lead partner (ERDF).")
    outstanding = money(allow_null=True, help_text="accepted − received: what the programme still owes.")


class FundPaymentsSerializer(serializers.Serializer):
    fund = serializers.CharField()
    currency = serializers.CharField()
    requested = money()
    accepted = money()
    received = money()
    passed_on = money()
    paid_directly = money()
    held = money(help_text="Received by the lead partner and not passed on yet.")
    outstanding = money(help_text="accepted − received: what the programme still owes.")


class ProjectPaymentsSerializer(serializers.Serializer):
    project = serializers.IntegerField()
    partners = PartnerPaymentsSerializer(many=True)
    funds = FundPaymentsSerializer(many=True)
    claims = ClaimPaymentsSerializer(many=True)
