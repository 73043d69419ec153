"""The plan workbook (docs/PLAN_IMPORT.md): the whole plan of a project as an XLSX, and back.

`export_xlsx` writes one sheet per kind (plan_sheets.SHEETS), text typed as text (consortium/spreadsheets.py),
so that a cell is never a formula and reads back exactly as stored.

`import_plan` reads such a workbook, filled in, and creates the project it describes or updates the one it
names (programme + acronym), all or nothing:
1. the file is read as a hostile input (consortium/workbooks.py: size, zip bomb, row and column limits);
2. every cell is read and held to its field's rules, every reference checked against the workbook's own
   sheets, every key checked for duplicates — all problems collected, named by sheet, row and column;
3. the rows are compared with the stored plan by key: created, changed (which columns), removed;
4. the changes are written through the apps' services, each row in a savepoint so that a refusal names
   its row and the next rows are still tried; any problem, or a dry run, rolls the whole transaction back.
A dry run therefore runs the very writes of the real import and reports what they would do.
"""

import io
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from openpyxl import Workbook as XlsxWorkbook
from openpyxl.styles import Font

from consortium import permissions as perms
from consortium.errors import ROW, DomainError, Problem
from consortium.models import Project
from consortium.permissions import Right
from consortium.spreadsheets import append_row
from consortium.workbooks import Workbook, limited, read_upload
from partners.models import Organisation
from workpackages.plan_sheets import SHEET_BY_NAME, SHEETS, Column, Sheet, Writing, cell_text, clean_value

MAX_ROWS = 10_000  # per sheet
MAX_COLUMNS = 64
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Contacts name organisations by short name: a partner's (in the workbook) or any stored one.
ORGANISATIONS = "organisations"


# -- export -------------------------------------------------------------------------------------------------


def export_xlsx(project: Project) -> bytes:
    workbook = XlsxWorkbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for sheet in SHEETS:
        worksheet = workbook.create_sheet(sheet.name)
        append_row(worksheet, sheet.headers)
        for cell in worksheet[1]:
            cell.font = bold
        worksheet.freeze_panes = "A2"
        for row in sheet.rows(project):
            append_row(worksheet, [column.value_of(row) for column in sheet.columns])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def export_filename(project: Project) -> str:
    return f"{project.acronym}-plan.xlsx"


# -- reading ------------------------------------------------------------------------------------------------


@dataclass
class Row:
    number: int  # as the spreadsheet shows it: the header is row 1
    data: dict

    def key(self, sheet: Sheet) -> tuple:
        return tuple(self.data.get(name) for name in sheet.key)


@dataclass(frozen=True)
class Change:
    """One row the import creates, changes or removes; `columns`: what a change changes."""

    sheet: str
    action: str  # "create" | "change" | "remove"
    key: str
    row: int | None = None
    columns: tuple[str, ...] = ()


@dataclass
class PlanImport:
    project: Project | None
    project_created: bool
    dry_run: bool
    changes: list[Change] = field(default_factory=list)

    def of(self, action: str) -> list[Change]:
        return [change for change in self.changes if change.action == action]

    # For templates, which call no methods with arguments.
    @property
    def of_create(self) -> list[Change]:
        return self.of("create")

    @property
    def of_change(self) -> list[Change]:
        return self.of("change")

    @property
    def of_remove(self) -> list[Change]:
        return self.of("remove")


def _problem(sheet: str, row: int | None, column: str, message: str) -> Problem:
    return Problem(column, message, ROW if row else "", row, sheet=sheet)


def _read_sheet(workbook: Workbook, sheet: Sheet, problems: list[Problem]) -> list[Row]:
    if sheet.name not in workbook.sheets:
        problems.append(_problem(sheet.name, None, "", f"The workbook has no sheet '{sheet.name}' (keep every sheet "
                                                       "of the export, empty if the plan has no such rows)."))
        return []
    table = limited(workbook.rows(sheet.name, max_columns=MAX_COLUMNS, too_wide=lambda number: (
        f"Sheet '{sheet.name}', row {number}, has a value beyond column {MAX_COLUMNS}.")),
        max_rows=MAX_ROWS, message=f"Sheet '{sheet.name}' has more than {MAX_ROWS:,} rows; no plan has that many.")
    header = [cell_text(cell).strip().lower() for cell in (table[0] if table else [])]
    missing = [name for name in sheet.headers if name not in header]
    unknown = [name for name in header if name and name not in sheet.headers]
    twice = sorted({name for name in header if name and header.count(name) > 1})
    for name in missing:
        problems.append(_problem(sheet.name, 1, name, f"The header row has no column '{name}'."))
    for name in unknown:
        problems.append(_problem(sheet.name, 1, name, f"Unknown column '{name}' (the columns are "
                                                      f"{', '.join(sheet.headers)})."))
    for name in twice:
        problems.append(_problem(sheet.name, 1, name, f"The column '{name}' appears {header.count(name)} times."))
    if missing or unknown or twice:
        return []
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if all(cell_text(cell).strip() == "" for cell in cells):
            continue
        raw = {header[i]: cell for i, cell in enumerate(cells) if i < len(header) and header[i]}
        data = {}
        for column in sheet.columns:
            try:
                data[column.name] = clean_value(sheet, column, raw.get(column.name))
            except ValueError as error:
                problems.append(_problem(sheet.name, number, column.name, str(error)))
        rows.append(Row(number, data))
    return rows


def stored_rows(project: Project | None) -> dict[str, dict[tuple, tuple[object, dict]]]:
    """The stored plan as the workbook would show it: per sheet, key -> (row, data read back from its cells)."""
    stored = {}
    for sheet in SHEETS:
        stored[sheet.name] = {}
        if project is None:
            continue
        for obj in sheet.rows(project):
            data = {column.name: _stored_value(sheet, column, obj) for column in sheet.columns}
            stored[sheet.name][tuple(data[name] for name in sheet.key)] = (obj, data)
    return stored


def _stored_value(sheet: Sheet, column: Column, obj):
    """A stored row's value as its cell reads back; one that breaks today's rules stays as it is (a change)."""
    value = column.value_of(obj)
    try:
        return clean_value(sheet, column, value)
    except ValueError:
        return value


def _label(sheet: Sheet, key: tuple) -> str:
    """A row's key as the workbook shows it: "PP3", "WP2 / 1", "PP1 / staff / 2"."""
    columns = {column.name: column for column in sheet.columns}
    return " / ".join(columns[name].show(part) for name, part in zip(sheet.key, key, strict=True)) or sheet.name


def _key_problems(sheet: Sheet, rows: list[Row], problems: list[Problem]) -> None:
    seen: dict[tuple, int] = {}
    for row in rows:
        if any(name not in row.data for name in sheet.key):
            continue  # its key cell is already named as a problem
        key = row.key(sheet)
        if key in seen:
            problems.append(_problem(sheet.name, row.number, sheet.key[-1],
                                     f"{_label(sheet, key)} is already in row {seen[key]}."))
        else:
            seen[key] = row.number


def _reference_problems(workbook_rows: dict[str, list[Row]], problems: list[Problem]) -> None:
    keys = {sheet.name: {row.key(sheet)[0] for row in workbook_rows[sheet.name] if len(sheet.key) == 1}
            for sheet in SHEETS}
    keys[ORGANISATIONS] = {row.data.get("organisation") for row in workbook_rows["Partners"]}
    for sheet in SHEETS:
        for row in workbook_rows[sheet.name]:
            for column in sheet.columns:
                value = row.data.get(column.name)
                if not column.ref or value in (None, "", ()):
                    continue
                wanted = [part[0] if isinstance(part, tuple) else part for part in value] \
                    if isinstance(value, tuple) else [value]
                for part in wanted:
                    if part in keys[column.ref]:
                        continue
                    if column.ref == ORGANISATIONS and Organisation.objects.filter(short_name=part).exists():
                        continue
                    where = "an organisation of the Partners sheet or a stored one" \
                        if column.ref == ORGANISATIONS else f"in the sheet '{column.ref}'"
                    shown = SHEET_BY_NAME[column.ref].columns[0].show(part) if column.ref in SHEET_BY_NAME else part
                    problems.append(_problem(sheet.name, row.number, column.name, f"'{shown}' is not {where}."))


# -- permissions --------------------------------------------------------------------------------------------


def require_import(user) -> None:
    """Who may upload a plan at all: superusers (they create projects) and the MU of some project."""
    if not (user.is_superuser or perms.has_right_anywhere(user, Right.EDIT_PLAN)):
        raise PermissionDenied("Only the management unit imports a plan.")


def _target(user, data: dict) -> Project | None:
    """The project the workbook names (programme + acronym), if it exists; who may write to it is checked here.

    A project the user may not edit and one that does not exist get the same answer for a non-superuser,
    so the upload reveals no project's existence.
    """
    project = Project.objects.filter(programme__name=data.get("programme"), acronym=data.get("acronym")).first()
    if user.is_superuser or (project is not None and perms.has_right(user, Right.EDIT_PLAN, project.pk)):
        return project
    raise PermissionDenied("Only superusers create projects, and the management unit updates its own: this "
                           "workbook names no project you manage.")


# -- the import ---------------------------------------------------------------------------------------------


def _ref(key: tuple):
    """How other sheets name a row: by its one key column's value, or by the whole key."""
    return key[0] if len(key) == 1 else key


def _resolve(column: Column, value, saved: dict):
    if not column.ref or column.ref == ORGANISATIONS:
        return value  # an organisation is found by its short name once the partners are saved (_write)
    if value in (None, ""):
        return None  # no reference: an empty relation
    target = saved[column.ref]
    if isinstance(value, tuple):
        return [(target[part[0]], part[1]) if isinstance(part, tuple) else target[part] for part in value]
    return target[value]


def _row_order(sheet: Sheet, rows: list[Row]) -> list[Row]:
    """Rows naming a row of their own sheet (a result indicator its output) after the rows they may name."""
    own = [column.name for column in sheet.columns if column.ref == sheet.name]
    return sorted(rows, key=lambda row: any(row.data.get(name) for name in own))


def _changed_columns(sheet: Sheet, stored: dict, wanted: dict) -> tuple[str, ...]:
    return tuple(column.name for column in sheet.columns if stored.get(column.name) != wanted.get(column.name))


def _as_problems(error: DomainError, sheet: Sheet, row: int | None, prefix: str = "") -> list[Problem]:
    headers = set(sheet.headers)
    items = error.problems or [Problem("", error.message)]
    return [_problem(sheet.name, row, p.field if p.field in headers else "", prefix + p.message) for p in items]


def _write(writing: Writing, sheets_rows: dict[str, list[Row]], stored: dict, changes: list[Change],
           problems: list[Problem]) -> Project | None:
    removals: list[tuple[Sheet, tuple, object]] = []
    for sheet in SHEETS:
        saved = writing.saved.setdefault(sheet.name,
                                         {_ref(key): obj for key, (obj, _data) in stored[sheet.name].items()})
        wanted_keys = {row.key(sheet) for row in sheets_rows[sheet.name]}
        gone = [(key, obj) for key, (obj, _data) in stored[sheet.name].items()
                if key not in wanted_keys and sheet.remove is not None]
        if sheet.name == "Periods":
            # Periods tile the project: the last ones go first, before the others change.
            for key, obj in sorted(gone, key=lambda item: -item[0][0]):
                _remove(sheet, key, obj, changes, problems)
                saved.pop(_ref(key), None)
        else:
            removals += [(sheet, key, obj) for key, obj in gone]
        for row in _row_order(sheet, sheets_rows[sheet.name]):
            key = row.key(sheet)
            stored_obj, stored_data = stored[sheet.name].get(key, (None, None))
            if stored_obj is not None and stored_data == row.data:
                continue
            columns = _changed_columns(sheet, stored_data, row.data) if stored_obj is not None else ()
            changes.append(Change(sheet.name, "change" if stored_obj is not None else "create", _label(sheet, key),
                                  row.number, columns))
            try:
                data = {column.name: _resolve(column, row.data.get(column.name), writing.saved)
                        for column in sheet.columns}
            except KeyError:
                # It names a row that could not be saved, whose problem is listed; the row itself is not tried.
                problems.append(_problem(sheet.name, row.number, "", "It names a row that could not be saved."))
                continue
            if sheet.name == "Contacts":
                data["organisation"] = Organisation.objects.filter(short_name=data["organisation"]).first()
                if data["organisation"] is None:
                    continue  # its partner's organisation could not be saved, whose problem is already listed
            try:
                with transaction.atomic():
                    obj = sheet.save(writing, stored_obj, data)
            except DomainError as error:
                problems += _as_problems(error, sheet, row.number)
                continue
            if sheet.name == "Project":
                writing.project = obj
            saved[_ref(key)] = obj
    for sheet, key, obj in reversed(removals):
        _remove(sheet, key, obj, changes, problems)
    return writing.project


def _remove(sheet: Sheet, key: tuple, obj, changes: list[Change], problems: list[Problem]) -> None:
    changes.append(Change(sheet.name, "remove", _label(sheet, key)))
    try:
        with transaction.atomic():
            sheet.remove(obj)
    except DomainError as error:
        problems += _as_problems(error, sheet, None, prefix=f"{_label(sheet, key)} cannot be removed: ")


def import_plan(*, upload, user, dry_run: bool) -> PlanImport:
    """Create or update the project a plan workbook describes, all or nothing (the API and the web call this).

    DomainError naming every problem by sheet, row and column; PermissionDenied when the user may not write
    the project the workbook names (or create one). A dry run writes nothing and reports the same changes.
    """
    require_import(user)
    content = read_upload(upload)
    if not (upload.name or "").lower().endswith(".xlsx"):
        raise DomainError("Upload the plan as an .xlsx workbook (export one to start from).", field="file")
    workbook = Workbook(content)
    problems: list[Problem] = []
    try:
        sheets_rows = {sheet.name: _read_sheet(workbook, sheet, problems) for sheet in SHEETS}
    finally:
        workbook.close()
    project_rows = sheets_rows["Project"]
    if len(project_rows) != 1:
        problems.append(_problem("Project", 2, "", "The Project sheet has one row below its header: the project."))
    if problems and not (project_rows and "acronym" in project_rows[0].data and "programme" in project_rows[0].data):
        raise _refusal(problems)
    project = _target(user, project_rows[0].data)
    for sheet in SHEETS:
        _key_problems(sheet, sheets_rows[sheet.name], problems)
    _reference_problems(sheets_rows, problems)
    if problems:
        raise _refusal(problems)
    stored = stored_rows(project)
    # The Project sheet's row is the stored project's, whatever its acronym (its key is empty).
    changes: list[Change] = []
    with transaction.atomic():
        written = _write(Writing(project=project, user=user), sheets_rows, stored, changes, problems)
        if problems or dry_run:
            transaction.set_rollback(True)
    if problems:
        raise _refusal(problems)
    return PlanImport(project=project if dry_run else written, project_created=project is None, dry_run=dry_run,
                      changes=changes)


def _refusal(problems: list[Problem]) -> DomainError:
    first = problems[0]
    return DomainError(f"Nothing was imported: {len(problems)} problem(s), the first in {first.key}: {first.message}",
                       problems=problems)
