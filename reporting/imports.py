"""Reading expenditure lines from CSV and XLSX files (layout: docs/IMPORT.md) and the download templates.

Rows are numbered as the spreadsheet shows them: the header is row 1, the first line row 2.
Every problem of every row is collected before anything is saved; reporting.services.
expenditures_import then saves all lines or none.

A column is one entry of `COLUMN_TABLE`: its name, how a cell is read, and whether a file may leave it
out. A value read is then held to the Expenditure model field's own rules (digits, decimals, minimum,
maximum, length, choices) — the rules the API's serializer takes from the same field — and the computed
line to the same rules again (services.computed_line_problems). A new column: the Expenditure field (and
its name in services.LINE_FIELDS), one `Column` entry (optional=True keeps older files importable), a value
in each of EXAMPLE_ROWS, and its row in docs/IMPORT.md.

A file is a hostile input: its size is limited (settings.IMPORT_MAX_BYTES) before it is read, an XLSX's
declared uncompressed size and compression ratio are checked before it is parsed (consortium/workbooks.py,
shared with the plan import), and both formats are read row by row, stopping at the row limit.
"""

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import FieldDoesNotExist, ValidationError
from openpyxl import Workbook

from consortium.errors import ROW, DomainError, Problem
from consortium.spreadsheets import append_row, csv_writer, strip_csv_guard
from consortium.workbooks import first_sheet_rows, limited, read_upload
from partners.cost_options import StaffCostMethod
from partners.models import CostCategory, UnitCost
from reporting.models import Currency, Expenditure
from reporting.services import computed_line_problems, expenditures_import, line_problems, require_editable
from workpackages.models import WorkPackage

MAX_ROWS = 10_000
# Cells right of this column are ignored while empty (spreadsheets format whole rows); a value there is refused.
MAX_COLUMNS = 256

# Number formats. The CSV's delimiter decides (docs/IMPORT.md): a comma-separated file (and an XLSX text
# cell) has a point as the decimal mark and no thousands separator; a semicolon-separated file, as Danish and
# Swedish Excel save it, has a comma as the decimal mark and may group thousands with a point (Danish) or a
# space (Swedish: a no-break space). Anything else is refused, never guessed.
POINT, COMMA = "point", "comma"
# re.ASCII: \d is 0-9 only (Decimal would take other scripts' digits).
_POINT_NUMBER = re.compile(r"-?\d+(\.\d+)?", re.ASCII)
# Thousands grouped by points need the decimal comma: "1.234" alone may be a misread 1.234 and is refused.
_COMMA_NUMBER = re.compile(r"-?(\d{1,3}(\.\d{3})+,\d+|(\d{1,3}( \d{3})+|\d+)(,\d+)?)", re.ASCII)
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})
_NUMBER_HINT = {
    POINT: "Write a number with a point for decimals and no thousands separator, e.g. 1234.50.",
    COMMA: "In a semicolon-separated file write a number with a comma for decimals, optionally with points "
           "grouping thousands, e.g. 1234,50 or 1.234,50.",
}
# Dates: ISO (Swedish Excel), day-month-year with dashes (Danish Excel) or with dots.
_DAY_FIRST_DATE = re.compile(r"(\d{1,2})([-.])(\d{1,2})\2(\d{4})", re.ASCII)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_DATE_HINT = "Write the date as YYYY-MM-DD, DD-MM-YYYY or DD.MM.YYYY."


@dataclass(frozen=True)
class _Context:
    """What reading a cell depends on: the file's number format and the report's project."""

    number_format: str
    work_packages: dict[int, WorkPackage]
    unit_costs: dict[str, UnitCost]
# yes/no cells, in the languages of the programme's partners.
_YES = {"yes", "y", "true", "1", "ja", "j"}
_NO = {"no", "n", "false", "0", "nej", "nei"}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _number(value, context: _Context) -> Decimal:
    """A number cell: Excel's own number as it is, text in the file's number format."""
    if isinstance(value, bool):
        raise ValueError(_NUMBER_HINT[POINT])
    if isinstance(value, int | float):
        return Decimal(repr(value))  # repr: the shortest text of the float, 0.1 not 0.1000000000000000055…
    text = str(value).strip().translate(_SPACES)
    if context.number_format == COMMA:
        if not _COMMA_NUMBER.fullmatch(text):
            raise ValueError(_NUMBER_HINT[COMMA])
        text = text.replace(".", "").replace(" ", "").replace(",", ".")
    elif not _POINT_NUMBER.fullmatch(text):
        raise ValueError(_NUMBER_HINT[POINT])
    return Decimal(text)


def _date(value, context: _Context) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        day_first = _DAY_FIRST_DATE.fullmatch(text)
        if day_first:
            return date(int(day_first[4]), int(day_first[3]), int(day_first[1]))
        if _ISO_DATE.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise ValueError(_DATE_HINT)


def _plain_text(value, context: _Context) -> str:
    return _text(value)


def _choice(choices: type, what: str, *, upper: bool = False) -> Callable:
    def read(value, context: _Context) -> str:
        text = _text(value).upper() if upper else _text(value)
        if text not in choices.values:
            raise ValueError(f"Unknown {what} '{_text(value)}' (use one of {', '.join(choices.values)}).")
        return text
    return read


def _yes_no(value, context: _Context) -> bool:
    text = _text(value).lower()
    if text not in _YES | _NO:
        raise ValueError("Write yes or no.")
    return text in _YES


def _work_package(value, context: _Context) -> WorkPackage:
    text = _text(value)
    digits = text.upper().removeprefix("WP").strip()
    if not digits.isdigit() or int(digits) not in context.work_packages:
        known = ", ".join(f"WP{n}" for n in sorted(context.work_packages)) or "none"
        raise ValueError(f"Unknown work package '{text}' (this project has {known}).")
    return context.work_packages[int(digits)]


def _unit_cost(value, context: _Context) -> UnitCost:
    text = _text(value)
    unit_cost = context.unit_costs.get(text.casefold())
    if unit_cost is None:
        known = ", ".join(f"'{u.name}'" for u in context.unit_costs.values()) or "none"
        raise ValueError(f"Unknown unit cost '{text}' (this project has {known}).")
    return unit_cost


@dataclass(frozen=True)
class Column:
    """One column of the import: `read` turns a non-empty cell into the line's value or raises ValueError with
    the message for the user; `optional`: a file may leave the column out of its header (older templates)."""

    name: str
    read: Callable
    optional: bool = False


COLUMN_TABLE = (
    Column("cost_category", _choice(CostCategory, "cost category")),
    Column("work_package", _work_package),
    Column("description", _plain_text),
    Column("supplier", _plain_text),
    Column("invoice_number", _plain_text),
    Column("invoice_date", _date),
    Column("payment_date", _date),
    Column("amount", _number),
    Column("currency", _choice(Currency, "currency", upper=True)),
    Column("employee", _plain_text),
    Column("annual_gross_cost", _number),
    Column("hours", _number),
    Column("hourly_rate", _number),
    Column("staff_method", _choice(StaffCostMethod, "staff-cost method"), optional=True),
    Column("monthly_gross_cost", _number, optional=True),
    Column("percentage", _number, optional=True),
    Column("months", _number, optional=True),
    Column("unit_cost", _unit_cost, optional=True),
    Column("units", _number, optional=True),
    Column("invoice_total", _number, optional=True),
    Column("vat_amount", _number, optional=True),
    Column("vat_recoverable", _yes_no, optional=True),
    Column("declared_share", _number, optional=True),
)
COLUMNS = [column.name for column in COLUMN_TABLE]
OPTIONAL_COLUMNS = {column.name for column in COLUMN_TABLE if column.optional}
# Every row must fill these; a unit-cost line's category and currency follow from its unit cost.
REQUIRED_COLUMNS = {"description"}
EXAMPLE_ROWS = [
    ["travel", "WP2", "Train Copenhagen–Lund, kick-off", "DSB", "INV-1001", "2026-03-02", "2026-03-10",
     "245.50", "DKK", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
    ["staff", "WP1", "Project manager, March", "", "", "", "", "", "SEK", "A. Andersson", "612000.00", "37.50", "",
     "hourly", "", "", "", "", "", "", "", "", ""],
    ["staff", "WP1", "Coordinator, half time", "", "", "", "", "", "DKK", "B. Berg", "", "", "",
     "fixed_percentage", "48500.00", "50", "6", "", "", "", "", "", ""],
    # An invoice with its VAT and the share used for the project: (12,500.00 − 2,500.00) × 30 % = 3,000.00.
    ["equipment", "WP2", "Laptop, 30 % for the project", "Elgiganten A/S", "INV-2002", "2026-03-05", "2026-03-12",
     "", "DKK", "", "", "", "", "", "", "", "", "", "", "12500.00", "2500.00", "yes", "30"],
]


def _model_rules(name: str, value):
    """`value` held to the Expenditure field's own rules, the ones the API's serializer takes from it."""
    try:
        field = Expenditure._meta.get_field(name)
    except FieldDoesNotExist:
        return value  # a column that is not a field of the line; its `read` holds all its rules
    if field.is_relation:
        return value  # read from the report's own project; services.line_problems checks it again
    try:
        return field.clean(value, None)
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from None


def _clean_row(raw: dict, context: _Context) -> tuple[dict, dict[str, str]]:
    """The row's values by column, and what is wrong with each bad column."""
    data, errors = {}, {}
    is_unit_line = bool(_text(raw.get("unit_cost")))
    for column in COLUMN_TABLE:
        value = raw.get(column.name)
        try:
            if not _text(value):
                if column.name in REQUIRED_COLUMNS or (column.name == "currency" and not is_unit_line):
                    raise ValueError("This field is required.")
                continue
            data[column.name] = _model_rules(column.name, column.read(value, context))
        except (ValueError, InvalidOperation) as error:
            errors[column.name] = str(error)
    return data, errors


# -- reading the file ------------------------------------------------------------------------------------


def _csv_rows(content: bytes) -> tuple[Iterator[list], str]:
    """The CSV's rows, read as they are needed, and its number format (decided by its delimiter)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's "CSV (semicolon/comma delimited)" is written in the Windows code page: Western European
        # (cp1252) for Danish and Swedish. Five bytes are undefined in it; a file using them is refused.
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError:
            raise DomainError("Save the CSV file as UTF-8 (or as Excel's CSV in Western European, "
                              "Windows-1252).", field="file") from None
    first_line = text.split("\n", 1)[0]
    # Spreadsheets with a decimal comma (Danish, Swedish) save CSV with semicolons.
    semicolons = first_line.count(";") > first_line.count(",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";" if semicolons else ",")

    def rows():
        try:
            for row in reader:
                # The product's own CSVs guard formula-like text with a "'" (consortium.spreadsheets); it goes here.
                yield [strip_csv_guard(cell) for cell in row]
        except csv.Error as error:
            raise DomainError(f"The CSV file cannot be read: {error}.", field="file") from None
    return rows(), COMMA if semicolons else POINT


def _xlsx_rows(content: bytes) -> Iterator[list]:
    """The first worksheet's rows, parsed one at a time as they are needed (consortium/workbooks.py)."""
    return first_sheet_rows(content, max_columns=MAX_COLUMNS, too_wide=lambda number: (
        f"Row {number} has a value beyond column {MAX_COLUMNS}; the template has {len(COLUMNS)} columns."))


def _limited(rows: Iterator[list]) -> list[list]:
    return limited(rows, max_rows=MAX_ROWS, message=f"At most {MAX_ROWS:,} lines per file; split it.")


def _header(cells: list) -> list[str]:
    header = [_text(cell).lower() for cell in cells]
    missing = [c for c in COLUMNS if c not in header and c not in OPTIONAL_COLUMNS]
    unknown = [h for h in header if h and h not in COLUMNS]
    if missing or unknown:
        problems = ([f"missing columns: {', '.join(missing)}"] if missing else []) + (
            [f"unknown columns: {', '.join(unknown)}"] if unknown else [])
        raise DomainError("The header row (row 1) does not match the template: " + "; ".join(problems) + ".",
                          problems=[Problem("", "; ".join(problems), ROW, 1)])
    twice = sorted({name for name in header if name and header.count(name) > 1}, key=header.index)
    if twice:
        # Which of two values would count is a guess; the file says it twice, so it is refused.
        raise DomainError(f"The header row (row 1) has the column {twice[0]} more than once.", problems=[
            Problem(name, f"The column '{name}' appears {header.count(name)} times; keep one.", ROW, 1)
            for name in twice])
    return header


def parse_expenditure_file(*, name: str, content: bytes, report) -> list[dict]:
    """Lines ready for services.expenditures_import, each with its spreadsheet "row"; DomainError naming
    every bad row and field ("row 537.amount") otherwise."""
    lowered = (name or "").lower()
    if lowered.endswith(".csv"):
        rows, number_format = _csv_rows(content)
    elif lowered.endswith(".xlsx"):
        # A number typed as text in a workbook is read like a comma-separated file's.
        rows, number_format = _xlsx_rows(content), POINT
    else:
        raise DomainError("Upload a .csv or .xlsx file (see the import template).", field="file")
    table = _limited(rows)
    if not table:
        raise DomainError("The file is empty.", field="file")
    header = _header(table[0])
    project_id = report.partner.project_id
    context = _Context(
        number_format=number_format,
        work_packages={wp.number: wp for wp in WorkPackage.objects.filter(project_id=project_id)},
        unit_costs={u.name.casefold(): u for u in UnitCost.objects.filter(project_id=project_id)},
    )
    lines, problems = [], []
    for index, cells in enumerate(table[1:], start=2):
        if all(_text(cell) == "" for cell in cells):
            continue
        raw = {header[i]: cell for i, cell in enumerate(cells) if i < len(header) and header[i]}
        data, column_errors = _clean_row(raw, context)
        # A line whose kind is unreadable (its category, method or unit cost) has no kind's checks to run.
        if not column_errors.keys() & {"cost_category", "staff_method", "unit_cost"}:
            for problem in line_problems(report, data) or ([] if column_errors else computed_line_problems(data)):
                column_errors.setdefault(problem.field, problem.message)
        problems += [Problem(name, message, ROW, index) for name, message in column_errors.items()]
        lines.append({"row": index, **data})
    if problems:
        raise DomainError(f"Nothing was imported: {len(problems)} problem(s), the first in {problems[0].key}.",
                          problems=problems)
    if not lines:
        raise DomainError("The file has no lines below the header.", field="file")
    return lines


def import_expenditure_file(*, report, upload, user) -> list[Expenditure]:
    """Read an uploaded file and add its lines to the report, all or none (the API and the web both call this).

    The size is checked before the file is read: an import has a limit of its own (settings.IMPORT_MAX_BYTES).
    """
    require_editable(report)
    rows = parse_expenditure_file(name=upload.name, content=read_upload(upload), report=report)
    return expenditures_import(report=report, rows=rows, user=user)


# -- the templates ----------------------------------------------------------------------------------------


def template_csv() -> bytes:
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(EXAMPLE_ROWS)
    return out.getvalue().encode("utf-8")


# The XLSX template's second sheet (only the first is imported): how to write numbers and dates (docs/IMPORT.md).
TEMPLATE_NOTES = [
    "One expenditure line per row of the first sheet; row 1 is the header. All or nothing: if any row has a "
    "problem, nothing is imported and every problem is named by row and column.",
    "Numbers: in this workbook, number cells (any display format), or text with a decimal point and no "
    "thousands separator: 1234.50.",
    "CSV: comma-separated with a decimal point (1234.50); or semicolon-separated, as Danish and Swedish Excel "
    "save it, with a decimal comma and optionally points or spaces grouping thousands (1234,50 or 1.234,50). "
    "In a semicolon-separated file 1.234 (a point without a comma) is refused: write 1234 or 1.234,00.",
    "Dates: date cells, or 2026-11-28, 28-11-2026 or 28.11.2026.",
    "CSV files: UTF-8, or Windows-1252 as Excel's 'CSV (semicolon delimited)' writes it.",
    f"At most {MAX_ROWS:,} lines per file; each column once; an amount at most 9,999,999,999.99.",
]


def template_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Expenditure"
    append_row(sheet, COLUMNS)
    for row in EXAMPLE_ROWS:
        append_row(sheet, row)
    notes = workbook.create_sheet("Read me")
    notes.column_dimensions["A"].width = 120
    for note in TEMPLATE_NOTES:
        append_row(notes, [note])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
