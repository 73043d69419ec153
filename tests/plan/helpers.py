"""Editing a plan workbook in a test as a person would in a spreadsheet program."""

import io
from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from consortium.spreadsheets import append_row, set_text
from workpackages import plan_workbook


def upload(content: bytes, name: str = "plan.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=plan_workbook.XLSX_TYPE)


def edited(content: bytes, edit: Callable) -> bytes:
    """The workbook after `edit(workbook)`."""
    workbook = load_workbook(io.BytesIO(content))
    edit(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def column(sheet, name: str) -> int:
    """The column number of a header."""
    return next(cell.column for cell in sheet[1] if cell.value == name)


def set_cell(workbook, sheet: str, row: int, name: str, value) -> None:
    set_text(workbook[sheet].cell(row=row, column=column(workbook[sheet], name)), value)


def row_of(workbook, sheet: str, name: str, value) -> int:
    """The row whose `name` column holds `value`."""
    index = column(workbook[sheet], name)
    return next(row[0].row for row in workbook[sheet].iter_rows(min_row=2) if row[index - 1].value == value)


def add_row(workbook, sheet: str, values: dict) -> None:
    headers = [cell.value for cell in workbook[sheet][1]]
    append_row(workbook[sheet], [values.get(header) for header in headers])


def post(client, content: bytes, *, dry_run: bool, name: str = "plan.xlsx"):
    return client.post("/api/projects/plan-import/", {"file": upload(content, name), "dry_run": dry_run},
                       format="multipart")
