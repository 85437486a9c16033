"""Legal documents and the e-gazette (R-20, R-08 d, m) with the publication deadline rule (R-12).

Relations to other documents are a JSON column in ``revision_fields`` (``[{"kind", "target_id"}]``),
so a revision carries them; ``related_ids`` (",12,15,") is derived on flush for the inverse lookup.
"""

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text, event, text
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from app.core.scoping import TenantScoped
from app.core.text import nfc, unaccent
from app.extensions import db
from app.workflow.models import Reviewable
from app.workflow.registry import ContentType, register

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
    __table_args__ = (
        Index(
            "uq_legal_document_tenant_number",
            "tenant_id",
            "number",
            unique=True,
            sqlite_where=text("revision_of_id IS NULL"),
            postgresql_where=text("revision_of_id IS NULL"),
        ),
    )
    content_type = "document"
    revision_fields = (
        "number",
        "doc_type",
        "issuer",
        "signer",
        "title",
        "issued_on",
        "effective_on",
        "expires_on",
        "status",
        "field",
        "summary",
        "body",
        "files",
        "gazette_issue_id",
        "relations",
    )

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
    files: Mapped[list] = mapped_column(JSON, default=list)  # media ids (PDF, DOCX), in order
    gazette_issue_id: Mapped[int | None] = mapped_column(ForeignKey("gazette_issue.id", ondelete="SET NULL"))
    relations: Mapped[list] = mapped_column(JSON, default=list)  # [{"kind": "amends", "target_id": 12}]
    related_ids: Mapped[str] = mapped_column(Text, default="")
    search_text: Mapped[str] = mapped_column(Text, default="")

    gazette_issue: Mapped[GazetteIssue | None] = relationship(lazy="joined")

    @property
    def year(self):
        return self.issued_on.year if self.issued_on else None

    # Text form of the relations for the back-office form: "amends | 15/2026/QĐ-UBND" per line.
    @property
    def relations_text(self):
        from app.documents.operations import numbers_by_id

        numbers = numbers_by_id([r.get("target_id") for r in self.relations or []])
        return "\n".join(
            f"{r['kind']} | {numbers.get(r.get('target_id'), r.get('target_id'))}" for r in self.relations or []
        )

    @relations_text.setter
    def relations_text(self, value):
        from app.core.tenancy import current_tenant
        from app.documents.operations import parse_relations

        # A new row gets its tenant after the form is applied: relations are the request tenant's.
        tenant_id = self.tenant_id if self.tenant_id is not None else getattr(current_tenant, "id", None)
        self.relations = parse_relations(value, tenant_id, self.id)

    @property
    def files_text(self):
        return " ".join(str(i) for i in self.files or [])

    @files_text.setter
    def files_text(self, value):
        self.files = [int(v) for v in (value or "").replace(",", " ").split() if v.isdigit()]

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


def _public_url(doc):
    from app.core.models import Tenant
    from app.core.tenancy import tenant_url

    return tenant_url(db.session.get(Tenant, doc.tenant_id), "documents.detail", doc_id=doc.id)


def _edit_url(doc):
    from flask import url_for

    return url_for("documents_admin.edit_view", id=doc.id)


def _dump(doc):
    from app.documents.schemas import DocumentSchema

    return DocumentSchema().dump(doc)


def _search_document(doc):
    """``(title, summary, text, language)`` for the site-wide search index (R-24)."""
    from app.core.text import plain_text

    title = f"{doc.doc_type} {doc.number}: {doc.title}"
    summary = plain_text(doc.summary or doc.issuer or "", limit=400)
    text = " ".join([title, summary, doc.issuer or "", doc.signer or "", doc.field or "", plain_text(doc.body or "")])
    return title, summary, text[:20000], "vi"


register(
    ContentType(
        name="document",
        collection="documents",
        model=LegalDocument,
        label=_l("Legal document"),
        public_url=_public_url,
        edit_url=_edit_url,
        dump=_dump,
        deadline_days=2,
        extra={"search": _search_document},
    )
)
