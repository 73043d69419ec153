"""The sheets of the plan workbook (docs/PLAN_IMPORT.md): one declaration per kind of row.

A `Sheet` says which rows of a project it holds (`rows`), its columns, which columns identify a row
(`key`), and how a row is written (`save`, `remove`) — through the owning app's services, never by
saving models here. A `Column` says how a stored row shows in a cell (`export`) and how a cell is read
back (`read`); reading what `export` wrote gives the stored value again, which is what makes a workbook
exported and imported unchanged a plan without changes. A column named like a field of the sheet's
model (or of `rules_of`) is then held to that field's own rules (length, digits, choices).

A column that names a row of another sheet (`ref`: "PP3" a partner, "WP2" a work package, a period's
number) reads to that row's key; the import checks the key is in the workbook's own sheet and, while
writing, turns it into the row saved for it. So a workbook may add a partner and make it lead a new
work package at once.

To add a sheet (e.g. "Risks"): one `Sheet(...)` in SHEETS, after the sheets its columns refer to, with
its model's columns, its key, and the services that write and remove its rows; a row of it in
docs/PLAN_IMPORT.md. The export, the import, the dry run and the round-trip test take it from here.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models
from django.db.models import Prefetch

from consortium.errors import DomainError, InvalidTransition, Problem
from consortium.models import Programme, Project, ReportingPeriod
from consortium.services import create_validated, delete_checked, period_delete, update_versioned
from partners import access as partner_access
from partners import budget_versions
from partners import services as partner_services
from partners.models import BudgetLine, Contact, LumpSum, LumpSumShare, Organisation, Partner, UnitCost
from workpackages import services as wp_services
from workpackages.models import Activity, Deliverable, Effort, Indicator, Milestone, WorkPackage

# -- reading cells -------------------------------------------------------------------------------------------

_YES = {"yes", "y", "true", "1", "ja", "j"}
_NO = {"no", "n", "false", "0", "nej", "nei"}


def cell_text(value) -> str:
    """A cell as text: a whole number typed where text belongs (a phone number, a year) without ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    return str(value)


def read_text(value):
    # Text as it is (no stripping): a description's own spacing is part of the round trip.
    return cell_text(value)


def read_int(value) -> int:
    if isinstance(value, bool):
        raise ValueError("Write a whole number.")
    if isinstance(value, int):
        return value
    text = cell_text(value).strip()
    if not text.isdigit() or not text.isascii():
        raise ValueError("Write a whole number.")
    return int(text)


def read_decimal(value) -> Decimal:
    if isinstance(value, bool):
        raise ValueError("Write a number with a point for decimals, e.g. 1234.50.")
    if isinstance(value, int | float):
        return Decimal(repr(value))  # repr: the shortest text of the float, 0.1 not 0.1000000000000000055…
    text = cell_text(value).strip()
    try:
        if not text.replace(".", "", 1).lstrip("-").isdigit() or not text.isascii():
            raise InvalidOperation
        return Decimal(text)
    except InvalidOperation:
        raise ValueError("Write a number with a point for decimals and no thousands separator, e.g. 1234.50.") from None


def read_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(cell_text(value).strip())
    except ValueError:
        raise ValueError("Write a date cell, or the date as YYYY-MM-DD.") from None


def read_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    text = cell_text(value).strip().lower()
    if text not in _YES | _NO:
        raise ValueError("Write yes or no.")
    return text in _YES


def read_choice(value) -> str:
    return cell_text(value).strip()


def _numbered(prefix: str) -> Callable:
    """A reference by code: "PP3" (or 3) for partner 3, "WP2" (or 2) for work package 2."""
    def read(value) -> int:
        text = cell_text(value).strip()
        digits = text.upper().removeprefix(prefix).strip()
        if not digits.isdigit() or not digits.isascii():
            raise ValueError(f"Write the code, e.g. {prefix}1.")
        return int(digits)
    return read


read_partner = _numbered("PP")
read_wp = _numbered("WP")


def read_partner_list(value) -> tuple[int, ...]:
    """"PP1, PP3": the partners of an activity, in number order."""
    parts = [part for part in cell_text(value).replace(";", ",").split(",") if part.strip()]
    return tuple(sorted({read_partner(part) for part in parts}))


def read_shares(value) -> tuple[tuple[int, Decimal], ...]:
    """"PP1: 6000.00; PP2: 4000.00": each partner's share of a lump sum."""
    shares = []
    for part in cell_text(value).split(";"):
        if not part.strip():
            continue
        partner, sep, amount = part.partition(":")
        if not sep:
            raise ValueError("Write each share as PP1: 6000.00, shares separated by ';'.")
        shares.append((read_partner(partner), read_decimal(amount.strip())))
    return tuple(sorted(shares))


def partner_code(partner) -> str | None:
    return partner.code if partner else None


def yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


# -- the declarations ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column: its header (the API's field name), how a stored row shows in it, how a cell reads back.

    `ref`: the sheet whose row the value names (its key). `required`: an empty cell is an error.
    """

    name: str
    read: Callable[[Any], Any]
    export: Callable[[Any], Any] | None = None
    required: bool = False
    ref: str = ""

    def value_of(self, obj):
        return self.export(obj) if self.export else getattr(obj, self.name)

    def show(self, value) -> str:
        """A value read from this column as the workbook writes it: partner 3 is "PP3", work package 2 "WP2"."""
        prefix = {read_partner: "PP", read_wp: "WP"}.get(self.read, "")
        return "" if value is None else f"{prefix}{value}"


@dataclass
class Writing:
    """What a sheet's `save` gets besides the row: the project, the user, and the rows saved so far by key."""

    project: Project | None
    user: Any
    saved: dict[str, dict] = field(default_factory=dict)


@dataclass(frozen=True)
class Sheet:
    name: str
    model: type[models.Model]
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    rows: Callable[[Project], Any]  # the project's stored rows, in the order they are exported
    save: Callable[[Writing, Any, dict], Any]  # (writing, stored row or None, data with references resolved)
    remove: Callable[[Any], None] | None = None  # None: a row is never removed by an import (the project)
    rules_of: dict[str, models.Field] = field(default_factory=dict)  # columns held to another model's field

    @property
    def headers(self) -> list[str]:
        return [column.name for column in self.columns]

    def rule(self, name: str) -> models.Field | None:
        """The model field whose rules a column's value obeys (None: the column's `read` holds them all)."""
        if name in self.rules_of:
            return self.rules_of[name]
        try:
            model_field = self.model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        return None if model_field.is_relation else model_field


def _fields(data: dict, *names: str) -> dict:
    return {name: data[name] for name in names if name in data}


def _update_or_create(model, writing: Writing, obj, data: dict):
    if obj is None:
        return create_validated(model, data=data)
    return update_versioned(obj, expected_version=obj.version, data=data)


# Project

PROJECT_FIELDS = ("acronym", "title", "funder_reference", "description", "start_date", "end_date", "status")


def _save_project(writing: Writing, obj, data: dict):
    data = {"programme": Programme.objects.get(name=data["programme"]), **_fields(data, *PROJECT_FIELDS)}
    return _update_or_create(Project, writing, obj, data)


def read_programme(value) -> str:
    name = cell_text(value).strip()
    if not Programme.objects.filter(name=name).exists():
        known = ", ".join(f"'{p}'" for p in Programme.objects.values_list("name", flat=True)) or "none"
        raise ValueError(f"Unknown programme '{name}' (known: {known}).")
    return name


# Partners, with their organisations

ORGANISATION_COLUMNS = {"organisation_name": "name", "country": "country", "legal_status": "legal_status",
                        "nuts_region": "nuts_region", "vat_or_pic": "vat_or_pic", "website": "website"}
PARTNER_FIELDS = ("number", "role", "cofinancing_rate", "funding_source", "reporting_currency",
                  "budget_approved_month", *Partner.COST_OPTION_FIELDS)


def _organisation(writing: Writing, data: dict) -> Organisation:
    """The partner's organisation by short name: created when new, changed where the row says otherwise.

    A refusal names the row's columns (`organisation_name`), not the organisation's fields (`name`).
    """
    try:
        return _organisation_saved(writing, data)
    except DomainError as error:
        column_of = {name: column for column, name in ORGANISATION_COLUMNS.items()} | {"short_name": "organisation"}
        raise type(error)(error.message, problems=[
            Problem(column_of.get(p.field, p.field), p.message) for p in error.problems]) from None


def _organisation_saved(writing: Writing, data: dict) -> Organisation:
    wanted = {field_name: data.get(column, "") for column, field_name in ORGANISATION_COLUMNS.items()}
    organisation = Organisation.objects.filter(short_name=data["organisation"]).first()
    if organisation is None:
        partner_access.require_create_organisation(writing.user)
        return create_validated(Organisation, data={"short_name": data["organisation"], **wanted})
    changed = {name: value for name, value in wanted.items() if getattr(organisation, name) != value}
    if changed:
        try:
            partner_access.require_change_organisation(writing.user, organisation)
        except PermissionDenied as denied:
            column = next(c for c, f in ORGANISATION_COLUMNS.items() if f in changed)
            raise DomainError(str(denied), field=column) from None
        organisation = update_versioned(organisation, expected_version=organisation.version, data=changed)
    return organisation


def _save_partner(writing: Writing, obj, data: dict):
    values = {"organisation": _organisation(writing, data), **_fields(data, *PARTNER_FIELDS)}
    if obj is None:
        return partner_services.partner_create(data={"project": writing.project, **values})
    return partner_services.partner_update(partner=obj, expected_version=obj.version, data=values)


def _org(name: str) -> Callable:
    return lambda partner: getattr(partner.organisation, name)


# Deliverables: the workbook states a status; the import moves the deliverable along its lifecycle to it.

DELIVERABLE_FIELDS = ("work_package", "code", "title", "description", "type", "dissemination_level", "lead_partner",
                      "internal_reviewer", "original_due_date", "due_date", "submitted_date", "accepted_date")


def lifecycle_path(start: str, goal: str) -> list[str] | None:
    """The shortest way from one status to another through the lifecycle's moves (None: there is none)."""
    paths = {start: []}
    queue = [start]
    while queue:
        status = queue.pop(0)
        if status == goal:
            return paths[status]
        for following in sorted(Deliverable.TRANSITIONS[status]):
            if following not in paths:
                paths[following] = [*paths[status], following]
                queue.append(following)
    return None


def _save_deliverable(writing: Writing, obj, data: dict):
    values = _fields(data, *DELIVERABLE_FIELDS)
    if obj is None:
        obj = wp_services.deliverable_create(data={**values, "status": Deliverable.Status.PLANNED})
    goal = data.get("status") or obj.status
    steps = lifecycle_path(obj.status, goal)
    if steps is None:
        raise InvalidTransition(f"A deliverable cannot move from '{obj.status}' to '{goal}' along its lifecycle.",
                                field="status")
    # Each step is one move of the lifecycle, made by its service, with the date the row gives for it.
    for step in steps:
        dates = {name: values[name] for name in ("submitted_date", "accepted_date")
                 if values.get(name) and step == {"submitted_date": "submitted", "accepted_date": "accepted"}[name]}
        obj = wp_services.deliverable_update(deliverable=obj, expected_version=obj.version,
                                             data={"status": step, **dates})
    return wp_services.deliverable_update(deliverable=obj, expected_version=obj.version, data=values)


def _save_milestone(writing: Writing, obj, data: dict):
    if obj is None:
        return wp_services.milestone_create(data=data)
    return update_versioned(obj, expected_version=obj.version, data=data)


def _project_row(model) -> Callable:
    """Save a row that belongs to the project directly (periods, contacts, WPs, indicators, unit costs)."""
    def save(writing: Writing, obj, data: dict):
        if model is UnitCost and obj is not None:
            return partner_services.unit_cost_update(unit_cost=obj, expected_version=obj.version, data=data)
        return _update_or_create(model, writing, obj, {"project": writing.project, **data})
    return save


def _plain_row(model) -> Callable:
    """Save a row that belongs to the project through its partner or work package (effort, budget, activities)."""
    return lambda writing, obj, data: _update_or_create(model, writing, obj, data)


def _save_lump_sum(writing: Writing, obj, data: dict):
    values = {**data, "shares": [{"partner": partner, "amount": amount} for partner, amount in data["shares"]]}
    if obj is None:
        return partner_services.lump_sum_create(data={"project": writing.project, **values})
    return partner_services.lump_sum_update(lump_sum=obj, expected_version=obj.version, data=values)


def _save_budget_line(writing: Writing, obj, data: dict):
    """A line of budget version 1: a new project's first line starts it as a draft (the MU approves it in the app);
    once approved it is read-only, and a changed line is refused as the budget services refuse it."""
    if obj is None:
        return budget_versions.budget_line_create(data=data)
    return budget_versions.budget_line_update(line=obj, expected_version=obj.version, data=data)


def _period_number(row) -> int | None:
    return row.period.number if row.period_id else None


SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "Project", Project, key=(),
        columns=(
            Column("programme", read_programme, export=lambda p: p.programme.name, required=True),
            Column("acronym", read_text, required=True),
            Column("title", read_text, required=True),
            Column("funder_reference", read_text),
            Column("description", read_text),
            Column("start_date", read_date, required=True),
            Column("end_date", read_date, required=True),
            Column("status", read_choice, required=True),
        ),
        rows=lambda project: [project] if project else [],
        save=_save_project,
    ),
    Sheet(
        "Periods", ReportingPeriod, key=("number",),
        columns=(
            Column("number", read_int, required=True),
            Column("start_date", read_date, required=True),
            Column("end_date", read_date, required=True),
            Column("report_due_date", read_date, required=True),
        ),
        rows=lambda project: project.periods.order_by("number"),
        save=_project_row(ReportingPeriod),
        remove=lambda period: period_delete(period=period),
    ),
    Sheet(
        "Partners", Partner, key=("number",),
        columns=(
            Column("number", read_partner, export=lambda p: p.code, required=True),
            Column("organisation", read_text, export=_org("short_name"), required=True),
            Column("organisation_name", read_text, export=_org("name"), required=True),
            Column("country", read_choice, export=_org("country"), required=True),
            Column("legal_status", read_choice, export=_org("legal_status"), required=True),
            Column("nuts_region", read_text, export=_org("nuts_region")),
            Column("vat_or_pic", read_text, export=_org("vat_or_pic")),
            Column("website", read_text, export=_org("website")),
            Column("role", read_choice, required=True),
            Column("cofinancing_rate", read_decimal, required=True),
            Column("funding_source", read_choice, required=True),
            Column("reporting_currency", read_choice, required=True),
            Column("budget_approved_month", read_date),
            Column("office_option", read_choice, required=True),
            Column("office_flat_rate", read_decimal),
            Column("travel_option", read_choice, required=True),
            Column("travel_flat_rate", read_decimal),
            Column("staff_option", read_choice, required=True),
            Column("staff_flat_rate", read_decimal),
            Column("uses_other_costs_flat_rate", read_bool, export=lambda p: yes_no(p.uses_other_costs_flat_rate),
                   required=True),
            Column("other_costs_flat_rate", read_decimal),
        ),
        rules_of={"organisation": Organisation._meta.get_field("short_name"),
                  **{column: Organisation._meta.get_field(name) for column, name in ORGANISATION_COLUMNS.items()}},
        rows=lambda project: project.partners.select_related("organisation").order_by("number"),
        save=_save_partner,
        remove=delete_checked,
    ),
    Sheet(
        "Contacts", Contact, key=("email", "kind"),
        columns=(
            Column("organisation", read_text, export=lambda c: c.organisation.short_name, required=True,
                   ref="organisations"),
            Column("name", read_text, required=True),
            Column("title", read_text),
            Column("email", read_text, required=True),
            Column("phone", read_text),
            Column("kind", read_choice, required=True),
        ),
        rules_of={"organisation": Organisation._meta.get_field("short_name")},
        rows=lambda project: project.contacts.select_related("organisation").order_by("organisation__short_name",
                                                                                       "name", "email", "kind"),
        save=_project_row(Contact),
        remove=delete_checked,
    ),
    Sheet(
        "Work packages", WorkPackage, key=("number",),
        columns=(
            Column("number", read_wp, export=lambda wp: wp.code, required=True),
            Column("title", read_text, required=True),
            Column("lead_partner", read_partner, export=lambda wp: wp.lead_partner.code, required=True,
                   ref="Partners"),
            Column("start_month", read_int, required=True),
            Column("end_month", read_int, required=True),
            Column("objectives", read_text),
        ),
        rows=lambda project: project.work_packages.select_related("lead_partner").order_by("number"),
        save=_project_row(WorkPackage),
        remove=delete_checked,
    ),
    Sheet(
        "Activities", Activity, key=("work_package", "number"),
        columns=(
            Column("work_package", read_wp, export=lambda a: a.work_package.code, required=True, ref="Work packages"),
            Column("number", read_int, required=True),
            Column("title", read_text, required=True),
            Column("description", read_text),
            Column("partners", read_partner_list, ref="Partners",
                   export=lambda a: ", ".join(p.code for p in sorted(a.partners.all(), key=lambda p: p.number))),
            Column("start_month", read_int, required=True),
            Column("end_month", read_int, required=True),
        ),
        rows=lambda project: Activity.objects.filter(work_package__project=project).select_related(
            "work_package").prefetch_related("partners").order_by("work_package__number", "number"),
        save=_plain_row(Activity),
        remove=delete_checked,
    ),
    Sheet(
        "Deliverables", Deliverable, key=("code",),
        columns=(
            Column("code", read_text, required=True),
            Column("work_package", read_wp, export=lambda d: d.work_package.code, required=True, ref="Work packages"),
            Column("title", read_text, required=True),
            Column("description", read_text),
            Column("type", read_choice, required=True),
            Column("dissemination_level", read_choice, required=True),
            Column("lead_partner", read_partner, export=lambda d: d.lead_partner.code, required=True, ref="Partners"),
            Column("internal_reviewer", read_partner, export=lambda d: partner_code(d.internal_reviewer),
                   ref="Partners"),
            Column("original_due_date", read_date, required=True),
            Column("due_date", read_date, required=True),
            Column("status", read_choice, required=True),
            Column("submitted_date", read_date),
            Column("accepted_date", read_date),
        ),
        rows=lambda project: project.deliverables.select_related("work_package", "lead_partner",
                                                                 "internal_reviewer").order_by("code"),
        save=_save_deliverable,
        remove=delete_checked,
    ),
    Sheet(
        "Milestones", Milestone, key=("code",),
        columns=(
            Column("code", read_text, required=True),
            Column("work_package", read_wp, export=lambda m: m.work_package.code, required=True, ref="Work packages"),
            Column("title", read_text, required=True),
            Column("due_date", read_date, required=True),
            Column("means_of_verification", read_text),
            Column("achieved_date", read_date),
        ),
        rows=lambda project: project.milestones.select_related("work_package").order_by("code"),
        save=_save_milestone,
        remove=delete_checked,
    ),
    Sheet(
        "Indicators", Indicator, key=("code",),
        columns=(
            Column("code", read_text, required=True),
            Column("name", read_text, required=True),
            Column("kind", read_choice, required=True),
            Column("unit", read_text, required=True),
            Column("baseline", read_decimal, required=True),
            Column("target", read_decimal, required=True),
            Column("paired_output", read_text, export=lambda i: i.paired_output.code if i.paired_output else None,
                   ref="Indicators"),
        ),
        # The import writes a result indicator after the output it pairs with (plan_workbook._row_order).
        rows=lambda project: project.indicators.select_related("paired_output").order_by("code"),
        save=_project_row(Indicator),
        remove=delete_checked,
    ),
    Sheet(
        "Effort", Effort, key=("partner", "work_package"),
        columns=(
            Column("partner", read_partner, export=lambda e: e.partner.code, required=True, ref="Partners"),
            Column("work_package", read_wp, export=lambda e: e.work_package.code, required=True, ref="Work packages"),
            Column("person_months", read_decimal, required=True),
        ),
        rows=lambda project: Effort.objects.filter(work_package__project=project).select_related(
            "partner", "work_package").order_by("partner__number", "work_package__number"),
        save=_plain_row(Effort),
        remove=delete_checked,
    ),
    Sheet(
        "Budget", BudgetLine, key=("partner", "cost_category", "period"),
        columns=(
            Column("partner", read_partner, export=lambda b: b.partner.code, required=True, ref="Partners"),
            Column("cost_category", read_choice, required=True),
            Column("period", read_int, export=_period_number, ref="Periods"),
            Column("amount", read_decimal, required=True),
        ),
        # Version 1, the approved application budget (docs/BUDGET.md): later versions change it in the app.
        rows=lambda project: BudgetLine.objects.filter(partner__project=project, budget_version__number=1)
        .select_related("partner", "period").order_by("partner__number", "cost_category", "period__number"),
        save=_save_budget_line,
        remove=lambda line: budget_versions.budget_line_delete(line=line),
    ),
    Sheet(
        "Unit costs", UnitCost, key=("name",),
        columns=(
            Column("name", read_text, required=True),
            Column("unit", read_text, required=True),
            Column("price_per_unit", read_decimal, required=True),
            Column("cost_category", read_choice, required=True),
        ),
        rows=lambda project: project.unit_costs.order_by("name"),
        save=_project_row(UnitCost),
        remove=delete_checked,
    ),
    Sheet(
        "Lump sums", LumpSum, key=("name",),
        columns=(
            Column("name", read_text, required=True),
            Column("amount", read_decimal, required=True),
            Column("period", read_int, export=_period_number, required=True, ref="Periods"),
            Column("achieved_date", read_date),
            Column("evidence", read_text),
            Column("shares", read_shares, required=True, ref="Partners",
                   export=lambda s: "; ".join(f"{share.partner.code}: {share.amount}" for share in s.shares.all())),
        ),
        rows=lambda project: project.lump_sums.select_related("period").prefetch_related(
            Prefetch("shares", queryset=LumpSumShare.objects.select_related("partner")
                     .order_by("partner__number"))).order_by("name"),
        save=_save_lump_sum,
        remove=delete_checked,
    ),
)
SHEET_BY_NAME = {sheet.name: sheet for sheet in SHEETS}


def clean_value(sheet: Sheet, column: Column, value):
    """A cell's value as the row holds it, or ValueError with the message for the user."""
    if cell_text(value).strip() == "":
        if column.required:
            raise ValueError("This field is required.")
        return "" if column.read in (read_text, read_choice) else (() if column.read in (
            read_partner_list, read_shares) else None)
    read = column.read(value)
    rule = sheet.rule(column.name)
    if rule is not None:
        try:
            read = rule.clean(read, None)
        except ValidationError as error:
            raise ValueError(" ".join(error.messages)) from None
    return read
