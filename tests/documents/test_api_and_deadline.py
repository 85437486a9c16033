"""R-20 API (contract) and R-12: documents must be published within N working days of their issue date."""

from datetime import date, datetime

import pytest

from app.documents.operations import count_late, is_late, publication_deadline
from app.extensions import db
from app.workflow.models import ReviewState


def test_api_list_filters_and_shape(client_for, make_document):
    """Contract: the list shape, filters as query parameters, published only, absolute url."""
    make_document("1/2026/QĐ-UBND", status="expired", issued_on=date(2025, 1, 5), effective_on=date(2025, 1, 10))
    make_document("2/2026/QĐ-UBND")
    make_document("3/2026/QĐ-UBND", state=ReviewState.DRAFT)
    api = client_for("stp")
    body = api.get("/api/v1/documents").get_json()
    assert body["total"] == 2 and {"items", "page", "per_page", "total"} <= set(body)
    item = body["items"][0]
    for name in (
        "id",
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
        "files",
        "gazette",
        "relations",
        "state",
        "url",
    ):
        assert name in item
    assert item["url"].startswith("http://stp.localhost/documents/")
    assert api.get("/api/v1/documents?status=expired").get_json()["total"] == 1
    assert api.get("/api/v1/documents?year=2025").get_json()["total"] == 1
    assert api.get("/api/v1/documents?per_page=500").status_code == 400


def test_staff_create_patch_and_422(client_for, token_for, make_document):
    """Contract: staff POST 201 (draft), 422 with fields for bad input, unknown relation targets refused."""
    other = make_document("9/2026/QĐ-UBND", tenant="stc")
    headers = {"Authorization": f"Bearer {token_for('editor', 'stp')}"}
    api = client_for("stp")
    payload = {
        "number": "40/2026/QĐ-UBND",
        "title": "Quy định mới",
        "issued_on": "2026-06-01",
        "effective_on": "2026-06-15",
        "status": "not_yet",
        "body": "<p>Nội dung</p><script>x()</script>",
    }
    created = api.post("/api/v1/documents", json=payload, headers=headers)
    assert created.status_code == 201
    body = created.get_json()
    assert body["state"] == "draft" and "<script>" not in body["body"]
    assert api.post("/api/v1/documents", json=payload, headers=headers).status_code == 422
    bad = api.post("/api/v1/documents", json=dict(payload, number="41", effective_on="2026-05-01"), headers=headers)
    assert bad.status_code == 422 and "effective_on" in bad.get_json()["error"]["fields"]
    bad = api.post("/api/v1/documents", json=dict(payload, number="42", status="valid"), headers=headers)
    assert "status" in bad.get_json()["error"]["fields"]
    cross = api.post(
        "/api/v1/documents",
        json=dict(payload, number="43", relations=[{"kind": "amends", "target_id": other.id}]),
        headers=headers,
    )
    assert cross.status_code == 422 and "relations" in cross.get_json()["error"]["fields"]
    patched = api.patch(f"/api/v1/documents/{body['id']}", json={"title": "Quy định đã sửa"}, headers=headers)
    assert patched.status_code == 200 and patched.get_json()["title"] == "Quy định đã sửa"
    assert client_for("stc").patch(f"/api/v1/documents/{body['id']}", json={}, headers=headers).status_code == 403


# 2026-02-09 is a Monday: two working days later is Wednesday 2026-02-11.
@pytest.mark.parametrize(
    "published_at, late",
    [
        (datetime(2026, 2, 10, 3, 0), False),
        (datetime(2026, 2, 11, 9, 0), False),
        (datetime(2026, 2, 12, 2, 0), True),
        (None, True),
    ],
)
def test_deadline_flag(make_document, tenants, published_at, late, app):
    """R-12: published after issue date + 2 working days (or still unpublished past it) is late."""
    app.config["PUBLIC_HOLIDAYS"] = []
    try:
        doc = make_document(
            issued_on=date(2026, 2, 9),
            published_at=published_at,
            state=ReviewState.PUBLISHED if published_at else ReviewState.IN_REVIEW,
        )
        assert publication_deadline(doc, tenants["stp"]) == date(2026, 2, 11)
        assert is_late(doc, tenants["stp"]) is late
    finally:
        app.config.pop("PUBLIC_HOLIDAYS")


def test_deadline_is_configurable_per_tenant_and_counted(make_document, tenants, app):
    """R-12: tenant.review_deadlines["document_publication"] overrides the default; count_late counts."""
    app.config["PUBLIC_HOLIDAYS"] = []
    try:
        make_document("1", issued_on=date(2026, 2, 9), published_at=datetime(2026, 2, 13, 3, 0))
        make_document("2", issued_on=date(2026, 2, 9), published_at=datetime(2026, 2, 10, 3, 0))
        stp = tenants["stp"]
        assert count_late(stp) == 1
        stp.review_deadlines = dict(stp.review_deadlines or {}, document_publication=10)
        db.session.commit()
        assert count_late(stp) == 0
    finally:
        app.config.pop("PUBLIC_HOLIDAYS")


def test_late_documents_are_flagged_in_the_back_office(client_for, make_user, make_document, app):
    """R-12: the back-office list shows the late flag on late documents only."""
    make_document("1/2026/QĐ-UBND", issued_on=date(2026, 2, 9), published_at=datetime(2026, 3, 13, 3, 0))
    client = client_for("stp")
    client.login(make_user("editor", "stp"))
    html = client.get("/admin/documents_admin/").get_data(as_text=True)
    assert html.count('class="badge badge-danger"') == 1
    dashboard = client.get("/admin/").get_data(as_text=True)
    assert "Văn bản xuất bản chậm" in dashboard and "<strong>1</strong>" in dashboard


def test_revision_of_a_published_document_carries_its_relations(client_for, token_for, make_document, make_user):
    """R-09, R-20: PATCH of a live document edits a revision (relations included); approval applies it and the
    inverse relation appears on the target only then."""
    from app.auth.operations import find_user
    from app.documents.models import LegalDocument
    from app.workflow.operations import transition

    head = make_user("head", "stp")
    target = make_document("01/2026/QĐ-UBND")
    doc = make_document("02/2026/QĐ-UBND")
    headers = {"Authorization": f"Bearer {token_for('editor', 'stp')}"}
    api = client_for("stp")
    patched = api.patch(
        f"/api/v1/documents/{doc.id}", json={"relations": [{"kind": "guides", "target_id": target.id}]}, headers=headers
    )
    assert patched.status_code == 200
    assert api.get(f"/api/v1/documents/{target.id}").get_json()["relations"] == []
    revision = db.session.get(LegalDocument, patched.get_json()["id"])
    transition(revision, "submit", find_user("editor.stp@test.vn"))
    transition(revision, "approve", find_user(head))
    db.session.commit()
    back = api.get(f"/api/v1/documents/{target.id}").get_json()["relations"]
    assert [(r["kind"], r["id"]) for r in back] == [("is_guided_by", doc.id)]
