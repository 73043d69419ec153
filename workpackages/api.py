"""API resources of this app (see consortium/api/base.py for what they share)."""

from consortium.api.base import ProjectScopedViewSet
from workpackages import services
from workpackages.filters import (
    ActivityFilter,
    DeliverableFilter,
    EffortFilter,
    IndicatorFilter,
    MilestoneFilter,
    WorkPackageFilter,
)
from workpackages.models import Activity, Deliverable, Effort, Indicator, Milestone, WorkPackage
from workpackages.serializers import (
    ActivitySerializer,
    DeliverableSerializer,
    EffortSerializer,
    IndicatorSerializer,
    MilestoneSerializer,
    WorkPackageSerializer,
)


class WorkPackageViewSet(ProjectScopedViewSet):
    queryset = WorkPackage.objects.all()
    serializer_class = WorkPackageSerializer
    filterset_class = WorkPackageFilter
    ordering_fields = ["number", "start_month", "end_month", "title"]
    create_service = staticmethod(services.work_package_create)
    update_service = staticmethod(services.work_package_update)


class ActivityViewSet(ProjectScopedViewSet):
    queryset = Activity.objects.select_related("work_package").prefetch_related("partners")
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    ordering_fields = ["work_package__number", "number", "start_month", "end_month"]
    project_field = "work_package__project"
    create_service = staticmethod(services.activity_create)
    update_service = staticmethod(services.activity_update)


class DeliverableViewSet(ProjectScopedViewSet):
    """Deliverables with computed overdue/late/rescheduled/due_month; status moves along the lifecycle (MU)."""

    # The project is joined for due_month (M# counts from the project's start).
    queryset = Deliverable.objects.select_related("project")
    serializer_class = DeliverableSerializer
    filterset_class = DeliverableFilter
    ordering_fields = ["due_date", "original_due_date", "code", "status", "submitted_date"]
    create_service = staticmethod(services.deliverable_create)

    def perform_update_service(self, instance, version: int, data: dict):
        return services.deliverable_update(deliverable=instance, expected_version=version, data=data)


class MilestoneViewSet(ProjectScopedViewSet):
    queryset = Milestone.objects.select_related("project")
    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilter
    ordering_fields = ["due_date", "code", "achieved_date"]
    create_service = staticmethod(services.milestone_create)
    update_service = staticmethod(services.milestone_update)


class IndicatorViewSet(ProjectScopedViewSet):
    queryset = Indicator.objects.all()
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter
    ordering_fields = ["code", "kind", "target"]
    create_service = staticmethod(services.indicator_create)
    update_service = staticmethod(services.indicator_update)


class EffortViewSet(ProjectScopedViewSet):
    """Planned person-months per partner and work package."""

    queryset = Effort.objects.select_related("work_package")
    serializer_class = EffortSerializer
    filterset_class = EffortFilter
    ordering_fields = ["work_package__number", "partner__number", "person_months"]
    project_field = "work_package__project"
    create_service = staticmethod(services.effort_create)
    update_service = staticmethod(services.effort_update)


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    router.register("work-packages", WorkPackageViewSet, basename="work-package")
    router.register("activities", ActivityViewSet, basename="activity")
    router.register("deliverables", DeliverableViewSet, basename="deliverable")
    router.register("milestones", MilestoneViewSet, basename="milestone")
    router.register("indicators", IndicatorViewSet, basename="indicator")
    router.register("effort", EffortViewSet, basename="effort")
