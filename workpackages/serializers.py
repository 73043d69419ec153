"""Shapes of the work plan; validation only, writes are services in workpackages/services.py."""

from rest_framework import exceptions, serializers

from consortium import permissions as perms
from consortium.api.fields import ProjectOwnedSerializer, ScopedRelatedField
from consortium.models import Project
from partners.models import Partner
from workpackages.models import Activity, Deliverable, Effort, Indicator, Milestone, Risk, WorkPackage


def _project_unchanged(serializer, attrs: dict) -> None:
    instance = serializer.instance
    if instance is not None and "project" in attrs and attrs["project"].pk != instance.project_id:
        raise serializers.ValidationError({"project": ["An object cannot move to another project."]})


class WorkPackageSerializer(ProjectOwnedSerializer):
    project = ScopedRelatedField(queryset=Project.objects.all(), project_field="pk")
    lead_partner = ScopedRelatedField(queryset=Partner.objects.all())
    code = serializers.CharField(read_only=True)

    class Meta:
        model = WorkPackage
        fields = ["id", "project", "number", "code", "title", "lead_partner", "start_month", "end_month",
                  "objectives", "version"]

    def validate(self, attrs):
        _project_unchanged(self, attrs)
        return attrs


class ActivitySerializer(ProjectOwnedSerializer):
    project_path = "work_package__project"
    project = serializers.IntegerField(source="work_package.project_id", read_only=True)
    work_package = ScopedRelatedField(queryset=WorkPackage.objects.all())
    partners = ScopedRelatedField(queryset=Partner.objects.all(), many=True, required=False)
    code = serializers.CharField(read_only=True)

    class Meta:
        model = Activity
        fields = ["id", "project", "work_package", "number", "code", "title", "description", "partners",
                  "start_month", "end_month", "version"]

    def validate(self, attrs):
        wp = attrs.get("work_package") or self.instance.work_package
        if self.instance is not None and wp.project_id != self.instance.work_package.project_id:
            raise serializers.ValidationError({"work_package": ["An activity cannot move to another project."]})
        strangers = [p.code for p in attrs.get("partners", []) if p.project_id != wp.project_id]
        if strangers:
            raise serializers.ValidationError({"partners": [f"Not partners of this project: {', '.join(strangers)}."]})
        return attrs


class PlanItemSerializer(ProjectOwnedSerializer):
    """Deliverables and milestones: `project` may be omitted and then is the work package's.

    `reschedule_reason` is asked for by the service when `due_date` changes; it is kept with the old
    and new dates (DueDateChange), not on the item.
    """

    project = ScopedRelatedField(queryset=Project.objects.all(), project_field="pk", required=False)
    work_package = ScopedRelatedField(queryset=WorkPackage.objects.all())
    reschedule_reason = serializers.CharField(write_only=True, required=False, allow_blank=True,
                                              help_text="Why the due date changes; required when it does.")

    def project_of(self, data: dict):
        return data.get("project") or data["work_package"].project

    def validate(self, attrs):
        _project_unchanged(self, attrs)
        return attrs


class DeliverableSerializer(PlanItemSerializer):
    lead_partner = ScopedRelatedField(queryset=Partner.objects.all())
    internal_reviewer = ScopedRelatedField(queryset=Partner.objects.all(), required=False, allow_null=True)
    overdue = serializers.BooleanField(read_only=True)
    late = serializers.BooleanField(read_only=True)
    rescheduled = serializers.BooleanField(read_only=True)
    due_month = serializers.IntegerField(read_only=True)

    class Meta:
        model = Deliverable
        fields = ["id", "project", "work_package", "code", "title", "description", "type", "dissemination_level",
                  "lead_partner", "internal_reviewer", "original_due_date", "due_date", "submitted_date",
                  "accepted_date", "status", "overdue", "late", "rescheduled", "due_month", "reschedule_reason",
                  "version"]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        # The lifecycle is the MU's to move: explicit here, whatever the resource's write right.
        if "status" in attrs and self.instance is not None and attrs["status"] != self.instance.status:
            if not self.user_has(perms.Right.EDIT_PLAN, self.instance.project_id):
                raise exceptions.PermissionDenied("Only the management unit changes a deliverable's status.")
        return attrs


class MilestoneSerializer(PlanItemSerializer):
    due_month = serializers.IntegerField(read_only=True)
    overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = Milestone
        fields = ["id", "project", "work_package", "code", "title", "due_date", "due_month", "means_of_verification",
                  "achieved_date", "overdue", "reschedule_reason", "version"]


class IndicatorSerializer(ProjectOwnedSerializer):
    project = ScopedRelatedField(queryset=Project.objects.all(), project_field="pk")
    paired_output = ScopedRelatedField(queryset=Indicator.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Indicator
        fields = ["id", "project", "code", "name", "kind", "unit", "baseline", "target", "paired_output", "version"]
        extra_kwargs = {"baseline": {"min_value": 0}, "target": {"min_value": 0}}

    def validate(self, attrs):
        _project_unchanged(self, attrs)
        return attrs


class EffortSerializer(ProjectOwnedSerializer):
    project_path = "work_package__project"
    project = serializers.IntegerField(source="work_package.project_id", read_only=True)
    partner = ScopedRelatedField(queryset=Partner.objects.all())
    work_package = ScopedRelatedField(queryset=WorkPackage.objects.all())

    class Meta:
        model = Effort
        fields = ["id", "project", "partner", "work_package", "person_months", "version"]
        extra_kwargs = {"person_months": {"min_value": 0}}

    def validate(self, attrs):
        wp = attrs.get("work_package") or self.instance.work_package
        if self.instance is not None and wp.project_id != self.instance.work_package.project_id:
            raise serializers.ValidationError({"work_package": ["Effort cannot move to another project."]})
        return attrs


class RiskSerializer(ProjectOwnedSerializer):
    project = ScopedRelatedField(queryset=Project.objects.all(), project_field="pk")
    owner = ScopedRelatedField(queryset=Partner.objects.all(), required=False, allow_null=True,
                               help_text="The partner that watches the risk; null: the management unit.")
    score = serializers.IntegerField(read_only=True, help_text="likelihood × impact, 1–9.")
    review_overdue = serializers.BooleanField(read_only=True,
                                              help_text="Not closed, and its review date has passed.")

    class Meta:
        model = Risk
        fields = ["id", "project", "title", "description", "likelihood", "impact", "score", "owner", "mitigation",
                  "status", "review_date", "review_overdue", "version"]

    def validate(self, attrs):
        _project_unchanged(self, attrs)
        return attrs
