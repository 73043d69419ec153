"""Reading expenditure lines from CSV and XLSX files (layout: docs/IMPORT.md) and the download templates.

Rows are numbered as the spreadsheet shows them: the header is row 1, the first line row 2.
Every problem of every row is collected before anything is saved; reporting.services.
expenditures_import then saves all lines or none.
"""

import csv
import io
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from openpyxl import Workbook, load_workbook

from consortium.errors import ROW, DomainError, Problem
from partners.cost_options import StaffCostMethod
from partners.models import CostCategory, UnitCost
from reporting.models import Currency, Expenditure
from reporting.services import expenditures_import, line_problems, require_editable
from workpackages.models import WorkPackage

COLUMNS = [
    "cost_category", "work_package", "description", "supplier", "invoice_number", "invoice_date", "payment_date",
    "amount", "currency", "employee", "annual_gross_cost", "hours", "hourly_rate",
    "staff_method", "monthly_gross_cost", "percentage", "months", "unit_cost", "units",
    "invoice_total", "vat_amount", "vat_recoverable", "declared_share",
]
# Columns a file may leave out (older templates have none of them): a line without them is an invoice or an
# hourly staff line.
OPTIONAL_COLUMNS = {"staff_method", "monthly_gross_cost", "percentage", "months", "unit_cost", "units",
                    "invoice_total", "vat_amount", "vat_recoverable", "declared_share"}
# Every row must fill these; a unit-cost line's category and currency follow from its unit cost.
REQUIRED_COLUMNS = {"description"}
MAX_ROWS = 10_000
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
_TEXT_LIMITS = {name: Expenditure._meta.get_field(name).max_length
                for name in ("description", "supplier", "invoice_number", "employee")}
_DECIMALS = {"amount": 2, "annual_gross_cost": 2, "hours": 2, "hourly_rate": 2, "monthly_gross_cost": 2,
             "percentage": 2, "months": 2, "units": 2, "invoice_total": 2, "declared_share": 2}
# yes/no cells, in the languages of the programme's partners.
_YES = {"yes", "y", "true", "1", "ja", "j"}
_NO = {"no", "n", "false", "0", "nej", "nei"}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _decimal(value, places: int) -> Decimal:
    if isinstance(value, float):
        value = repr(value)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError("Write a number with a point for decimals and no thousands separator, e.g. 1234.50.") from None
    if not number.is_finite():
        raise ValueError("Write a number, e.g. 1234.50.")
    if number <= 0:
        raise ValueError("must be positive")
    if -number.as_tuple().exponent > places:
        raise ValueError(f"at most {places} decimals")
    return number


def _date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError("Write the date as YYYY-MM-DD.") from None


def _work_package(value: str, work_packages: dict[int, WorkPackage]) -> WorkPackage:
    digits = value.upper().removeprefix("WP").strip()
    if not digits.isdigit() or int(digits) not in work_packages:
        known = ", ".join(f"WP{n}" for n in sorted(work_packages)) or "none"
        raise ValueError(f"Unknown work package '{value}' (this project has {known}).")
    return work_packages[int(digits)]


def _unit_cost(value: str, unit_costs: dict[str, UnitCost]) -> UnitCost:
    unit_cost = unit_costs.get(value.casefold())
    if unit_cost is None:
        known = ", ".join(f"'{u.name}'" for u in unit_costs.values()) or "none"
        raise ValueError(f"Unknown unit cost '{value}' (this project has {known}).")
    return unit_cost


def _clean_row(raw: dict, work_packages: dict[int, WorkPackage],
               unit_costs: dict[str, UnitCost]) -> tuple[dict, dict[str, str]]:
    """The row's values by column, and what is wrong with each bad column."""
    data, errors = {}, {}
    is_unit_line = bool(_text(raw.get("unit_cost")))
    for name in COLUMNS:
        value = raw.get(name)
        text = _text(value)
        try:
            if name in REQUIRED_COLUMNS and not text:
                raise ValueError("This field is required.")
            if name == "currency" and not text and not is_unit_line:
                raise ValueError("This field is required.")
            if not text:
                continue
            if name == "unit_cost":
                data[name] = _unit_cost(text, unit_costs)
            elif name == "staff_method":
                if text not in StaffCostMethod.values:
                    raise ValueError(f"Unknown staff-cost method '{text}' (use one of "
                                     f"{', '.join(StaffCostMethod.values)}).")
                data[name] = text
            elif name == "cost_category":
                if text not in CostCategory.values:
                    raise ValueError(f"Unknown cost category '{text}' (use one of {', '.join(CostCategory.values)}).")
                data[name] = text
            elif name == "currency":
                if text.upper() not in Currency.values:
                    raise ValueError(f"Unknown currency '{text}' (use one of {', '.join(Currency.values)}).")
                data[name] = text.upper()
            elif name == "work_package":
                data[name] = _work_package(text, work_packages)
            elif name in _DECIMALS:
                data[name] = _decimal(value, _DECIMALS[name])
            elif name == "vat_amount":
                # Zero VAT is a valid figure: a positive number is not required here.
                data[name] = Decimal(0) if text in ("0", "0.00", "0.0") else _decimal(value, 2)
            elif name == "vat_recoverable":
                if text.lower() not in _YES | _NO:
                    raise ValueError("Write yes or no.")
                data[name] = text.lower() in _YES
            elif name in ("invoice_date", "payment_date"):
                data[name] = _date(value)
            else:
                if len(text) > _TEXT_LIMITS[name]:
                    raise ValueError(f"at most {_TEXT_LIMITS[name]} characters")
                data[name] = text
        except ValueError as error:
            errors[name] = str(error)
    return data, errors


def _csv_rows(content: bytes) -> list[list]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError("The CSV file must be UTF-8 encoded.", field="file") from None
    first_line = text.split("\n", 1)[0]
    # Spreadsheets with a decimal comma (Danish, Swedish) save CSV with semicolons.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _xlsx_rows(content: bytes) -> list[list]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or non-XLSX file
        raise DomainError("The file is not a readable XLSX workbook.", field="file") from None
    try:
        return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def parse_expenditure_file(*, name: str, content: bytes, report) -> list[dict]:
    """Lines ready for services.expenditures_import, each with its spreadsheet "row"; DomainError naming
    every bad row and field ("row 537.amount") otherwise."""
    lowered = (name or "").lower()
    if lowered.endswith(".csv"):
        table = _csv_rows(content)
    elif lowered.endswith(".xlsx"):
        table = _xlsx_rows(content)
    else:
        raise DomainError("Upload a .csv or .xlsx file (see the import template).", field="file")
    if not table:
        raise DomainError("The file is empty.", field="file")
    header = [_text(cell).lower() for cell in table[0]]
    missing = [c for c in COLUMNS if c not in header and c not in OPTIONAL_COLUMNS]
    unknown = [h for h in header if h and h not in COLUMNS]
    if missing or unknown:
        problems = ([f"missing columns: {', '.join(missing)}"] if missing else []) + (
            [f"unknown columns: {', '.join(unknown)}"] if unknown else [])
        raise DomainError("The header row (row 1) does not match the template: " + "; ".join(problems) + ".",
                          problems=[Problem("", "; ".join(problems), ROW, 1)])
    if len(table) - 1 > MAX_ROWS:
        raise DomainError(f"At most {MAX_ROWS} lines per file; split it.", field="file")
    work_packages = {wp.number: wp for wp in WorkPackage.objects.filter(project_id=report.partner.project_id)}
    unit_costs = {u.name.casefold(): u for u in UnitCost.objects.filter(project_id=report.partner.project_id)}
    rows, problems = [], []
    for index, cells in enumerate(table[1:], start=2):
        if all(_text(cell) == "" for cell in cells):
            continue
        raw = {header[i]: cell for i, cell in enumerate(cells) if i < len(header) and header[i]}
        data, column_errors = _clean_row(raw, work_packages, unit_costs)
        # A line whose kind is unreadable (its category, method or unit cost) has no kind's checks to run.
        if not column_errors.keys() & {"cost_category", "staff_method", "unit_cost"}:
            for problem in line_problems(report, data):
                column_errors.setdefault(problem.field, problem.message)
        problems += [Problem(name, message, ROW, index) for name, message in column_errors.items()]
        rows.append({"row": index, **data})
    if problems:
        raise DomainError(f"Nothing was imported: {len(problems)} problem(s), the first in {problems[0].key}.",
                          problems=problems)
    if not rows:
        raise DomainError("The file has no lines below the header.", field="file")
    return rows


def import_expenditure_file(*, report, name: str, content: bytes, user) -> list[Expenditure]:
    """Read a file and add its lines to the report, all or none (the API and the web both call this)."""
    require_editable(report)
    rows = parse_expenditure_file(name=name, content=content, report=report)
    return expenditures_import(report=report, rows=rows, user=user)


def template_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(EXAMPLE_ROWS)
    return out.getvalue().encode("utf-8")


def template_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Expenditure"
    sheet.append(COLUMNS)
    for row in EXAMPLE_ROWS:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
