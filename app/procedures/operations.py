"""Procedure operations (R-19): validation, the CSV/XLSX bulk import (dry run, then one transaction)
and bulk review actions. Functions take the acting user; the caller commits."""

import io
import logging
import re
from datetime import date, datetime
from types import SimpleNamespace

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.core import audit, tabular
from app.core.errors import DomainError
from app.core.fields import field_errors
from app.core.models import Tenant
from app.core.text import nfc, unaccent
from app.extensions import db
from app.procedures.models import (
    FIELD_BY_KEY,
    LEVEL_ALIASES,
    LEVELS,
    ONLINE_LEVEL_ALIASES,
    ONLINE_LEVELS,
    PROCEDURE_TYPES,
    ImportBatch,
    Procedure,
    field_key,
)
from app.workflow.models import ReviewState, value_taken
from app.workflow.operations import WorkflowError, record_edit, transition

log = logging.getLogger(__name__)

# The import's columns, in the template's order; REQUIRED ones must be present and filled.
COLUMNS = (
    "code",
    "name",
    "level",
    "procedure_type",
    "field",
    "implementing_agency",
    "competent_agency",
    "steps",
    "in_person_days",
    "in_person_fee",
    "post_days",
    "post_fee",
    "online_days",
    "online_fee",
    "dossier",
    "applicants",
    "requirements",
    "legal_basis",
    "result",
    "online_level",
    "online_url",
    "announced_on",
    "decision_number",
)
REQUIRED = ("code", "name", "level", "field", "implementing_agency")
MAX_ROWS = 5000
# A full file is 5,001 lines of 23 columns (115,023 cells); a few extra columns are tolerated, not read.
IMPORT_LIMITS = tabular.Limits(bytes=5 * 1024 * 1024, rows=MAX_ROWS + 1, columns=len(COLUMNS) + 10, cells=120_000)

EXAMPLE_ROW = {
    "code": "1.005441",
    "name": "Cấp giấy chứng nhận đăng ký mã số đơn vị có quan hệ với ngân sách",
    "level": "province",
    "procedure_type": PROCEDURE_TYPES[0],
    "field": "Tài chính ngân sách",
    "implementing_agency": "stc",
    "competent_agency": "Sở Tài chính",
    "steps": "Bước 1: Nộp hồ sơ | Bước 2: Tiếp nhận, kiểm tra | Bước 3: Trả kết quả",
    "in_person_days": "2",
    "in_person_fee": "0",
    "post_days": "2",
    "post_fee": "0",
    "online_days": "1",
    "online_fee": "0",
    "dossier": "Tờ khai đăng ký mã số (1); Bản sao quyết định thành lập (1)",
    "applicants": "Đơn vị dự toán, đơn vị sử dụng ngân sách",
    "requirements": "Không",
    "legal_basis": "Thông tư số 185/2015/TT-BTC ngày 17/11/2015 của Bộ Tài chính",
    "result": "Giấy chứng nhận đăng ký mã số đơn vị có quan hệ với ngân sách",
    "online_level": "full",
    "online_url": "https://dichvucong.binhphuoc.gov.vn",
    "announced_on": "15/01/2026",
    "decision_number": "45/QĐ-UBND",
}


class ProcedureError(DomainError):
    """A procedure, or an import of procedures, refused; ``fields`` has the messages per field."""


def agencies():
    """Known implementing agencies: every tenant, by code or Vietnamese name -> its Vietnamese name."""
    known = {}
    for tenant in db.session.execute(select(Tenant)).scalars():
        known[_key(tenant.code)] = tenant.name_vi
        known[_key(tenant.name_vi)] = tenant.name_vi
    return known


def _key(value):
    return unaccent(nfc(str(value or ""))).lower().strip()


def code_taken(tenant_id, code, exclude_id=None):
    return value_taken(Procedure, "code", tenant_id, code, exclude_id)


def check(proc):
    """Raise :class:`ProcedureError` (422, with ``fields``) when ``proc`` cannot be saved as it is.

    The declared fields (``content.py``) are cleaned and checked on every write path; this adds the rules
    of the catalogue: a code unique on the site, a known level and online service level.
    """
    errors = {}
    if not (proc.code or "").strip():
        errors["code"] = _l("A code is required.")
    elif proc.revision_of_id is None and code_taken(proc.tenant_id, proc.code, proc.id):
        errors["code"] = _l("This code is already used on this site.")
    if not (proc.name or "").strip():
        errors["name"] = _l("A name is required.")
    if proc.level not in LEVELS:
        errors["level"] = _l("Unknown level.")
    if proc.online_level not in ONLINE_LEVELS:
        errors["online_level"] = _l("Unknown online service level.")
    if errors:
        raise ProcedureError(_l("Some fields are not valid."), fields={k: str(v) for k, v in errors.items()})


# --- Import -------------------------------------------------------------------------------------


def read_table(filename, data):
    """Return the rows of an uploaded CSV or XLSX file as lists of cells (header first), bounded by
    :data:`IMPORT_LIMITS` whatever the file declares (app/core/tabular.py).

    :raise ValueError: (:class:`~app.core.tabular.TableRefused`) when the file is neither, or over a limit.
    """
    return tabular.read_table(filename, data, IMPORT_LIMITS)


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()  # text is normalised when it is stored (the declaration), keys when compared


def _number(value, integer=False):
    """A number from a cell: 5, "5", "2,5", "50.000" (thousands). :raise ValueError:"""
    if value in ("", None):
        return None
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).replace(" ", "")
        if re.fullmatch(r"\d{1,3}([.,]\d{3})+", text):
            text = re.sub(r"[.,]", "", text)
        number = float(text.replace(",", "."))
    if number < 0:
        raise ValueError("negative")
    if integer and not number.is_integer():
        raise ValueError("not whole")
    return int(number) if number.is_integer() else number


def _date(value):
    if value in ("", None):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError("bad date")


def _split(text, separators=r"\n|\|"):
    return [nfc(part.strip()) for part in re.split(separators, text or "") if part.strip()]


def _components(text):
    rows = []
    for part in _split(text, r"\n|;"):
        match = re.fullmatch(r"(.*?)\s*\((\d+)\)", part)
        name, quantity = (match.group(1), int(match.group(2))) if match else (part, 1)
        rows.append({"name": name, "quantity": quantity, "form_id": None})
    return rows


def parse_rows(table, tenant):
    """Check every row of an import; return ``(records, errors)``.

    ``records`` are dicts ready for :func:`import_records`; ``errors`` are ``(line, message)`` with
    the line number as a spreadsheet shows it (the header is line 1). A missing column is one error
    on line 1 and nothing else is checked.
    """
    if not table or not any(_cell(c) for c in table[0]):
        return [], [(1, str(_l("The file is empty: the first line must hold the column names.")))]
    header = [str(_cell(c)).lower() for c in table[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        return [], [(1, str(_l("Missing column(s): %(names)s.", names=", ".join(missing))))]
    index = {name: header.index(name) for name in COLUMNS if name in header}
    known_agencies = agencies()
    seen = {}
    records, errors = [], []
    body = table[1 : MAX_ROWS + 2]
    if len(table) - 1 > MAX_ROWS:
        errors.append((MAX_ROWS + 2, str(_l("At most %(n)s rows per file.", n=MAX_ROWS))))
    for offset, row in enumerate(body):
        line = offset + 2
        cells = {name: _cell(row[i]) if i < len(row) else "" for name, i in index.items()}
        if not any(cells.values()):
            continue  # blank line
        problems = []
        for name in REQUIRED:
            if cells.get(name) in ("", None):
                problems.append(str(_l("%(column)s is empty", column=name)))
        code = nfc(str(cells.get("code") or ""))
        if code:
            if code in seen:
                problems.append(str(_l("duplicate code %(code)s (also on line %(line)s)", code=code, line=seen[code])))
            elif code_taken(tenant.id, code):
                problems.append(str(_l("code %(code)s already exists on this site", code=code)))
            seen.setdefault(code, line)
        level = _key(cells.get("level"))
        level = level if level in LEVELS else LEVEL_ALIASES.get(level)
        if cells.get("level") and level is None:
            problems.append(str(_l("unknown level %(value)s", value=cells["level"])))
        field = FIELD_BY_KEY.get(field_key(cells.get("field")))
        if cells.get("field") and field is None:
            problems.append(str(_l("unknown field %(value)s", value=cells["field"])))
        agency = known_agencies.get(_key(cells.get("implementing_agency")))
        if cells.get("implementing_agency") and agency is None:
            problems.append(str(_l("unknown agency %(value)s", value=cells["implementing_agency"])))
        online = _key(cells.get("online_level")) or "none"
        online = online if online in ONLINE_LEVELS else ONLINE_LEVEL_ALIASES.get(online)
        if online is None:
            problems.append(str(_l("unknown online service level %(value)s", value=cells["online_level"])))
        channels = []
        for channel in ("in_person", "post", "online"):
            days_raw, fee_raw = cells.get(f"{channel}_days", ""), cells.get(f"{channel}_fee", "")
            try:
                days = _number(days_raw)
            except ValueError:
                problems.append(
                    str(_l("%(column)s is not a number: %(value)s", column=f"{channel}_days", value=days_raw))
                )
                continue
            try:
                fee = _number(fee_raw, integer=True)
            except ValueError:
                problems.append(
                    str(_l("%(column)s is not a number: %(value)s", column=f"{channel}_fee", value=fee_raw))
                )
                continue
            if days is not None or fee is not None:
                time_text = f"{days} ngày làm việc" if days is not None else ""
                channels.append(
                    {
                        "channel": channel,
                        "processing_days": days,
                        "processing_time": time_text,
                        "fee": fee,
                        "fee_note": "",
                    }
                )
        try:
            announced = _date(cells.get("announced_on", ""))
        except ValueError:
            announced = None
            problems.append(str(_l("announced_on is not a date (dd/mm/yyyy): %(value)s", value=cells["announced_on"])))
        record = {
            "line": line,
            "code": code,
            "name": str(cells["name"]),
            "level": level,
            "procedure_type": str(cells.get("procedure_type") or PROCEDURE_TYPES[0]),
            "field": field,
            "implementing_agency": agency,
            "competent_agency": str(cells.get("competent_agency") or agency),
            "steps": _split(str(cells.get("steps", ""))),
            "channels": channels,
            "components": _components(str(cells.get("dossier", ""))),
            "applicants": str(cells.get("applicants", "")),
            "requirements": str(cells.get("requirements", "")),
            "legal_basis": "\n".join(_split(str(cells.get("legal_basis", "")))),
            "result": str(cells.get("result", "")),
            "online_level": online,
            "online_url": str(cells.get("online_url", "")),
            "announced_on": announced.isoformat() if announced else None,
            "decision_number": str(cells.get("decision_number", "")),
        }
        problems += declared_problems(record)
        if problems:
            errors.append((line, "; ".join(problems)))
            continue
        records.append(record)
    return records, errors


def declared_problems(record):
    """What the declaration refuses in an imported ``record``, one ``"column: message"`` each.

    The same rules as the back office and the API: a web address must be http, https or mailto (a
    ``javascript:`` link is refused, never stored), and text must fit its column.
    """
    declared = Procedure.declaration.fields  # app/procedures/content.py
    row = SimpleNamespace(**{f.name: record.get(f.name) for f in declared})
    # Empty required cells are already reported by the import's own check, in its words.
    errors = field_errors(row, [f for f in declared if record.get(f.name) not in ("", None)])
    return [f"{name}: {message}" for name, message in errors.items()]


def dry_run(filename, data, tenant, user):
    """Check an uploaded file and keep the result as a "checked" batch; return the batch."""
    try:
        table = read_table(filename, data)
        records, errors = parse_rows(table, tenant)
    except ValueError as exc:
        records, errors = [], [(1, str(exc))]
    batch = ImportBatch(
        tenant_id=tenant.id,
        filename=(filename or "")[:255],
        created_by_id=user.id,
        status="checked",
        total=len(records) + len(errors),
        records=records,
        errors=[list(e) for e in errors],
    )
    db.session.add(batch)
    return batch


def run_import(batch, tenant, user):
    """Import a checked batch without errors in the caller's transaction. :raise ProcedureError:"""
    if batch.status != "checked" or batch.errors or not batch.records:
        raise ProcedureError(field="file", message=_l("This file cannot be imported: check it again."))
    import_records(batch.records, tenant, user, batch)
    batch.status = "imported"
    batch.records = []
    return batch


def import_records(records, tenant, user, batch):
    """Create every record as a draft of ``tenant`` in the caller's transaction; note them on ``batch``.

    Codes are checked again (another import may have run since the dry run): any clash raises
    :class:`ProcedureError` and the caller rolls back, so nothing is half-imported.
    """
    ids = []
    for record in records:
        if code_taken(tenant.id, record["code"]):
            raise ProcedureError(
                field="code", message=_l("code %(code)s already exists on this site", code=record["code"])
            )
        data = {k: v for k, v in record.items() if k != "line"}
        data["announced_on"] = date.fromisoformat(data["announced_on"]) if data["announced_on"] else None
        proc = Procedure(tenant_id=tenant.id, state=ReviewState.DRAFT, **data)
        record_edit(proc, user)
        db.session.add(proc)
        db.session.flush()
        ids.append(proc.id)
    batch.procedure_ids = ids
    audit.record(
        "procedure.import", f"procedure_import:{batch.filename}", f"{len(ids)} procedures", user=user, tenant=tenant
    )
    log.info("%s imported %d procedures into %s", user.email, len(ids), tenant.code)
    return batch


def bulk_transition(procedures, action, user, comment=""):
    """Apply ``action`` to each procedure; return ``(done, refused)`` with refusals as (procedure, message).

    Each refusal leaves that item unchanged; the others go ahead (a review decision is per item).
    """
    done, refused = 0, []
    for proc in procedures:
        try:
            # The operations check before they change anything, so a refusal leaves the item as it was.
            transition(proc, action, user, comment)
            done += 1
        except WorkflowError as exc:
            refused.append((proc, str(exc.message)))
    return done, refused


def template_rows():
    return [list(COLUMNS), [EXAMPLE_ROW[c] for c in COLUMNS]]


def template_csv():
    return tabular.csv_bytes(template_rows()).decode("utf-8")


def template_xlsx():
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "procedures"
    tabular.append_rows(sheet, template_rows())
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
