"""Statistics operations: import observations (dry run, then atomic import), exports, the release calendar."""

import csv
import io
import math
import re
import zipfile
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from app.core.text import nfc
from app.core.timeutil import utcnow
from app.extensions import db
from app.workflow.operations import record_edit, start_revision

MAX_ROWS = 20000
MAX_BYTES = 5 * 1024 * 1024
COLUMNS = ("indicator", "area", "period", "value", "unit", "note")
REQUIRED = ("indicator", "area", "period", "value")
# Header names accepted for each column (compared lower-case, NFC), English and Vietnamese.
HEADER_ALIASES = {
    "indicator": ("indicator", "chỉ tiêu", "chi tieu", "chi_tieu"),
    "area": ("area", "địa bàn", "dia ban", "dia_ban", "đơn vị hành chính"),
    "period": ("period", "kỳ", "ky", "năm", "nam", "thời kỳ"),
    "value": ("value", "giá trị", "gia tri", "gia_tri", "số liệu"),
    "unit": ("unit", "đơn vị tính", "don vi tinh", "đơn vị", "don_vi"),
    "note": ("note", "ghi chú", "ghi chu", "ghi_chu"),
}
NOTE_ALIASES = {
    "": "",
    "final": "",
    "chính thức": "",
    "provisional": "provisional",
    "sơ bộ": "provisional",
    "so bo": "provisional",
    "estimated": "estimated",
    "ước tính": "estimated",
    "uoc tinh": "estimated",
    "revised": "revised",
    "điều chỉnh": "revised",
}
PERIOD_RE = re.compile(r"^\d{4}(?:-(?:Q[1-4]|H[12]|0[1-9]|1[0-2]|\d{4}))?$")


class ImportRefused(ValueError):
    """The whole file cannot be read (format, encoding, size, header)."""


@dataclass
class ImportReport:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # [(line, reason)]

    @property
    def ok(self):
        return not self.errors and bool(self.rows)


def _table_from_xlsx(data):
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise ImportRefused(_l("The spreadsheet could not be read.")) from exc
    sheet = book.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    book.close()
    return rows


def _table_from_csv(data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(_l("The CSV file must be encoded in UTF-8.")) from exc
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ("\t" if "\t" in first else ",")
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def read_table(filename, data):
    """Return the rows of an uploaded CSV or XLSX file as lists of cells."""
    if not data:
        raise ImportRefused(_l("The file is empty."))
    if len(data) > MAX_BYTES:
        raise ImportRefused(_l("The file is larger than 5 MB."))
    name = (filename or "").lower()
    if data[:4] == b"PK\x03\x04":
        if not name.endswith(".xlsx") or not zipfile.is_zipfile(io.BytesIO(data)):
            raise ImportRefused(_l("Upload a CSV file or an Excel workbook (.xlsx)."))
        return _table_from_xlsx(data)
    if name.endswith(".csv") or name.endswith(".txt"):
        if b"\x00" in data[:1024]:
            raise ImportRefused(_l("The CSV file must be encoded in UTF-8."))
        return _table_from_csv(data)
    raise ImportRefused(_l("Upload a CSV file or an Excel workbook (.xlsx)."))


def _header_map(header):
    mapping = {}
    for index, cell in enumerate(header):
        label = nfc(str(cell or "")).strip().lower()
        for column, aliases in HEADER_ALIASES.items():
            if label in aliases and column not in mapping:
                mapping[column] = index
    missing = [c for c in REQUIRED if c not in mapping]
    if missing:
        raise ImportRefused(_l("The header row lacks the columns: %(columns)s.", columns=", ".join(missing)))
    return mapping


def parse_number(cell):
    """A figure from a cell: numbers as they are; text in Vietnamese (1.234,5) or English (1,234.5) style."""
    if isinstance(cell, bool):
        raise ValueError("boolean")
    if isinstance(cell, int | float):
        value = float(cell)
    else:
        text = nfc(str(cell or "")).strip().replace("\u00a0", "").replace(" ", "")
        if not text:
            raise ValueError("empty")
        if "," in text and "." in text:
            if text.rfind(",") > text.rfind("."):
                text = text.replace(".", "").replace(",", ".")
            else:
                text = text.replace(",", "")
        elif "," in text:
            text = (
                text.replace(",", ".")
                if text.count(",") == 1 and len(text.split(",")[1]) != 3
                else text.replace(",", "")
            )
        elif text.count(".") > 1:
            text = text.replace(".", "")
        if not re.fullmatch(r"-?\d+(?:\.\d+)?", text):
            raise ValueError("not a number")
        value = float(text)
    if math.isnan(value) or math.isinf(value):
        raise ValueError("not finite")
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _cell(row, mapping, column):
    index = mapping.get(column)
    if index is None or index >= len(row) or row[index] is None:
        return ""
    value = row[index]
    if isinstance(value, float) and value.is_integer() and column == "period":
        value = int(value)
    return nfc(str(value)).strip()


def check_import(filename, data, default_unit=""):
    """Dry run: parse every row and report the bad ones with their line number and reason; change nothing."""
    report = ImportReport()
    table = read_table(filename, data)
    while table and all(c is None or str(c).strip() == "" for c in table[0]):
        table.pop(0)
    if not table:
        raise ImportRefused(_l("The file is empty."))
    mapping = _header_map(table[0])
    if len(table) - 1 > MAX_ROWS:
        raise ImportRefused(_l("The file has more than %(max)s rows.", max=MAX_ROWS))
    seen = {}
    for line, row in enumerate(table[1:], start=2):
        if all(c is None or str(c).strip() == "" for c in row):
            continue
        indicator, area, period = (_cell(row, mapping, c) for c in ("indicator", "area", "period"))
        if not indicator:
            report.errors.append((line, _l("The indicator is missing.")))
            continue
        if not area:
            report.errors.append((line, _l("The area is missing.")))
            continue
        if not PERIOD_RE.match(period):
            reason = _l(
                "The period “%(period)s” is not a year, a quarter (2025-Q1), a month (2025-06) "
                "or a school year (2024-2025).",
                period=period,
            )
            report.errors.append((line, reason))
            continue
        raw = row[mapping["value"]] if mapping["value"] < len(row) else None
        try:
            value = parse_number(raw)
        except ValueError:
            report.errors.append((line, _l("The value “%(value)s” is not a number.", value="" if raw is None else raw)))
            continue
        note = _cell(row, mapping, "note").lower()
        if note not in NOTE_ALIASES:
            report.errors.append(
                (line, _l("Unknown note “%(note)s”: use provisional, estimated or revised.", note=note))
            )
            continue
        key = (indicator, area, period)
        if key in seen:
            report.errors.append((line, _l("Same indicator, area and period as line %(line)s.", line=seen[key])))
            continue
        seen[key] = line
        report.rows.append(
            {
                "indicator": indicator,
                "area": area,
                "period": period,
                "value": value,
                "unit": _cell(row, mapping, "unit") or default_unit,
                "note": NOTE_ALIASES[note],
            }
        )
    if not report.rows and not report.errors:
        report.errors.append((0, _l("The file has a header but no data rows.")))
    return report


def apply_import(dataset, rows, actor, replace=False):
    """Put ``rows`` into the dataset (its pending revision when it is live), all at once; the caller commits.

    :return: the row that was changed (the dataset, or its revision copy).
    """
    target = start_revision(dataset, actor)
    merged = {} if replace else {(o["indicator"], o["area"], o["period"]): o for o in target.observations or []}
    for row in rows:
        merged[(row["indicator"], row["area"], row["period"])] = dict(row)
    target.observations = list(merged.values())
    record_edit(target, actor)
    return target


def filter_observations(observations, indicator=None, area=None, period=None):
    """Observations matching each given filter (a filter may list several values separated by ``|``)."""

    def wanted(value):
        return None if not value else {nfc(v).strip() for v in value.split("|")}

    filters = {"indicator": wanted(indicator), "area": wanted(area), "period": wanted(period)}
    return [o for o in observations or [] if all(f is None or o.get(k) in f for k, f in filters.items())]


def sorted_observations(dataset):
    indicators = {v: i for i, v in enumerate(dataset.dimension("indicator"))}
    areas = {v: i for i, v in enumerate(dataset.dimension("area"))}
    return sorted(
        dataset.observations or [],
        key=lambda o: (indicators.get(o["indicator"], 0), areas.get(o["area"], 0), o["period"]),
    )


def format_number(value):
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def export_csv(dataset):
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for o in sorted_observations(dataset):
        writer.writerow(
            [o["indicator"], o["area"], o["period"], format_number(o["value"]), o.get("unit", ""), o.get("note", "")]
        )
    return out.getvalue().encode("utf-8")


def export_xlsx(dataset, attribution=""):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet.append(list(COLUMNS))
    for o in sorted_observations(dataset):
        sheet.append([o["indicator"], o["area"], o["period"], o["value"], o.get("unit", ""), o.get("note", "")])
    about = book.create_sheet("About")
    for label, value in (
        ("title", dataset.title),
        ("source", dataset.source),
        ("period_covered", dataset.period_covered),
        ("units", dataset.units),
        ("methodology", dataset.methodology),
        ("attribution", attribution),
    ):
        about.append([label, value])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# Release calendar -------------------------------------------------------------------------------------


class ReleaseError(ValueError):
    pass


def _history_entry(release, note):
    return {
        "at": utcnow().isoformat(timespec="seconds"),
        "planned_date": release.planned_date.isoformat(),
        "precision": release.precision,
        "status": release.status,
        "note": note or "",
    }


def validate_release(release):
    from app.statistics.models import DATE_PRECISIONS, RELEASE_STATUSES

    if release.status not in RELEASE_STATUSES:
        raise ReleaseError(_l("Unknown status."))
    if release.precision not in DATE_PRECISIONS:
        raise ReleaseError(_l("Unknown date precision."))
    if release.status == "cancelled" and not (release.cancel_reason or "").strip():
        raise ReleaseError(_l("Give the reason for cancelling the release."))
    if release.precision == "month":
        release.planned_date = release.planned_date.replace(day=1)


def announce(tenant, title, planned_date, precision="day", status="provisional", dataset_slug="", note="", topic=""):
    """Add a release to the calendar; the caller commits."""
    from app.statistics.models import Release

    release = Release(
        tenant_id=tenant.id,
        title=nfc(title),
        topic=topic,
        planned_date=planned_date,
        precision=precision,
        status=status,
        dataset_slug=dataset_slug,
        change_note=note,
    )
    validate_release(release)
    release.history = [_history_entry(release, note or "Công bố lịch phát hành")]
    db.session.add(release)
    return release


def change_release(release, note, **changes):
    """Change a release's date, precision or status and keep the change note in its history."""
    for name, value in changes.items():
        if name not in ("planned_date", "precision", "status", "cancel_reason", "title", "dataset_slug"):
            raise ReleaseError(f"unknown field {name}")
        setattr(release, name, value)
    if not (note or "").strip():
        raise ReleaseError(_l("Explain the change in a note."))
    validate_release(release)
    release.change_note = note
    release.history = [*(release.history or []), _history_entry(release, note)]
    return release
