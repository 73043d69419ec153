"""Writing user text into the spreadsheets the product produces, so that it is never run as a formula.

Every XLSX and CSV the product writes (the funder report, the import templates, any export) goes
through these helpers. A spreadsheet program treats a cell starting with `=` (and, when it parses a
CSV, also `+`, `-`, `@`, tab and CR) as a formula: `=HYPERLINK("http://evil.example/x","Open")` typed
as a narrative would become a live link.

- XLSX: text cells are typed as strings (`data_type "s"`), the text unchanged; numbers and dates
  stay numbers and dates.
- CSV: a text value starting with one of those characters gets a `'` in front (the convention
  spreadsheet programs show as "this is text"); the product's own importers remove it again
  (`strip_csv_guard`), so a file the product wrote imports back unchanged.
"""

import csv
from collections.abc import Iterable

from openpyxl.cell.cell import Cell

# The first characters that make a spreadsheet program read a cell as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_GUARD = "'"


def text_cell(sheet, value) -> Cell:
    """A cell of `sheet` holding `value`; text is typed as a string, never as a formula."""
    cell = Cell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def append_row(sheet, values: Iterable) -> None:
    """sheet.append(values), with every text value typed as a string (`text_cell`)."""
    sheet.append([value if isinstance(value, Cell) else text_cell(sheet, value) for value in values])


def set_text(cell, value) -> None:
    """Write `value` into an existing cell; text is typed as a string."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def csv_value(value):
    """A value for a CSV cell: text starting like a formula gets the `'` guard; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return CSV_GUARD + value
    return value


def csv_writer(out, **kwargs):
    """A csv.writer whose writerow/writerows guard every text value (`csv_value`)."""
    return _GuardedWriter(csv.writer(out, **kwargs))


def strip_csv_guard(text: str) -> str:
    """The text a CSV cell stood for: the `'` that `csv_value` put before a formula-like value is removed."""
    if text.startswith(CSV_GUARD) and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


class _GuardedWriter:
    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row: Iterable):
        return self._writer.writerow([csv_value(value) for value in row])

    def writerows(self, rows: Iterable[Iterable]):
        for row in rows:
            self.writerow(row)
