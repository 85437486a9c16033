import pytest

from app.core.timeutil import utcnow
from app.documents.models import LegalDocument
from app.extensions import db
from app.workflow.models import ReviewState
from tests.procedures.conftest import ctx, pdf_form, tenants, token_for  # noqa: F401


@pytest.fixture
def make_document(tenants):  # noqa: F811 - the fixture imported above
    """``make_document("15/2026/QĐ-UBND", tenant="stp", state="published", **fields)``."""

    def make(number="15/2026/QĐ-UBND", tenant="stp", state=ReviewState.PUBLISHED, **fields):
        from datetime import date

        fields.setdefault("title", "Quy định quản lý nhà nước về công tác pháp chế")
        fields.setdefault("doc_type", "Quyết định")
        fields.setdefault("issuer", "UBND tỉnh Bình Phước")
        fields.setdefault("issued_on", date(2026, 2, 9))
        fields.setdefault("effective_on", date(2026, 2, 20))
        fields.setdefault("status", "in_effect")
        fields.setdefault("field", "Tư pháp")
        doc = LegalDocument(tenant_id=tenants[tenant].id, number=number, state=state, **fields)
        if state == ReviewState.PUBLISHED and "published_at" not in fields:
            doc.published_at = utcnow()
        db.session.add(doc)
        db.session.commit()
        return doc

    return make
