"""Statistics operations: checking a dataset, importing observations (dry run, then atomic import), exports,
the release calendar."""

import csv
import io
import math
import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from app.core import tabular
from app.core.errors import DomainError
from app.core.scoping import scoped
from app.core.text import nfc
from app.core.timeutil import utcnow
from app.extensions import db
from app.statistics.models import DATE_PRECISIONS, RELEASE_STATUSES, Dataset, Release
from app.workflow.operations import record_edit, start_revision

# The tenant that owns most datasets; /statistics/<slug> falls back to its datasets on every host.
STATISTICS_OFFICE = "ctk"
MAX_ROWS = 20000
MAX_BYTES = 5 * 1024 * 1024
IMPORT_LIMITS = tabular.Limits(bytes=MAX_BYTES, rows=MAX_ROWS + 1, columns=50, cells=300_000)
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


def check(dataset):
    """Raise :class:`DomainError` (422, with ``fields``) when ``dataset`` cannot be saved as it is.

    The declared fields (``content.py``) are cleaned and checked on every write path; this adds the
    address, unique on the site. A revision copy has none: it keeps the live dataset's.
    """
    if dataset.revision_of_id is None and dataset.slug:
        stmt = scoped(Dataset, dataset.tenant_id, Dataset.id).where(Dataset.slug == dataset.slug)
        if dataset.id:
            stmt = stmt.where(Dataset.id != dataset.id)
        if db.session.execute(stmt).first() is not None:
            raise DomainError(_l("Another dataset of this site already uses this address."), field="slug")


class ImportRefused(DomainError):
    """The whole file cannot be read (format, encoding, size, header)."""


@dataclass
class ImportReport:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # [(line, reason)]

    @property
    def ok(self):
        return not self.errors and bool(self.rows)


def read_table(filename, data):
    """Return the rows of an uploaded CSV or XLSX file as lists of cells (bounded: app/core/tabular.py)."""
    try:
        return tabular.read_table(filename, data, IMPORT_LIMITS)
    except tabular.TableRefused as exc:
        raise ImportRefused(exc.message) from exc


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
        row = [o["indicator"], o["area"], o["period"], format_number(o["value"]), o.get("unit", ""), o.get("note", "")]
        writer.writerow(tabular.safe_row(row))
    return out.getvalue().encode("utf-8")


def export_xlsx(dataset, attribution=""):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet.append(list(COLUMNS))
    rows = ([o["indicator"], o["area"], o["period"], o["value"], o.get("unit", ""), o.get("note", "")]
            for o in sorted_observations(dataset))  # fmt: skip
    tabular.append_rows(sheet, rows)
    about = book.create_sheet("About")
    for label, value in (
        ("title", dataset.title),
        ("source", dataset.source),
        ("period_covered", dataset.period_covered),
        ("units", dataset.units),
        ("methodology", dataset.methodology),
        ("attribution", attribution),
    ):
        tabular.append_rows(about, [[label, value]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# Release calendar -------------------------------------------------------------------------------------


class ReleaseError(DomainError):
    """A release calendar entry or change refused, with the reason."""


def _history_entry(release, note):
    return {
        "at": utcnow().isoformat(timespec="seconds"),
        "planned_date": release.planned_date.isoformat(),
        "precision": release.precision,
        "status": release.status,
        "note": note or "",
    }


def validate_release(release):
    if release.status not in RELEASE_STATUSES:
        raise ReleaseError(_l("Unknown status."))
    if release.precision not in DATE_PRECISIONS:
        raise ReleaseError(_l("Unknown date precision."))
    if release.status == "cancelled" and not (release.cancel_reason or "").strip():
        raise ReleaseError(_l("Give the reason for cancelling the release."))
    if release.precision == "month":
        release.planned_date = release.planned_date.replace(day=1)


def announce(tenant, title, planned_date, precision="day", status="provisional", dataset_slug="", note="", topic=""):
    """Add a release to the calendar; the caller commits (the text is cleaned on flush, ``content.py``)."""
    release = Release(
        tenant_id=tenant.id,
        title=title,
        topic=topic,
        planned_date=planned_date,
        precision=precision,
        status=status,
        dataset_slug=dataset_slug,
        change_note=note,
    )
    note_change(release, note or "Công bố lịch phát hành")
    db.session.add(release)
    return release


def note_change(release, note):
    """Check ``release`` as it now stands and keep its date, precision and status with ``note`` in its history."""
    validate_release(release)
    release.history = [*(release.history or []), _history_entry(release, note)]


def change_release(release, note, **changes):
    """Change a release's date, precision or status and keep the change note in its history."""
    for name, value in changes.items():
        if name not in ("planned_date", "precision", "status", "cancel_reason", "title", "dataset_slug"):
            raise ReleaseError(f"unknown field {name}")
        setattr(release, name, value)
    if not (note or "").strip():
        raise ReleaseError(_l("Explain the change in a note."))
    release.change_note = note
    note_change(release, note)
    return release
