"""Services of budget versions: start one, change its lines, approve it, delete a draft (docs/BUDGET.md).

A draft starts as a copy of the lines in force at its first period; each change of its lines re-runs the
flexibility check (partners/budget_selectors.py), whose verdict is stored on the version. An approved version
is read-only everywhere: its lines, its fields, and it cannot be deleted.
"""

from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from consortium.errors import DomainError, Problem, StateConflict
from consortium.models import Project
from consortium.services import create_validated, delete_checked, update_versioned, validate
from partners.budget_selectors import flexibility_check, lines_in_force
from partners.models import BudgetLine, BudgetVersion

# The fields of a draft its author may change (the API's and the web form's).
EDITABLE_FIELDS = ("reason", "decision_date", "applies_from", "programme_approved")


def refuse_approved(version: BudgetVersion) -> None:
    if version.is_approved:
        raise StateConflict(_("Budget version %(number)s is approved and read-only: start a new version to change "
                              "the budget.") % {"number": version.number}, field="budget_version")


def _check_first_period(project: Project, applies_from: int) -> None:
    periods = set(project.periods.values_list("number", flat=True))
    if periods and applies_from not in periods:
        raise DomainError(_("The project has no reporting period %(number)s.") % {"number": applies_from},
                          field="applies_from")


def refresh_flexibility(version: BudgetVersion) -> BudgetVersion:
    """Store the flexibility check's verdict on the version (derived, so the ETag's `version` stays)."""
    flagged = flexibility_check(version).needs_programme_approval
    if flagged != version.needs_programme_approval:
        BudgetVersion.objects.filter(pk=version.pk).update(needs_programme_approval=flagged)
        version.needs_programme_approval = flagged
    return version


@transaction.atomic
def budget_version_create(*, project: Project, user=None, reason: str = "", decision_date: date | None = None,
                          applies_from: int = 1) -> BudgetVersion:
    """A new draft version holding a copy of the lines in force at its first period."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if BudgetVersion.objects.filter(project=project, status=BudgetVersion.Status.DRAFT).exists():
        raise StateConflict(_("This project already has a draft budget version: change or delete it first."))
    _check_first_period(project, applies_from)
    number = (BudgetVersion.objects.filter(project=project).aggregate(n=Max("number"))["n"] or 0) + 1
    version = BudgetVersion(project=project, number=number, reason=reason, decision_date=decision_date,
                            applies_from=applies_from, created_by=user if user and user.is_authenticated else None)
    validate(version)
    version.save()
    BudgetLine.objects.bulk_create(
        BudgetLine(budget_version=version, partner_id=line.partner_id, cost_category=line.cost_category,
                   period_id=line.period_id, amount=line.amount)
        for line in lines_in_force(project, applies_from))
    return refresh_flexibility(version)


@transaction.atomic
def budget_version_update(*, version: BudgetVersion, expected_version: int, data: dict) -> BudgetVersion:
    refuse_approved(version)
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be changed here."),
                          problems=[Problem(name, _("Read-only.")) for name in sorted(unknown)])
    if "applies_from" in data:
        _check_first_period(version.project, data["applies_from"])
    version = update_versioned(version, expected_version=expected_version, data=data)
    return refresh_flexibility(version)


@transaction.atomic
def budget_version_set_line(*, version: BudgetVersion, partner, cost_category: str, amount, period=None) -> BudgetLine:
    """Set one line of a draft (created when the draft has none for that partner, category and period)."""
    refuse_approved(version)
    line = BudgetLine.objects.filter(budget_version=version, partner=partner, cost_category=cost_category,
                                     period=period).first()
    if line is None:
        line = create_validated(BudgetLine, data={"budget_version": version, "partner": partner,
                                                  "cost_category": cost_category, "period": period,
                                                  "amount": amount})
    else:
        line = update_versioned(line, expected_version=line.version, data={"amount": amount})
    refresh_flexibility(version)
    return line


@transaction.atomic
def budget_line_create(*, data: dict) -> BudgetLine:
    """A line of a draft version (the API's POST); a line of an approved version is refused.

    Unnamed, it goes to the project's draft (BudgetLine.clean); a project with no budget version at all — one
    being set up — first gets version 1 as a draft, its application budget, which the MU approves once complete.
    """
    if data.get("budget_version") is not None:
        refuse_approved(data["budget_version"])
    elif data.get("partner") is not None and not BudgetVersion.objects.filter(
            project_id=data["partner"].project_id).exists():
        budget_version_create(project=data["partner"].project, reason=_("The approved application budget."))
    line = create_validated(BudgetLine, data=data)
    refresh_flexibility(line.budget_version)
    return line


@transaction.atomic
def budget_line_update(*, line: BudgetLine, expected_version: int, data: dict) -> BudgetLine:
    refuse_approved(line.budget_version)
    if "budget_version" in data and data["budget_version"].pk != line.budget_version_id:
        raise DomainError(_("A budget line cannot move to another budget version."), field="budget_version")
    line = update_versioned(line, expected_version=expected_version, data=data)
    refresh_flexibility(line.budget_version)
    return line


@transaction.atomic
def budget_line_delete(*, line: BudgetLine) -> None:
    version = line.budget_version
    refuse_approved(version)
    delete_checked(line)
    refresh_flexibility(version)


@transaction.atomic
def budget_version_approve(*, version: BudgetVersion, user=None) -> BudgetVersion:
    """Put a draft in force from its first period; over the flexibility only with the programme-approval mark."""
    version = BudgetVersion.objects.select_for_update().select_related("project__programme").get(pk=version.pk)
    refuse_approved(version)
    refresh_flexibility(version)
    if version.needs_programme_approval and not version.programme_approved:
        raise StateConflict(
            _("This version shifts more than the programme's flexibility allows (or adds money): it needs the "
              "programme's approval. Mark it as approved by the programme first."), field="programme_approved")
    version.status = BudgetVersion.Status.APPROVED
    version.approved_at = timezone.now()
    version.approved_by = user if user and user.is_authenticated else None
    version.version += 1  # the row is locked: a client holding the draft's ETag now sees it changed
    version.save()
    return version


@transaction.atomic
def budget_version_delete(*, version: BudgetVersion) -> None:
    refuse_approved(version)
    delete_checked(version)
