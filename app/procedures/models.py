"""Administrative procedures (R-19): the national procedure database's record, one row per procedure.

Ordered children (steps, submission channels, dossier components) are JSON columns declared in
``content.py``, so a revision copy carries them and approval applies them to the live row.
The procedure code is unique per tenant among live rows only (revision copies repeat it).
"""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, String, Text, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.core.scoping import TenantScoped
from app.core.text import nfc, unaccent
from app.core.timeutil import utcnow
from app.extensions import db
from app.workflow.models import Reviewable, unique_live

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
    __table_args__ = (unique_live("procedure", "code"),)
    content_type = "procedure"

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
        return component_form_ids(self.components)

    def __str__(self):
        return self.display_title()


def component_form_ids(components):
    """Media ids of the form templates that the dossier ``components`` link to, in order."""
    return [c.get("form_id") for c in components or [] if isinstance(c, dict) and c.get("form_id")]


def search_text_of(proc):
    parts = [proc.code, proc.name, proc.field, proc.implementing_agency, proc.competent_agency, proc.procedure_type]
    return unaccent(nfc(" ".join(p or "" for p in parts))).lower()


@event.listens_for(Session, "before_flush")
def _index_text(session, flush_context, instances):
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Procedure):
            obj.search_text = search_text_of(obj)


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
