"""The work plan: work packages, activities, deliverables, milestones, indicators and planned effort."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from consortium.files import generated_name
from consortium.models import Project, VersionedModel, local_today
from consortium.text import LineField
from partners.models import Partner


def deliverable_document_path(instance, filename: str) -> str:
    return generated_name("deliverables", filename)


def _month_range_constraints(prefix: str):
    return [
        models.CheckConstraint(condition=Q(start_month__gte=1), name=f"{prefix}_start_month_positive"),
        models.CheckConstraint(condition=Q(end_month__gte=models.F("start_month")), name=f"{prefix}_end_after_start"),
    ]


def _same_project_errors(project_id, **related) -> dict[str, str]:
    """Each related object (a partner, a work package…) must belong to `project_id`."""
    return {
        field: _("must belong to the same project")
        for field, obj in related.items()
        if obj is not None and project_id is not None and obj.project_id != project_id
    }


class WorkPackage(VersionedModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="work_packages")
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    title = LineField(max_length=300)
    lead_partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="led_work_packages")
    start_month = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    end_month = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    objectives = models.TextField(blank=True)

    class Meta:
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="wp_number_unique_per_project"),
            *_month_range_constraints("wp"),
        ]

    def __str__(self):
        return f"WP{self.number} {self.title}"

    @property
    def code(self) -> str:
        return f"WP{self.number}"

    def clean(self):
        errors = _same_project_errors(self.project_id, lead_partner=getattr(self, "lead_partner", None))
        if self.project_id and self.end_month and self.end_month > self.project.duration_months:
            errors["end_month"] = _("must not be after the project's last month (M%(m)s)") % {
                "m": self.project.duration_months
            }
        if errors:
            raise ValidationError(errors)


class Activity(VersionedModel):
    work_package = models.ForeignKey(WorkPackage, on_delete=models.CASCADE, related_name="activities")
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    title = LineField(max_length=300)
    description = models.TextField(blank=True)
    partners = models.ManyToManyField(Partner, blank=True, related_name="activities")
    start_month = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    end_month = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["work_package", "number"]
        verbose_name_plural = "activities"
        constraints = [
            models.UniqueConstraint(fields=["work_package", "number"], name="activity_number_unique_per_wp"),
            *_month_range_constraints("activity"),
        ]

    def __str__(self):
        return f"A{self.work_package.number}.{self.number} {self.title}"

    @property
    def code(self) -> str:
        return f"A{self.work_package.number}.{self.number}"

    def clean(self):
        wp = getattr(self, "work_package", None)
        if wp and self.start_month and self.end_month and (
            self.start_month < wp.start_month or self.end_month > wp.end_month
        ):
            raise ValidationError(
                {"end_month": _("must lie within the work package's months (M%(s)s–M%(e)s)")
                 % {"s": wp.start_month, "e": wp.end_month}}
            )


# A deliverable's computed flags, each defined once, as a function of its columns: the model's properties
# call these, and so do readers of plain rows (the API's list page reads values, not a Deliverable and its
# Project per row). `DeliverableQuerySet.overdue` is the same rule as a database filter, kept beside it
# (tests/test_flags.py checks that the two agree).
def deliverable_overdue(status: str, due_date: date, today: date) -> bool:
    """Not (re)submitted and the due date has passed."""
    return status in Deliverable.OPEN_STATUSES and due_date < today


def deliverable_late(submitted_date: date | None, due_date: date) -> bool:
    """Submitted after the (current) due date."""
    return submitted_date is not None and submitted_date > due_date


def deliverable_rescheduled(due_date: date, original_due_date: date) -> bool:
    return due_date != original_due_date


class DeliverableQuerySet(models.QuerySet):
    def overdue(self, today: date | None = None):
        """deliverable_overdue() as a filter."""
        return self.filter(status__in=Deliverable.OPEN_STATUSES, due_date__lt=today or local_today())

    def not_overdue(self, today: date | None = None):
        return self.exclude(pk__in=self.overdue(today).values("pk"))


class Deliverable(VersionedModel):
    class Type(models.TextChoices):
        R = "R", _("Document, report")
        DEM = "DEM", _("Demonstrator, pilot, prototype")
        DEC = "DEC", _("Websites, patents, videos etc.")
        DATA = "DATA", _("Data sets")
        DMP = "DMP", _("Data management plan")
        ETHICS = "ETHICS", _("Ethics")
        SECURITY = "SECURITY", _("Security")
        OTHER = "OTHER", _("Other")

    class Dissemination(models.TextChoices):
        PU = "PU", _("Public")
        SEN = "SEN", _("Sensitive")
        R_UE = "R-UE/EU-R", _("EU restricted")
        C_UE = "C-UE/EU-C", _("EU confidential")
        S_UE = "S-UE/EU-S", _("EU secret")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        INTERNAL_REVIEW = "internal_review", _("Internal review")
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")
        REVISION_REQUESTED = "revision_requested", _("Revision requested")
        CANCELLED = "cancelled", _("Cancelled")

    # The lifecycle, in one place: status -> the statuses it may move to.
    TRANSITIONS: dict[str, frozenset[str]] = {
        Status.PLANNED: frozenset({Status.IN_PROGRESS, Status.CANCELLED}),
        Status.IN_PROGRESS: frozenset({Status.INTERNAL_REVIEW, Status.SUBMITTED, Status.PLANNED, Status.CANCELLED}),
        Status.INTERNAL_REVIEW: frozenset({Status.IN_PROGRESS, Status.SUBMITTED, Status.CANCELLED}),
        Status.SUBMITTED: frozenset({Status.ACCEPTED, Status.REVISION_REQUESTED}),
        Status.REVISION_REQUESTED: frozenset({Status.IN_PROGRESS, Status.INTERNAL_REVIEW, Status.SUBMITTED,
                                              Status.CANCELLED}),
        Status.ACCEPTED: frozenset(),
        Status.CANCELLED: frozenset({Status.PLANNED}),
    }
    # Not (re)submitted yet: these can be overdue.
    OPEN_STATUSES = (Status.PLANNED, Status.IN_PROGRESS, Status.INTERNAL_REVIEW, Status.REVISION_REQUESTED)

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="deliverables")
    work_package = models.ForeignKey(WorkPackage, on_delete=models.CASCADE, related_name="deliverables")
    code = LineField(max_length=20, help_text=_("e.g. D1.1"))
    title = LineField(max_length=300)
    description = models.TextField(blank=True)
    type = models.CharField(max_length=10, choices=Type.choices, default=Type.R)
    dissemination_level = models.CharField(max_length=10, choices=Dissemination.choices, default=Dissemination.PU)
    lead_partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="led_deliverables")
    internal_reviewer = models.ForeignKey(
        Partner, on_delete=models.SET_NULL, null=True, blank=True, related_name="reviewed_deliverables"
    )
    original_due_date = models.DateField()
    due_date = models.DateField()
    submitted_date = models.DateField(null=True, blank=True)
    accepted_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    document = models.FileField(upload_to=deliverable_document_path, blank=True, max_length=200)
    document_name = models.CharField(max_length=255, blank=True, help_text=_("The uploaded file's original name."))
    history = HistoricalRecords()

    objects = DeliverableQuerySet.as_manager()

    class Meta:
        ordering = ["project", "due_date", "code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="deliverable_code_unique_per_project"),
            models.CheckConstraint(
                condition=Q(accepted_date__isnull=True) | Q(submitted_date__isnull=False),
                name="deliverable_accepted_after_submitted",
            ),
            models.CheckConstraint(
                condition=Q(accepted_date__isnull=True) | Q(accepted_date__gte=models.F("submitted_date")),
                name="deliverable_accepted_not_before_submitted",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def clean(self):
        errors = _same_project_errors(
            self.project_id,
            work_package=getattr(self, "work_package", None),
            lead_partner=getattr(self, "lead_partner", None),
            internal_reviewer=getattr(self, "internal_reviewer", None),
        )
        if errors:
            raise ValidationError(errors)

    def overdue_on(self, today: date) -> bool:
        return deliverable_overdue(self.status, self.due_date, today)

    @property
    def overdue(self) -> bool:
        return self.overdue_on(local_today())

    @property
    def late(self) -> bool:
        return deliverable_late(self.submitted_date, self.due_date)

    @property
    def rescheduled(self) -> bool:
        return deliverable_rescheduled(self.due_date, self.original_due_date)

    @property
    def due_month(self) -> int:
        return self.project.month_number(self.due_date)

    def can_move_to(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.status]


class Milestone(VersionedModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones")
    work_package = models.ForeignKey(WorkPackage, on_delete=models.CASCADE, related_name="milestones")
    code = LineField(max_length=20, help_text=_("e.g. MS1"))
    title = LineField(max_length=300)
    due_date = models.DateField()
    means_of_verification = models.TextField(blank=True)
    achieved_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["project", "due_date", "code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="milestone_code_unique_per_project"),
        ]

    def __str__(self):
        return f"{self.code} {self.title}"

    def clean(self):
        errors = _same_project_errors(self.project_id, work_package=getattr(self, "work_package", None))
        if errors:
            raise ValidationError(errors)

    @property
    def due_month(self) -> int:
        return self.project.month_number(self.due_date)

    @property
    def overdue(self) -> bool:
        return self.achieved_date is None and self.due_date < local_today()


class Indicator(VersionedModel):
    class Kind(models.TextChoices):
        OUTPUT = "output", _("Output")
        RESULT = "result", _("Result")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="indicators")
    code = LineField(max_length=20, help_text=_("e.g. RCO84"))
    name = LineField(max_length=300)
    kind = models.CharField(max_length=6, choices=Kind.choices, default=Kind.OUTPUT)
    unit = LineField(max_length=80)
    baseline = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    target = models.DecimalField(max_digits=12, decimal_places=2)
    paired_output = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="paired_results",
        help_text=_("For a result indicator: the output it may not exceed (e.g. RCR79 ≤ RCO83)."),
    )

    class Meta:
        ordering = ["project", "code"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], name="indicator_code_unique_per_project"),
            models.CheckConstraint(condition=Q(target__gte=0), name="indicator_target_not_negative"),
            models.CheckConstraint(condition=Q(baseline__gte=0), name="indicator_baseline_not_negative"),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        errors = _same_project_errors(self.project_id, paired_output=getattr(self, "paired_output", None))
        if self.paired_output_id and self.kind != self.Kind.RESULT:
            errors["paired_output"] = _("only a result indicator pairs with an output")
        if errors:
            raise ValidationError(errors)


class Effort(VersionedModel):
    """Planned person-months of one partner in one work package."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="planned_effort")
    work_package = models.ForeignKey(WorkPackage, on_delete=models.CASCADE, related_name="planned_effort")
    person_months = models.DecimalField(max_digits=7, decimal_places=2)

    class Meta:
        ordering = ["work_package", "partner"]
        verbose_name_plural = "effort"
        constraints = [
            models.UniqueConstraint(fields=["partner", "work_package"], name="effort_unique_per_partner_wp"),
            models.CheckConstraint(condition=Q(person_months__gte=0), name="effort_not_negative"),
        ]

    def __str__(self):
        return f"{self.partner} {self.work_package.code}: {self.person_months} PM"

    def clean(self):
        wp = getattr(self, "work_package", None)
        partner = getattr(self, "partner", None)
        if wp and partner and wp.project_id != partner.project_id:
            raise ValidationError({"work_package": _("must belong to the partner's project")})


class Risk(VersionedModel):
    """One line of the project's risk register, kept by the management unit.

    Likelihood and impact are rated low, medium or high (1–3, as Interreg application forms rate them);
    their product, 1–9, orders the register. The owner is the partner that watches the risk and carries
    out the mitigation; none means the management unit itself. A risk not closed — open, or still being
    monitored — is shown in the funder report.
    """

    class Level(models.IntegerChoices):
        LOW = 1, _("Low")
        MEDIUM = 2, _("Medium")
        HIGH = 3, _("High")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MONITORING = "monitoring", _("Monitoring")
        CLOSED = "closed", _("Closed")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="risks")
    title = LineField(_("risk"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    likelihood = models.PositiveSmallIntegerField(_("likelihood"), choices=Level.choices, default=Level.MEDIUM)
    impact = models.PositiveSmallIntegerField(_("impact"), choices=Level.choices, default=Level.MEDIUM)
    owner = models.ForeignKey(Partner, on_delete=models.SET_NULL, null=True, blank=True, related_name="risks",
                              verbose_name=_("owner"),
                              help_text=_("The partner that watches the risk; empty: the management unit."))
    mitigation = models.TextField(_("mitigation"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    review_date = models.DateField(_("review date"), null=True, blank=True,
                                   help_text=_("When the risk is looked at next."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "status", "-likelihood", "-impact", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(likelihood__gte=1, likelihood__lte=3), name="risk_likelihood_level"),
            models.CheckConstraint(condition=Q(impact__gte=1, impact__lte=3), name="risk_impact_level"),
            models.CheckConstraint(condition=Q(status__in=["open", "monitoring", "closed"]), name="risk_status_known"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = _same_project_errors(self.project_id, owner=getattr(self, "owner", None))
        if errors:
            raise ValidationError(errors)

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    def review_overdue_on(self, today: date) -> bool:
        return self.is_open and self.review_date is not None and self.review_date < today

    @property
    def review_overdue(self) -> bool:
        return self.review_overdue_on(local_today())


class DueDateChange(models.Model):
    """A deliverable's or milestone's due date moved, with why: the funder asks for the reason of every change.

    Written by the services only, never changed afterwards: the rows are the rescheduling's history.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="due_date_changes")
    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, null=True, blank=True,
                                    related_name="due_date_changes")
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="due_date_changes")
    old_date = models.DateField(_("old due date"))
    new_date = models.DateField(_("new due date"))
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("due date change")
        constraints = [
            models.CheckConstraint(
                condition=(Q(deliverable__isnull=False, milestone__isnull=True)
                           | Q(deliverable__isnull=True, milestone__isnull=False)),
                name="due_date_change_of_one_item",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="due_date_change_has_reason"),
        ]

    def __str__(self):
        return f"{self.item}: {self.old_date} → {self.new_date}"

    @property
    def item(self):
        return self.deliverable or self.milestone
