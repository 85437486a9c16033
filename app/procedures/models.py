"""Administrative procedures (R-19): the national procedure database's record, one row per procedure.

Ordered children (steps, submission channels, dossier components) are JSON columns listed in
``revision_fields``, so a revision copy carries them and approval applies them to the live row.
The procedure code is unique per tenant among live rows only (revision copies repeat it).
"""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Index, String, Text, event, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.core.scoping import TenantScoped
from app.core.text import nfc, unaccent
from app.core.timeutil import utcnow
from app.extensions import db
from app.workflow.models import Reviewable
from app.workflow.registry import ContentType, register

LEVELS = {"province": _l("Province"), "district": _l("District"), "commune": _l("Commune")}
# Vietnamese spellings accepted by the import, unaccented and lower-case.
LEVEL_ALIASES = {
    "cap tinh": "province",
    "tinh": "province",
    "cap huyen": "district",
    "huyen": "district",
    "cap xa": "commune",
    "xa": "commune",
}
CHANNELS = {"in_person": _l("In person"), "post": _l("By post"), "online": _l("Online")}
ONLINE_LEVELS = {
    "full": _l("Full online public service"),
    "partial": _l("Partial online public service"),
    "none": _l("Information only"),
}
# Former national levels (2, 3, 4) map onto today's full / partial / information-only scale.
ONLINE_LEVEL_ALIASES = {
    "4": "full",
    "muc do 4": "full",
    "toan trinh": "full",
    "3": "partial",
    "muc do 3": "partial",
    "mot phan": "partial",
    "2": "none",
    "muc do 2": "none",
    "1": "none",
    "khong": "none",
}
PROCEDURE_TYPES = ("Thủ tục hành chính", "Thủ tục hành chính nội bộ", "Thủ tục liên thông")
# Fields (lĩnh vực) of the national procedure database used by the province; the import refuses others.
FIELDS = (
    "Tài chính ngân sách",
    "Quản lý công sản",
    "Tin học - Thống kê",
    "Hộ tịch",
    "Chứng thực",
    "Lý lịch tư pháp",
    "Luật sư",
    "Công chứng",
    "Bồi thường nhà nước",
    "Trợ giúp pháp lý",
    "Đầu tư tại Việt Nam",
    "Thành lập và hoạt động của doanh nghiệp",
    "Đấu thầu",
    "Trồng trọt",
    "Chăn nuôi",
    "Thú y",
    "Lâm nghiệp",
    "Thủy lợi",
    "Đất đai",
    "Môi trường",
    "Tài nguyên nước",
    "Xây dựng",
    "Quy hoạch xây dựng",
    "Giao thông vận tải",
    "Y tế",
    "Giáo dục và Đào tạo",
    "Lao động - Thương binh và Xã hội",
    "Văn hóa",
    "Du lịch",
    "Thể thao",
    "Công thương",
    "Khoa học và Công nghệ",
    "Thông tin và Truyền thông",
    "Nội vụ",
    "Thi đua - Khen thưởng",
    "Tôn giáo",
    "Thanh tra",
    "Giải quyết khiếu nại",
    "Tiếp công dân",
    "Kinh doanh bất động sản",
)


def field_key(value):
    return unaccent(nfc(value or "")).lower().strip()


FIELD_BY_KEY = {field_key(f): f for f in FIELDS}


class Procedure(Reviewable, db.Model):
    __tablename__ = "procedure"
    __table_args__ = (
        Index(
            "uq_procedure_tenant_code",
            "tenant_id",
            "code",
            unique=True,
            sqlite_where=text("revision_of_id IS NULL"),
            postgresql_where=text("revision_of_id IS NULL"),
        ),
    )
    content_type = "procedure"
    revision_fields = (
        "code",
        "name",
        "level",
        "procedure_type",
        "field",
        "implementing_agency",
        "competent_agency",
        "steps",
        "channels",
        "components",
        "applicants",
        "requirements",
        "legal_basis",
        "result",
        "online_level",
        "online_url",
        "announced_on",
        "decision_number",
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(500))
    level: Mapped[str] = mapped_column(String(20), default="province", index=True)
    procedure_type: Mapped[str] = mapped_column(String(100), default=PROCEDURE_TYPES[0])
    field: Mapped[str] = mapped_column(String(200), default="", index=True)
    implementing_agency: Mapped[str] = mapped_column(String(300), default="", index=True)
    competent_agency: Mapped[str] = mapped_column(String(300), default="")
    # ["Bước 1: ...", "Bước 2: ..."] in order.
    steps: Mapped[list] = mapped_column(JSON, default=list)
    # [{"channel": "in_person"|"post"|"online", "processing_days": float|None, "processing_time": str,
    #   "fee": int|None, "fee_note": str}]
    channels: Mapped[list] = mapped_column(JSON, default=list)
    # [{"name": str, "quantity": int, "form_id": media id|None}] in order.
    components: Mapped[list] = mapped_column(JSON, default=list)
    applicants: Mapped[str] = mapped_column(Text, default="")
    requirements: Mapped[str] = mapped_column(Text, default="")
    # One legal document per line; lines starting with a known document number link to it.
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[str] = mapped_column(Text, default="")
    online_level: Mapped[str] = mapped_column(String(20), default="none", index=True)
    online_url: Mapped[str] = mapped_column(String(500), default="")
    announced_on: Mapped[date | None] = mapped_column()
    decision_number: Mapped[str] = mapped_column(String(100), default="")
    # Unaccented lower-case copy of the searchable text (diacritic-insensitive keyword search).
    search_text: Mapped[str] = mapped_column(Text, default="")

    @property
    def title(self):
        return self.name

    def display_title(self):
        return f"{self.code} · {self.name}"

    def form_ids(self):
        return [c.get("form_id") for c in self.components or [] if c.get("form_id")]

    # Text forms of the JSON children, for the back-office edit form (one item per line).
    @property
    def steps_text(self):
        return "\n".join(self.steps or [])

    @steps_text.setter
    def steps_text(self, value):
        self.steps = [nfc(line.strip()) for line in (value or "").splitlines() if line.strip()]

    @property
    def channels_text(self):
        return "\n".join(
            " | ".join(
                [
                    c.get("channel", ""),
                    _num(c.get("processing_days")),
                    c.get("processing_time", ""),
                    _num(c.get("fee")),
                    c.get("fee_note", ""),
                ]
            )
            for c in self.channels or []
        )

    @channels_text.setter
    def channels_text(self, value):
        rows = []
        for line in (value or "").splitlines():
            parts = [p.strip() for p in line.split("|")] + [""] * 5
            if parts[0] not in CHANNELS:
                continue
            rows.append(
                {
                    "channel": parts[0],
                    "processing_days": _to_number(parts[1]),
                    "processing_time": nfc(parts[2]),
                    "fee": _to_number(parts[3]),
                    "fee_note": nfc(parts[4]),
                }
            )
        self.channels = rows

    @property
    def components_text(self):
        return "\n".join(
            f"{c.get('name', '')} | {c.get('quantity', 1)} | {c.get('form_id') or ''}" for c in self.components or []
        )

    @components_text.setter
    def components_text(self, value):
        rows = []
        for line in (value or "").splitlines():
            parts = [p.strip() for p in line.split("|")] + ["", ""]
            if not parts[0]:
                continue
            quantity = _to_number(parts[1])
            form = _to_number(parts[2])
            rows.append({"name": nfc(parts[0]), "quantity": int(quantity or 1), "form_id": int(form) if form else None})
        self.components = rows

    def __str__(self):
        return self.display_title()


def _num(value):
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def _to_number(value):
    try:
        number = float(str(value).replace(",", ".")) if str(value).strip() else None
    except ValueError:
        return None
    return int(number) if number is not None and number.is_integer() else number


def search_text_of(proc):
    parts = [proc.code, proc.name, proc.field, proc.implementing_agency, proc.competent_agency, proc.procedure_type]
    return unaccent(nfc(" ".join(p or "" for p in parts))).lower()


@event.listens_for(Session, "before_flush")
def _index_text(session, flush_context, instances):
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Procedure):
            obj.search_text = search_text_of(obj)


def _public_url(proc):
    from app.core.models import Tenant
    from app.core.tenancy import tenant_url

    return tenant_url(db.session.get(Tenant, proc.tenant_id), "procedures.detail", code=proc.code)


def _edit_url(proc):
    from flask import url_for

    return url_for("procedures_admin.edit_view", id=proc.id)


def _dump(proc):
    from app.procedures.schemas import ProcedureSchema

    return ProcedureSchema().dump(proc)


def _search_document(proc):
    """``(title, summary, text, language)`` for the site-wide search index (R-24)."""
    title = f"{proc.code} · {proc.name}"
    summary = " · ".join(x for x in (proc.field, proc.implementing_agency) if x)
    text = " ".join([title, summary, proc.competent_agency or "", proc.applicants or "", proc.result or ""])
    return title, summary, text, "vi"


register(
    ContentType(
        name="procedure",
        collection="procedures",
        model=Procedure,
        label=_l("Administrative procedure"),
        public_url=_public_url,
        edit_url=_edit_url,
        dump=_dump,
        deadline_days=2,
        extra={"search": _search_document},
    )
)


class ImportBatch(TenantScoped, db.Model):
    """One bulk import (R-19): the dry run's result, then the procedures it created (reviewed together)."""

    __tablename__ = "procedure_import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    filename: Mapped[str] = mapped_column(String(255), default="")
    created_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # "checked" after the dry run, "imported" once the procedures exist.
    status: Mapped[str] = mapped_column(String(20), default="checked")
    total: Mapped[int] = mapped_column(default=0)
    # The dry run's valid rows and its refusals [(line, message)], kept until the import.
    records: Mapped[list] = mapped_column(JSON, default=list)
    errors: Mapped[list] = mapped_column(JSON, default=list)
    procedure_ids: Mapped[list] = mapped_column(JSON, default=list)
