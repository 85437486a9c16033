"""Legal documents and gazette issues, declared once: their fields and where they live.

Cleaning on every write path (the body is sanitised in the back office as in the API), media usage,
the revision copy, the sitemap, the back-office form and the API input are derived from this.
"""

from datetime import date

from flask_babel import lazy_gettext as _l

from app.core.fields import Field, Kind, attachments, declare
from app.core.text import plain_text
from app.documents.models import STATUSES, GazetteIssue, LegalDocument
from app.documents.operations import check
from app.documents.schemas import DocumentSchema
from app.workflow.registry import ContentType, register


def search_document(doc):
    """``(title, summary, text, language)``: results name the document as people cite it, type and number first."""
    title = f"{doc.doc_type} {doc.number}: {doc.title}"
    summary = plain_text(doc.summary or doc.issuer or "", limit=400)
    text = " ".join([title, summary, doc.issuer or "", doc.signer or "", doc.field or "", plain_text(doc.body or "")])
    return title, summary, text[:20000], "vi"


def sample(tenant, author):
    """A new, valid, unsaved document of ``tenant`` (tests and ``demo load --scale``)."""
    return LegalDocument(
        number=f"{author.id}/2026/QĐ-MAU",
        doc_type="Quyết định",
        issuer="Ủy ban nhân dân tỉnh Bình Phước",
        title="Văn bản mẫu",
        issued_on=date(2026, 1, 5),
        effective_on=date(2026, 1, 15),
        status="in_effect",
        summary="Tóm tắt văn bản mẫu.",
        body="<p>Nội dung văn bản mẫu.</p>",
    )


DOCUMENT = register(
    ContentType(
        name="document",
        model=LegalDocument,
        label=_l("Legal document"),
        endpoint="documents.detail",
        url_args=lambda doc: {"doc_id": doc.id},
        admin_endpoint="documents_admin",
        schema=DocumentSchema,
        search=search_document,
        sample=sample,
        check=check,
        fields=(
            Field("number", Kind.TEXT, _l("Number and symbol"), required=True, max_length=100),
            Field("doc_type", Kind.TEXT, _l("Document type"), max_length=100),
            Field("issuer", Kind.TEXT, _l("Issuing body"), max_length=300),
            Field("signer", Kind.TEXT, _l("Signer"), max_length=200),
            Field("title", Kind.TEXT, _l("Title"), required=True, max_length=1000),
            Field("issued_on", Kind.DATE, _l("Issue date")),
            Field("effective_on", Kind.DATE, _l("Effective date")),
            Field("expires_on", Kind.DATE, _l("Expiry date")),
            Field("status", Kind.CHOICE, _l("Effect status"), choices=tuple(STATUSES.items())),
            Field("field", Kind.TEXT, _l("Field"), max_length=200),
            Field("summary", Kind.TEXT, _l("Summary")),
            Field("body", Kind.RICH_TEXT, _l("Full text")),
            attachments(_l("Files"), media_kinds=("document",)),
            Field("gazette_issue_id", Kind.RELATION, _l("E-gazette"), relation="gazette_issue"),
            # [{"kind": "amends"|"replaces"|"guides", "target_id": id}]: parsed by the API and the back office.
            Field("relations", Kind.DATA, _l("Related documents")),
        ),
    )
)

declare(
    GazetteIssue,
    (
        Field("number", Kind.TEXT, _l("Issue number"), required=True, max_length=40),
        Field("issued_on", Kind.DATE, _l("Date"), required=True),
        Field("note", Kind.TEXT, _l("Note"), max_length=500),
    ),
    label=_l("Gazette issues"),
)
