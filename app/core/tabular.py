"""Spreadsheets in and out: the one bounded reader of CSV/XLSX uploads and the one cell guard of every export.

Reading is bounded by bytes, rows, columns and cells whatever the file says about itself. openpyxl pads every
row to a sheet's *declared* dimension (``<dimension ref="A1:XFD1048576"/>``: a 1.5 KB file asks for billions of
cells) and fills gaps up to the row number a ``<row r="...">`` claims; so the workbook is opened read-only, the
declared dimension is dropped, the unpacked size of its parts is checked before parsing (zip bombs), and the
rows are consumed one at a time, stopping at the first limit passed.

Writing: a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a CR is a formula to Excel and LibreOffice
(CSV/formula injection: ``=HYPERLINK(...)``, DDE); :func:`safe_cell` prefixes it with a single quote.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError

EXCEL_MAX_ROWS = 1_048_576  # a row number beyond this is no real sheet's
SCAN_FACTOR = 10  # cells read (empty ones included) may exceed the cell limit this many times before refusal
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+([.,]\d+)*|[.,]\d+)([eE][+-]?\d+)?")


class TableRefused(DomainError):
    """The whole file is refused (format, encoding, size, shape), with the reason for the person uploading it."""


@dataclass(frozen=True)
class Limits:
    """Bounds on one uploaded table. ``rows`` counts every line, the header too."""

    bytes: int = 5 * 1024 * 1024
    rows: int = 20_001
    columns: int = 50
    cells: int = 500_000
    unpacked_bytes: int = 50 * 1024 * 1024  # XLSX: all parts once unzipped
    parts: int = 500  # XLSX: files inside the zip


def _empty(value):
    return value is None or (isinstance(value, str) and not value.strip())


class _Table:
    """Rows collected under ``limits``; refuses as soon as one is passed."""

    def __init__(self, limits):
        self.limits, self.rows, self.cells, self.scanned, self.position = limits, [], 0, 0, 0

    def add(self, row):
        self.position += 1
        self.scanned += len(row)
        if self.scanned > self.limits.cells * SCAN_FACTOR:
            raise TableRefused(_l("The file has more than %(max)s cells.", max=self.limits.cells))
        width = len(row)
        while width and _empty(row[width - 1]):
            width -= 1
        if not width:
            if self.position <= self.limits.rows:
                self.rows.append([])
            return
        if self.position > self.limits.rows:
            raise TableRefused(_l("The file has more than %(max)s rows.", max=self.limits.rows - 1))
        if width > self.limits.columns:
            raise TableRefused(_l("The file has more than %(max)s columns.", max=self.limits.columns))
        self.cells += width
        if self.cells > self.limits.cells:
            raise TableRefused(_l("The file has more than %(max)s cells.", max=self.limits.cells))
        self.rows.append(list(row[:width]))

    def result(self):
        while self.rows and not self.rows[-1]:
            self.rows.pop()
        return self.rows


def _read_xlsx(data, limits):
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise TableRefused(_l("The spreadsheet could not be read.")) from exc
    # Declared sizes can be trusted as a bound: zipfile never unpacks more than a part declares.
    if len(parts) > limits.parts or sum(p.file_size for p in parts) > limits.unpacked_bytes:
        raise TableRefused(_l("The spreadsheet is too large once unpacked."))
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for damaged files
        raise TableRefused(_l("The spreadsheet could not be read.")) from exc
    table = _Table(limits)
    try:
        if not book.worksheets:
            return []
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # ignore the declared size: each row is as long as its own cells
        for row in sheet.iter_rows(values_only=True):
            if table.position >= EXCEL_MAX_ROWS:
                raise TableRefused(_l("The file has more than %(max)s rows.", max=limits.rows - 1))
            table.add(row)
    except TableRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged sheet fails while it is read
        raise TableRefused(_l("The spreadsheet could not be read.")) from exc
    finally:
        book.close()
    return table.result()


def _read_csv(data, limits, delimiter=None):
    if b"\x00" in data[:1024]:
        raise TableRefused(_l("The CSV file must be encoded in UTF-8."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableRefused(_l("The CSV file must be encoded in UTF-8.")) from exc
    if delimiter is None:  # Excel in a Vietnamese locale writes ";", other tools "," or tabs
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ("\t" if "\t" in first else ",")
    table = _Table(limits)
    try:
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            table.add(row)
    except csv.Error as exc:  # a cell over csv's field limit, a NUL byte further on...
        raise TableRefused(_l("The CSV file could not be read.")) from exc
    return table.result()


def read_table(filename, data, limits=Limits(), delimiter=None):
    """Return the rows of an uploaded CSV or XLSX file (first sheet) as lists of cells, header first.

    Trailing empty cells and rows are dropped; empty rows inside the table stay as ``[]`` (line numbers hold).

    :param filename: the name the browser sent; ``.xlsx``, ``.csv`` or ``.txt``.
    :param data: the file's bytes.
    :param delimiter: for CSV; default: guessed from the first line (``;``, tab or ``,``).
    :raise TableRefused: the file is empty, of another kind, unreadable or over a limit.
    """
    if not data:
        raise TableRefused(_l("The file is empty."))
    if len(data) > limits.bytes:
        raise TableRefused(_l("The file is larger than %(size)s.", size=_size(limits.bytes)))
    name = (filename or "").lower()
    if data[:4] == b"PK\x03\x04" or name.endswith(".xlsx"):
        if not name.endswith(".xlsx"):
            raise TableRefused(_l("Upload a CSV file or an Excel workbook (.xlsx)."))
        return _read_xlsx(data, limits)
    if name.endswith((".csv", ".txt")):
        return _read_csv(data, limits, delimiter)
    raise TableRefused(_l("Upload a CSV file or an Excel workbook (.xlsx)."))


def read_upload(storage, limits=Limits()):
    """The bytes of an uploaded file, reading at most one byte more than ``limits.bytes``."""
    return storage.read(limits.bytes + 1)


def _size(count):
    return f"{count / (1024 * 1024):g} MB" if count >= 1024 * 1024 else f"{count / 1024:g} KB"


# Writing ----------------------------------------------------------------------------------------------------


def safe_cell(value):
    """``value`` as a spreadsheet will show it and never run: text that starts like a formula gets a leading ``'``.

    Numbers stay numbers, and so does text that is a plain number (``-5``, ``+3,5``): neither is a formula.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_row(values):
    """Every cell of a row through :func:`safe_cell`; ``None`` becomes an empty cell."""
    return ["" if v is None else safe_cell(v) for v in values]


def write_csv(out, rows, **options):
    """Write ``rows`` to the text stream ``out`` as CSV, every cell guarded."""
    writer = csv.writer(out, **options)
    for row in rows:
        writer.writerow(safe_row(row))
    return out


def csv_bytes(rows, bom=True, lineterminator="\r\n"):
    """``rows`` as UTF-8 CSV (with a BOM: Excel then opens Vietnamese text correctly), every cell guarded."""
    out = io.StringIO()
    if bom:
        out.write("\ufeff")
    write_csv(out, rows, lineterminator=lineterminator)
    return out.getvalue().encode("utf-8")


def _xlsx_cell(value):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):  # openpyxl refuses control characters (a bell pasted in a comment) with an error
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return safe_cell(value)


def append_rows(sheet, rows):
    """Append ``rows`` to an openpyxl sheet, every cell guarded (a text starting with ``=`` is no formula)."""
    for row in rows:
        sheet.append([None if v is None else _xlsx_cell(v) for v in row])
    return sheet
