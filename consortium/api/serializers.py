"""Shapes of the core resources: programmes, projects, memberships, reporting periods, users."""

from django.contrib.auth import get_user_model
from rest_framework import serializers

from consortium import permissions as perms
from consortium.api.fields import ProgrammeField, ProjectOwnedSerializer, ScopedRelatedField
from consortium.models import MAXIMUM_FLAT_RATES, Membership, Programme, Project, ReportingPeriod, Role
from consortium.text import validate_one_line

PROGRAMME_MONEY_FIELDS = ("default_cofinancing_rate", "default_office_flat_rate", *MAXIMUM_FLAT_RATES)
# A reporter's membership names a partner; the model is taken from the relation, as the core imports no app.
Partner = Membership._meta.get_field("partner").related_model


class ProgrammeSerializer(serializers.ModelSerializer):
    """A programme; its default rates only for users who read money in one of its projects."""

    default_cofinancing_rate = serializers.DecimalField(max_digits=5, decimal_places=2, read_only=True,
                                                        required=False)
    default_office_flat_rate = serializers.DecimalField(max_digits=5, decimal_places=2, read_only=True,
                                                        required=False)

    class Meta:
        model = Programme
        fields = ["id", "name", "short_name", "start_year", "end_year", *PROGRAMME_MONEY_FIELDS,
                  "eligibility_grace_days"]
        read_only_fields = list(MAXIMUM_FLAT_RATES)

    def _money_programmes(self) -> set[int] | None:
        """Programmes in which the user reads money, computed once per response (None: all)."""
        if "money_programmes" not in self.context:
            user = self.context["request"].user
            self.context["money_programmes"] = None if user.is_superuser else set(
                Project.objects.filter(pk__in=perms.project_ids(user, perms.Right.READ_MONEY))
                .values_list("programme_id", flat=True)
            )
        return self.context["money_programmes"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        allowed = self._money_programmes()
        if allowed is not None and instance.pk not in allowed:
            for name in PROGRAMME_MONEY_FIELDS:
                data.pop(name)
        return data


class ProjectSerializer(ProjectOwnedSerializer):
    project_path = "pk"
    programme = ProgrammeField()
    duration_months = serializers.IntegerField(read_only=True)
    period_months = serializers.IntegerField(
        write_only=True, required=False, min_value=1,
        help_text="On creation only: generate reporting periods of this many months tiling the project (the last "
                  "one ends with the project), each report due at the end of the second month after its period.")

    class Meta:
        model = Project
        fields = ["id", "acronym", "title", "programme", "funder_reference", "description", "start_date", "end_date",
                  "duration_months", "currency", "status", "period_months", "version"]

    def validate(self, attrs):
        if self.instance is not None and "period_months" in attrs:
            raise serializers.ValidationError({"period_months": [
                "Periods are generated when a project is created; change them under /api/reporting-periods/."]})
        if self.instance is not None and "programme" in attrs and attrs["programme"].pk != self.instance.programme_id:
            raise serializers.ValidationError({"programme": ["A project stays in its programme."]})
        return attrs


class ReportingPeriodSerializer(ProjectOwnedSerializer):
    project = ScopedRelatedField(queryset=Project.objects.all(), project_field="pk")

    class Meta:
        model = ReportingPeriod
        fields = ["id", "project", "number", "start_date", "end_date", "report_due_date", "version"]

    def validate(self, attrs):
        if self.instance is not None and "project" in attrs and attrs["project"].pk != self.instance.project_id:
            raise serializers.ValidationError({"project": ["A period cannot move to another project."]})
        return attrs


class MembershipSerializer(ProjectOwnedSerializer):
    user = serializers.IntegerField(source="user_id", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    project = serializers.IntegerField(source="project_id", read_only=True)
    partner = ScopedRelatedField(queryset=Partner.objects.all(), required=False, allow_null=True)
    controlled_partners = ScopedRelatedField(
        queryset=Partner.objects.all(), many=True, required=False,
        help_text="The partners a controller controls (partner ids); only for controllers.")

    class Meta:
        model = Membership
        fields = ["id", "user", "username", "email", "project", "role", "partner", "controlled_partners",
                  "created_at", "version"]

    def validate(self, attrs):
        partner = attrs.get("partner")
        if partner is not None and partner.project_id != self.instance.project_id:
            raise serializers.ValidationError({"partner": ["The partner must belong to the membership's project."]})
        return attrs


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = get_user_model()
        fields = ["id", "username", "email", "first_name", "last_name"]


class InvitationSerializer(serializers.Serializer):
    email = serializers.EmailField()
    first_name = serializers.CharField(max_length=150, allow_blank=True, default="", validators=[validate_one_line])
    last_name = serializers.CharField(max_length=150, allow_blank=True, default="", validators=[validate_one_line])
    project = ScopedRelatedField(queryset=Project.objects.all(), project_field="pk")
    role = serializers.ChoiceField(choices=Role.choices)
    partner = ScopedRelatedField(queryset=Partner.objects.all(), required=False, allow_null=True,
                                 help_text="The partner a reporter reports for; only for reporters.")
    controlled_partners = ScopedRelatedField(
        queryset=Partner.objects.all(), many=True, required=False, default=list,
        help_text="The partners a controller controls (partner ids); only for controllers.")

    def validate(self, attrs):
        partner = attrs.get("partner")
        if attrs["role"] == Role.REPORTER and partner is None:
            raise serializers.ValidationError({"partner": ["A reporter must name the partner they report for."]})
        if attrs["role"] != Role.REPORTER and partner is not None:
            raise serializers.ValidationError({"partner": ["Only reporters name a partner."]})
        if partner is not None and partner.project_id != attrs["project"].pk:
            raise serializers.ValidationError({"partner": ["The partner must belong to the project."]})
        return attrs
