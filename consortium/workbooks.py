"""Reading an uploaded XLSX workbook as a hostile input: the one safe reader every import uses.

The expenditure import (reporting/imports.py) reads the first sheet, the plan import
(workpackages/plan_workbook.py) every sheet. Both go through here, so the limits are the same:

- the upload's size is limited (settings.IMPORT_MAX_BYTES) before it is read (`read_upload`);
- the archive's declared uncompressed size and each large member's compression ratio are checked before
  openpyxl parses anything (`check_archive`: a zip bomb is refused in milliseconds, bench/import_bomb.py);
- sheets are parsed row by row and reading stops at the row limit (`limited`); cells right of
  `max_columns` are ignored while empty and refused when they hold a value.

openpyxl's own read-only worksheet is not used: without a <dimension> element in the sheet it parses the
whole sheet to find its size before the first row, and with one that claims 16,384 columns it pads every
row to that width. Its row parser is used directly instead.
"""

import io
import zipfile
from collections.abc import Callable, Iterator
from contextlib import closing

from django.conf import settings
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.worksheet._reader import WorkSheetParser

from consortium.errors import DomainError

UNREADABLE = "The file is not a readable XLSX workbook."


def read_upload(upload) -> bytes:
    """The uploaded file's bytes, after its size is checked against the import limit."""
    if upload is None:
        raise DomainError("Choose a file to upload.", field="file")
    if upload.size > settings.IMPORT_MAX_BYTES:
        raise DomainError(f"The file is {upload.size:,} bytes; an import file may have at most "
                          f"{settings.IMPORT_MAX_BYTES:,}. Split it.", field="file")
    return upload.read()


def check_archive(content: bytes) -> None:
    """Refuse a zip bomb before openpyxl opens it: its members' declared sizes, and their compression ratio.

    zipfile never inflates a member beyond its declared size, so the declared sizes bound what parsing reads.
    """
    try:
        members = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except (zipfile.BadZipFile, OSError):
        raise DomainError(UNREADABLE, field="file") from None
    declared = sum(member.file_size for member in members)
    if declared > settings.IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES:
        raise DomainError(f"The workbook unpacks to {declared:,} bytes; at most "
                          f"{settings.IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES:,} are read. Split it, or save it as CSV.",
                          field="file")
    for member in members:
        # Small members (styles, themes) compress well and harmlessly; a sheet of 10,000 lines about 15:1.
        if member.file_size > 1024 * 1024 and (
                member.file_size > member.compress_size * settings.IMPORT_XLSX_MAX_COMPRESSION_RATIO):
            raise DomainError(f"The workbook's part {member.filename} is compressed more than "
                              f"{settings.IMPORT_XLSX_MAX_COMPRESSION_RATIO}:1, as no spreadsheet is.",
                              field="file")


class Workbook:
    """An opened, checked workbook: its worksheets' titles in order, each sheet's rows read on demand."""

    def __init__(self, content: bytes):
        check_archive(content)
        try:
            self._reader = ExcelReader(io.BytesIO(content), read_only=True, data_only=True)
            self._reader.read_manifest()
            self._reader.read_strings()
            self._reader.read_workbook()
            apply_stylesheet(self._reader.archive, self._reader.wb)  # which number formats are dates
            self.sheets = {sheet.name: rel.target for sheet, rel in self._reader.parser.find_sheets()
                           if rel.target in self._reader.valid_files and "chartsheet" not in rel.Type}
        except DomainError:
            raise
        except Exception:  # openpyxl and zipfile raise many kinds for a damaged or non-XLSX file
            raise DomainError(UNREADABLE, field="file") from None
        if not self.sheets:
            raise DomainError(UNREADABLE, field="file")

    def close(self) -> None:
        self._reader.archive.close()

    def rows(self, title: str, *, max_columns: int, too_wide: Callable[[int], str]) -> Iterator[list]:
        """The sheet's rows, parsed one at a time; a value beyond `max_columns` is refused (`too_wide(row)`)."""
        workbook = self._reader.wb
        try:
            with self._reader.archive.open(self.sheets[title]) as source:
                parser = WorkSheetParser(source, self._reader.shared_strings, data_only=True, epoch=workbook.epoch,
                                         date_formats=workbook._date_formats,
                                         timedelta_formats=workbook._timedelta_formats)
                expected = 1
                for number, cells in parser.parse():
                    while expected < number:  # rows the sheet leaves out are blank lines
                        yield []
                        expected += 1
                    expected = number + 1
                    values = [None] * min(max((cell["column"] for cell in cells), default=0), max_columns)
                    for cell in cells:
                        if cell["column"] <= max_columns:
                            values[cell["column"] - 1] = cell["value"]
                        elif cell["value"] is not None:
                            raise DomainError(too_wide(number), field="file")
                    yield values
        except DomainError:
            raise
        except Exception:  # a damaged sheet further down
            raise DomainError(UNREADABLE, field="file") from None


def first_sheet_rows(content: bytes, *, max_columns: int, too_wide: Callable[[int], str]) -> Iterator[list]:
    """The first worksheet's rows, read as they are needed; the workbook closes when they are (or reading stops)."""
    workbook = Workbook(content)

    def rows():
        try:
            yield from workbook.rows(next(iter(workbook.sheets)), max_columns=max_columns, too_wide=too_wide)
        finally:
            workbook.close()
    return rows()


def limited(rows: Iterator[list], *, max_rows: int, message: str) -> list[list]:
    """The header and at most `max_rows` lines; reading stops at the first line over the limit."""
    table = []
    with closing(rows):  # closes the workbook at once when reading stops early
        for row in rows:
            table.append(row)
            if len(table) > max_rows + 1:
                raise DomainError(message, field="file")
    return table
