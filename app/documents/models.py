"""Legal documents and the e-gazette (R-20, R-08 d, m) with the publication deadline rule (R-12).

Relations to other documents are a declared JSON field (``[{"kind", "target_id"}]``, ``content.py``),
so a revision carries them; ``related_ids`` (",12,15,") is derived on flush for the inverse lookup.
"""

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, Text, event
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from app.core.scoping import TenantScoped
from app.core.text import nfc, unaccent
from app.extensions import db
from app.workflow.models import Reviewable, unique_live

DOCUMENT_TYPES = (
    "Luật",
    "Nghị định",
    "Nghị quyết",
    "Quyết định",
    "Chỉ thị",
    "Thông tư",
    "Thông tư liên tịch",
    "Công văn",
    "Kế hoạch",
    "Hướng dẫn",
    "Thông báo",
    "Báo cáo",
)
STATUSES = {
    "not_yet": _l("Not yet in effect"),
    "in_effect": _l("In effect"),
    "partly_expired": _l("Partly expired"),
    "expired": _l("Expired"),
    "suspended": _l("Suspended"),
    "partly_suspended": _l("Partly suspended"),
    "unknown": _l("Unknown"),
}
# A relation as the source states it, and as the target shows it.
RELATIONS = {"amends": _l("Amends"), "replaces": _l("Replaces"), "guides": _l("Guides")}
INVERSE = {"amends": _l("Is amended by"), "replaces": _l("Is replaced by"), "guides": _l("Is guided by")}
# Module settings: working days allowed between issue and publication; a tenant overrides
# it with the key "document_publication" of review_deadlines in tenant.yaml.
SETTINGS = {"publication_days": 2}


class GazetteIssue(TenantScoped, db.Model):
    """An issue of the provincial e-gazette (Công báo): number and date."""

    __tablename__ = "gazette_issue"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40))
    issued_on: Mapped[date] = mapped_column(index=True)
    note: Mapped[str] = mapped_column(String(500), default="")

    def __str__(self):
        return f"Số {self.number} ({self.issued_on.strftime('%d/%m/%Y')})" if self.issued_on else self.number


class LegalDocument(Reviewable, db.Model):
    __tablename__ = "legal_document"
    __table_args__ = (unique_live("legal_document", "number"),)
    content_type = "document"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(100), index=True)
    doc_type: Mapped[str] = mapped_column(String(100), default="Quyết định", index=True)
    issuer: Mapped[str] = mapped_column(String(300), default="", index=True)
    signer: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(String(1000))
    issued_on: Mapped[date | None] = mapped_column(index=True)
    effective_on: Mapped[date | None] = mapped_column(index=True)
    expires_on: Mapped[date | None] = mapped_column()
    status: Mapped[str] = mapped_column(String(30), default="in_effect", index=True)
    field: Mapped[str] = mapped_column(String(200), default="", index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    attachments: Mapped[list] = mapped_column(JSON, default=list)  # media ids (PDF, DOCX), in order
    gazette_issue_id: Mapped[int | None] = mapped_column(ForeignKey("gazette_issue.id", ondelete="SET NULL"))
    relations: Mapped[list] = mapped_column(JSON, default=list)  # [{"kind": "amends", "target_id": 12}]
    related_ids: Mapped[str] = mapped_column(Text, default="")
    search_text: Mapped[str] = mapped_column(Text, default="")

    gazette_issue: Mapped[GazetteIssue | None] = relationship(lazy="joined")

    @property
    def year(self):
        return self.issued_on.year if self.issued_on else None

    def __str__(self):
        return f"{self.number} · {self.title}"


@event.listens_for(Session, "before_flush")
def _derive(session, flush_context, instances):
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, LegalDocument):
            ids = sorted({int(r["target_id"]) for r in obj.relations or [] if r.get("target_id")})
            obj.related_ids = "," + ",".join(str(i) for i in ids) + "," if ids else ""
            parts = (obj.number, obj.title, obj.issuer, obj.signer, obj.field, obj.doc_type)
            obj.search_text = unaccent(nfc(" ".join(p or "" for p in parts))).lower()
