"""Shapes of organisations, partners, contacts, budget lines, unit costs and lump sums; validation only.

Writes are services (partners/services.py, or consortium/services.py's generic ones).
"""

from decimal import Decimal

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type, build_object_type
from drf_spectacular.types import OpenApiTypes
from rest_framework import exceptions, serializers
from rest_framework.reverse import reverse

from consortium import permissions as perms
from consortium.api.fields import ProjectOwnedSerializer, ScopedRelatedField
from consortium.models import Project, ReportingPeriod
from partners import access
from partners.models import (
    BudgetLine,
    BudgetVersion,
    Contact,
    Contract,
    LumpSum,
    LumpSumShare,
    Organisation,
    Partner,
    UnitCost,
)

# Partner fields that are budget figures: only users with READ_MONEY in the project see them.
PARTNER_MONEY_FIELDS = ("cofinancing_rate", *Partner.COST_OPTION_FIELDS, "reporting_currency", "budget_approved_month")


def _rate(**kwargs) -> serializers.DecimalField:
    """A flat rate in percent; its range and maximum are Partner.clean()'s, which names the option."""
    return serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True, **kwargs)


class OrganisationSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "short_name", "country", "legal_status", "nuts_region", "vat_or_pic", "website",
                  "version"]


class UsableOrganisationField(serializers.PrimaryKeyRelatedField):
    """An organisation the user may name (partners/access.py): another is "object does not exist"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Organisation.objects.all())
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return Organisation.objects.none()
        return access.visible_organisations(request.user)


class OrganisationField(UsableOrganisationField):
    """Written as an organisation id, read as {id, name, short_name, country}."""

    def use_pk_only_optimization(self):
        return False

    def to_representation(self, value):
        return {"id": value.pk, "name": value.name, "short_name": value.short_name, "country": value.country}


class OrganisationFieldExtension(OpenApiSerializerFieldExtension):
    target_class = OrganisationField

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return build_basic_type(OpenApiTypes.INT)
        return build_object_type(
            properties={"id": build_basic_type(OpenApiTypes.INT), "name": build_basic_type(OpenApiTypes.STR),
                        "short_name": build_basic_type(OpenApiTypes.STR),
                        "country": build_basic_type(OpenApiTypes.STR)},
            required=["id", "name", "short_name", "country"],
        )


def _project_unchanged(serializer, attrs: dict, field: str = "project") -> None:
    instance = serializer.instance
    if instance is not None and field in attrs and attrs[field].pk != getattr(instance, f"{field}_id"):
        raise serializers.ValidationError({field: ["An object cannot move to another project."]})


class PartnerSerializer(ProjectOwnedSerializer):
    project = ScopedRelatedField(queryset=Project.objects.all(), project_field="pk")
    organisation = OrganisationField()
    code = serializers.CharField(read_only=True)
    # Not required: the model's full_clean() names a missing rate, and a viewer's response omits it.
    cofinancing_rate = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=0, max_value=100,
                                                required=False)
    office_flat_rate = _rate()
    travel_flat_rate = _rate()
    staff_flat_rate = _rate()
    other_costs_flat_rate = _rate()

    class Meta:
        model = Partner
        fields = ["id", "project", "organisation", "number", "code", "role", "cofinancing_rate", "funding_source",
                  *Partner.COST_OPTION_FIELDS, "reporting_currency", "budget_approved_month", "version"]

    def validate(self, attrs):
        _project_unchanged(self, attrs)
        project_id = self.instance.project_id if self.instance else attrs["project"].pk
        # The co-financing rate is the MU's to set: explicit here, whatever the resource's write right.
        if "cofinancing_rate" in attrs and not self.user_has(perms.Right.EDIT_PLAN, project_id):
            raise exceptions.PermissionDenied("Only the management unit changes a co-financing rate.")
        return attrs

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None and not perms.has_right(request.user, perms.Right.READ_MONEY, instance.project_id):
            for name in PARTNER_MONEY_FIELDS:
                data.pop(name, None)
        return data


class ContactSerializer(ProjectOwnedSerializer):
    project = ScopedRelatedField(queryset=Project.objects.all(), project_field="pk")
    organisation = UsableOrganisationField()

    class Meta:
        model = Contact
        fields = ["id", "project", "organisation", "name", "title", "email", "phone", "kind", "user", "version"]
        read_only_fields = ["user"]

    def validate(self, attrs):
        _project_unchanged(self, attrs)
        return attrs


class BudgetLineSerializer(ProjectOwnedSerializer):
    project_path = "partner__project"
    partner = ScopedRelatedField(queryset=Partner.objects.all())
    period = ScopedRelatedField(queryset=ReportingPeriod.objects.all(), required=False, allow_null=True)
    project = serializers.IntegerField(source="partner.project_id", read_only=True)
    # Omitted on create: the project's draft version (only a draft's lines change).
    budget_version = ScopedRelatedField(queryset=BudgetVersion.objects.all(), required=False)

    class Meta:
        model = BudgetLine
        fields = ["id", "project", "budget_version", "partner", "cost_category", "period", "amount", "version"]
        extra_kwargs = {"amount": {"min_value": 0}}

    def validate(self, attrs):
        if self.instance is not None and "partner" in attrs and attrs["partner"].project_id != (
            self.instance.partner.project_id
        ):
            raise serializers.ValidationError({"partner": ["A budget line cannot move to another project."]})
        return attrs


class BudgetVersionSerializer(ProjectOwnedSerializer):
    """A budget version; `status`, the flexibility flag and who/when are set by the services (create, approve)."""

    project = ScopedRelatedField(queryset=Project.objects.all(), project_field="pk")

    class Meta:
        model = BudgetVersion
        fields = ["id", "project", "number", "reason", "decision_date", "applies_from", "status",
                  "needs_programme_approval", "programme_approved", "created_by", "created_at", "approved_by",
                  "approved_at", "version"]
        read_only_fields = ["number", "status", "needs_programme_approval", "created_by", "created_at",
                            "approved_by", "approved_at"]

    def validate(self, attrs):
        _project_unchanged(self, attrs)
        return attrs


class UnitCostSerializer(ProjectOwnedSerializer):
    project = ScopedRelatedField(queryset=Project.objects.all(), project_field="pk")
    price_per_unit = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))

    class Meta:
        model = UnitCost
        fields = ["id", "project", "name", "unit", "price_per_unit", "cost_category", "version"]

    def validate(self, attrs):
        _project_unchanged(self, attrs)
        return attrs


class LumpSumShareSerializer(serializers.ModelSerializer):
    partner = ScopedRelatedField(queryset=Partner.objects.all())
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        model = LumpSumShare
        fields = ["partner", "amount"]


class LumpSumSerializer(ProjectOwnedSerializer):
    """A lump sum with its partners' shares (a list given replaces the shares; they add up to `amount`)."""

    project = ScopedRelatedField(queryset=Project.objects.all(), project_field="pk")
    period = ScopedRelatedField(queryset=ReportingPeriod.objects.all())
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    shares = LumpSumShareSerializer(many=True, required=False)
    achieved = serializers.BooleanField(read_only=True)
    claimed = serializers.SerializerMethodField()

    class Meta:
        model = LumpSum
        fields = ["id", "project", "name", "amount", "period", "shares", "achieved_date", "evidence", "achieved",
                  "claimed", "version"]

    def get_claimed(self, lump_sum) -> bool:
        """Whether a partner report has claimed a share: the lump sum is then fixed."""
        return any(hasattr(share, "claim") for share in lump_sum.shares.all())

    def validate(self, attrs):
        _project_unchanged(self, attrs)
        return attrs


class ContractSerializer(ProjectOwnedSerializer):
    """An entry of a partner's procurement register (value in EUR excluding VAT); its file is uploaded apart."""

    project_path = "partner__project"
    partner = ScopedRelatedField(queryset=Partner.objects.all())
    project = serializers.IntegerField(source="partner.project_id", read_only=True)
    value = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    needs_procedure = serializers.SerializerMethodField()
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = Contract
        fields = ["id", "project", "partner", "supplier", "subject", "value", "procedure", "contract_date",
                  "needs_procedure", "file_name", "file_url", "version"]
        read_only_fields = ["file_name"]

    def get_needs_procedure(self, contract) -> bool:
        """At or above the programme's procurement threshold with no procedure named."""
        return contract.needs_procedure(contract.partner.project.programme)

    def get_file_url(self, contract) -> str | None:
        if not contract.file:
            return None
        return reverse("contract-file", args=[contract.pk], request=self.context.get("request"))
