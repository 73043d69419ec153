"""The core: programmes, projects, who may do what in them, and their reporting periods."""

import calendar
import secrets
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consortium.text import LineField

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


def local_today() -> date:
    """Today in Europe/Copenhagen: every "overdue" and "this month" is measured against it."""
    return timezone.localdate()


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def last_of_month(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def month_number(start: date, day: date) -> int:
    """M# of `day` counted from `start`'s month (M1): a project's month, or how many months a period spans.

    A plain function of two dates so that rows read without a Project (an API list page reads values)
    count months by the same rule as Project.month_number.
    """
    return (day.year - start.year) * 12 + day.month - start.month + 1


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after `day`'s month."""
    index = day.year * 12 + (day.month - 1) + months
    return date(index // 12, index % 12 + 1, 1)


def month_alignment_errors(start: date | None, end: date | None) -> dict[str, str]:
    errors = {}
    if start and start.day != 1:
        errors["start_date"] = _("must be the first day of a month")
    if end and end != last_of_month(end):
        errors["end_date"] = _("must be the last day of a month")
    if start and end and end < start:
        errors["end_date"] = _("must not be before start_date")
    return errors


class VersionedModel(models.Model):
    """A row that the API edits with a compare-and-swap on `version` (no lost updates)."""

    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


# The regulations' ceilings of each flat rate, in percent (partners.cost_options.REGULATION_MAXIMA holds the
# same figures; a test keeps them equal, as the core imports no app).
MAXIMUM_FLAT_RATES = {"max_office_on_staff": 15, "max_office_on_direct": 7, "max_travel_on_staff": 15,
                      "max_staff_on_direct": 20, "max_other_costs_on_staff": 40}


def _maximum(name: str, help_text) -> models.DecimalField:
    ceiling = MAXIMUM_FLAT_RATES[name]
    return models.DecimalField(max_digits=5, decimal_places=2, default=ceiling, help_text=help_text,
                               validators=[MinValueValidator(1), MaxValueValidator(ceiling)])


class FlexibilityBasis(models.TextChoices):
    CATEGORY = "category", _("Per cost category, project level")
    PARTNER_CATEGORY = "partner_category", _("Per partner and cost category")


class Programme(models.Model):
    name = LineField(max_length=200, unique=True)
    short_name = LineField(max_length=40, blank=True)
    start_year = models.PositiveSmallIntegerField()
    end_year = models.PositiveSmallIntegerField()
    default_cofinancing_rate = models.DecimalField(
        max_digits=5, decimal_places=2, default=60, validators=PERCENT,
        help_text=_("Percent, e.g. 60.00 for ERDF in Denmark and Sweden."),
    )
    default_office_flat_rate = models.DecimalField(
        max_digits=5, decimal_places=2, default=15, validators=PERCENT,
        help_text=_("Office & administration flat rate, percent of staff costs."),
    )
    eligibility_grace_days = models.PositiveSmallIntegerField(
        default=45, help_text=_("Days after a project's end date in which closure costs are eligible.")
    )
    # The highest flat rates the programme allows its partners (partners.cost_options.ProgrammeMaxima).
    # A programme may set lower ones than the regulations, never higher: the defaults are the ceilings.
    max_office_on_staff = _maximum("max_office_on_staff", _(
        "Office & administration flat rate on direct staff costs: the highest rate, percent (CPR Art. 54(b): at "
        "most 15)."))
    max_office_on_direct = _maximum("max_office_on_direct", _(
        "Office & administration flat rate on direct costs: the highest rate, percent (CPR Art. 54(a): at most 7)."))
    max_travel_on_staff = _maximum("max_travel_on_staff", _(
        "Travel & accommodation flat rate on direct staff costs: the highest rate, percent (Reg. 2021/1059 "
        "Art. 41(5): at most 15)."))
    max_staff_on_direct = _maximum("max_staff_on_direct", _(
        "Staff flat rate on direct costs other than staff costs: the highest rate, percent (CPR Art. 55(1): at "
        "most 20)."))
    max_other_costs_on_staff = _maximum("max_other_costs_on_staff", _(
        "Other-costs flat rate on direct staff costs: the highest rate, percent (CPR Art. 56(1): at most 40)."))
    # Procurement (partners.Contract): a contract at or above the programme's threshold must name its procedure
    # (the review page flags it); one above the Directive 2014/24 threshold rules out the staff flat rate
    # (CPR Art. 55(1), DOMAIN.md §1). Both in EUR, excluding VAT, as the thresholds are.
    procurement_threshold = models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("10000.00"),
        help_text=_("EUR excluding VAT: a contract of this value or more must name its procurement procedure."))
    public_procurement_threshold = models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("221000.00"),
        help_text=_("EUR excluding VAT: the EU public-procurement threshold (Directive 2014/24 Art. 4; 221,000 for "
                    "sub-central authorities in 2024-2025). A partner holding a larger contract cannot claim the "
                    "staff flat rate."))
    # Budget flexibility (partners/budget_selectors.py): how far a budget version may shift money without the
    # programme's approval, measured per cost category at project level or per partner and cost category.
    budget_flexibility_basis = models.CharField(
        max_length=20, choices=FlexibilityBasis.choices, default=FlexibilityBasis.CATEGORY,
        help_text=_("How budget shifts are measured against the threshold."))
    budget_flexibility_percent = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("15.00"), validators=PERCENT,
        help_text=_("Percent: a budget version shifting more than this (of a cost category's budget) needs the "
                    "programme's approval, e.g. 10 or 15."))
    spending_warning_percent = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("25.00"), validators=PERCENT,
        help_text=_("Percent: the management unit is warned when a partner's cumulative certified spending is this "
                    "far behind its planned spending."))

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=models.F("start_year")), name="programme_years_ordered"),
            models.CheckConstraint(
                condition=Q(default_cofinancing_rate__gte=0, default_cofinancing_rate__lte=100),
                name="programme_cofinancing_rate_percent",
            ),
            models.CheckConstraint(
                condition=Q(default_office_flat_rate__gte=0, default_office_flat_rate__lte=100),
                name="programme_office_flat_rate_percent",
            ),
            *(
                models.CheckConstraint(condition=Q(**{f"{name}__gte": 1, f"{name}__lte": ceiling}),
                                       name=f"programme_{name}_within_regulation")
                for name, ceiling in MAXIMUM_FLAT_RATES.items()
            ),
        ]

    def __str__(self):
        return self.short_name or self.name


# The longest project: Interreg projects last a few years; the Gantt charts, calendars and reports draw every month.
MAX_PROJECT_MONTHS = 120


class Project(VersionedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="projects")
    acronym = LineField(max_length=40)
    title = LineField(max_length=300)
    funder_reference = LineField(max_length=80, blank=True, help_text=_("The programme's project ID."))
    description = models.TextField(blank=True)
    start_date = models.DateField()
    end_date = models.DateField()
    currency = models.CharField(max_length=3, default="EUR", choices=[("EUR", "EUR")])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # First-level control (reporting.services): by default the MU checks a report's content before the
    # controller spends time on it; off, a submitted report goes straight to control.
    review_before_control = models.BooleanField(
        default=True, help_text=_("The management unit approves a report's content before its controller "
                                  "starts; off, submitted reports go straight to control."))

    class Meta:
        ordering = ["acronym"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "acronym"], name="project_acronym_unique_per_programme"),
            models.CheckConstraint(condition=Q(end_date__gt=models.F("start_date")), name="project_end_after_start"),
        ]

    def __str__(self):
        return self.acronym

    def clean(self):
        errors = month_alignment_errors(self.start_date, self.end_date)
        if not errors and self.start_date and self.end_date and self.duration_months > MAX_PROJECT_MONTHS:
            # An end in 9999 made a 5.7 MB page and a 21 s PDF: every month of a project is drawn somewhere.
            errors = {"end_date": [_("A project lasts at most %(years)d years; this one would last %(months)d "
                                     "months.") % {"years": MAX_PROJECT_MONTHS // 12,
                                                   "months": self.duration_months}]}
        if errors:
            raise ValidationError(errors)

    @property
    def duration_months(self) -> int:
        return self.month_number(self.end_date)

    def month_number(self, day: date) -> int:
        """M# of a date: M1 is the project's first calendar month."""
        return month_number(self.start_date, day)

    def month_start(self, month_number: int) -> date:
        return add_months(self.start_date, month_number - 1)

    def eligibility_end(self) -> date:
        return self.end_date + timedelta(days=self.programme.eligibility_grace_days)


class Role(models.TextChoices):
    MANAGEMENT_UNIT = "management_unit", _("Management unit")
    COORDINATOR = "coordinator", _("Coordinator")
    REPORTER = "reporter", _("Reporter")
    CONTROLLER = "controller", _("Controller")
    VIEWER = "viewer", _("Viewer")


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.CASCADE, null=True, blank=True, related_name="memberships",
        help_text=_("The partner a reporter reports for; empty for every other role."),
    )
    # A first-level controller's partners: the reports it reads, verifies and certifies (only controllers
    # name any; consortium.invitations checks it, a many-to-many field being out of reach of clean()).
    controlled_partners = models.ManyToManyField(
        "partners.Partner", blank=True, related_name="controller_memberships",
        help_text=_("The partners a controller controls; empty for every other role."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["project", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "project"], name="membership_one_role_per_project"),
            models.CheckConstraint(
                condition=(Q(role="reporter", partner__isnull=False) | (~Q(role="reporter") & Q(partner__isnull=True))),
                name="membership_partner_iff_reporter",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.project} · {self.get_role_display()}"

    def clean(self):
        if self.role == Role.REPORTER and not self.partner_id:
            raise ValidationError({"partner": _("A reporter must name the partner they report for.")})
        if self.role != Role.REPORTER and self.partner_id:
            raise ValidationError({"partner": _("Only reporters name a partner.")})
        if self.partner_id and self.project_id and self.partner.project_id != self.project_id:
            raise ValidationError({"partner": _("The partner must belong to the membership's project.")})


class ReportingPeriod(VersionedModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="periods")
    number = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    start_date = models.DateField()
    end_date = models.DateField()
    report_due_date = models.DateField()

    class Meta:
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="period_number_unique_per_project"),
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="period_end_after_start"),
            models.CheckConstraint(condition=Q(number__gte=1), name="period_number_positive"),
            models.CheckConstraint(
                condition=Q(report_due_date__gte=models.F("end_date")), name="period_report_due_after_end"
            ),
        ]
        # On PostgreSQL an exclusion constraint also forbids overlapping periods of one project
        # (migration 0002); tiling as a whole is checked in clean().

    def __str__(self):
        return f"{self.project} P{self.number}"

    @property
    def submission_opens(self) -> date:
        """The first day a report of this period may be submitted or approved: the day after the period ends.

        A report of a running period would leave the rest of the period's costs nowhere to go.
        """
        return self.end_date + timedelta(days=1)

    def clean(self):
        errors = month_alignment_errors(self.start_date, self.end_date)
        if errors:
            raise ValidationError(errors)
        if not (self.project_id and self.start_date and self.end_date and self.number):
            return
        project = self.project
        if self.start_date < project.start_date or self.end_date > project.end_date:
            raise ValidationError({"end_date": _("The period must lie within the project's dates.")})
        siblings = ReportingPeriod.objects.filter(project=project).exclude(pk=self.pk)
        overlap = siblings.filter(start_date__lte=self.end_date, end_date__gte=self.start_date).first()
        if overlap:
            raise ValidationError({"start_date": _("Overlaps period %(n)s.") % {"n": overlap.number}})
        if self.number == 1:
            expected_start = project.start_date
        else:
            previous = siblings.filter(number=self.number - 1).first()
            if previous is None:
                raise ValidationError({"number": _("Period %(n)s must exist first.") % {"n": self.number - 1}})
            expected_start = previous.end_date + timedelta(days=1)
        if self.start_date != expected_start:
            raise ValidationError(
                {"start_date": _("Periods tile the project without gaps: this one must start on %(d)s.")
                 % {"d": expected_start.isoformat()}}
            )
        following = siblings.filter(number=self.number + 1).first()
        if following and following.start_date != self.end_date + timedelta(days=1):
            raise ValidationError(
                {"end_date": _("Period %(n)s starts on %(d)s, so this one must end the day before.")
                 % {"n": following.number, "d": following.start_date.isoformat()}}
            )

    def contains(self, day: date) -> bool:
        return self.start_date <= day <= self.end_date


def new_feed_key() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeedToken(models.Model):
    """A per-user, per-project, read-only, revocable key for the deadlines calendar (.ics)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="calendar_tokens")
    key = models.CharField(max_length=64, unique=True, default=new_feed_key)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "project"], name="calendar_token_one_per_user_project")]

    def __str__(self):
        return f"calendar {self.user} · {self.project}"


class Profile(models.Model):
    """A person's own settings: the language their e-mails and downloaded documents are written in.

    It follows the language they last used in the web (switching language, signing in) and can be
    set on their settings page; without a row, the site's default language.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES,
                                default=settings.LANGUAGE_CODE)

    def __str__(self):
        return f"{self.user} · {self.language}"


class PasswordResetRequest(models.Model):
    """One request of the password-reset form, kept for an hour to limit how often one is honoured."""

    email = models.CharField(max_length=254, db_index=True)  # as typed, lower-cased
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    sent = models.BooleanField(default=False)  # False: refused by a limit (or no such account)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return f"{self.email} from {self.address} at {self.created_at:%Y-%m-%d %H:%M}"
