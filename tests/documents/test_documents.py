"""R-20, R-08 d/m: legal documents: filters, sorting, relations both ways, files, the e-gazette, isolation."""

from datetime import date

import pytest

from app.documents.models import GazetteIssue
from app.extensions import db
from app.workflow.models import ReviewState


@pytest.fixture
def library(make_document):
    old = make_document(
        "08/2024/QĐ-UBND",
        title="Bảng giá đất 2024",
        issued_on=date(2024, 4, 2),
        effective_on=date(2024, 4, 15),
        status="expired",
        field="Đất đai",
    )
    new = make_document(
        "25/2026/QĐ-UBND",
        title="Bảng giá đất 2026",
        issued_on=date(2026, 4, 10),
        effective_on=date(2026, 4, 20),
        field="Đất đai",
        relations=[{"kind": "replaces", "target_id": old.id}],
    )
    resolution = make_document(
        "03/2026/NQ-HĐND",
        doc_type="Nghị quyết",
        issuer="HĐND tỉnh Bình Phước",
        title="Lệ phí cấp giấy phép xây dựng",
        issued_on=date(2026, 3, 2),
        effective_on=date(2026, 5, 30),
        field="Xây dựng",
    )
    make_document("99/2026/QĐ-UBND", title="Bản nháp", state=ReviewState.DRAFT)
    return {"old": old, "new": new, "resolution": resolution}


def _numbers(client, query=""):
    html = client.get("/documents/" + query).get_data(as_text=True)
    return [n for n in ("25/2026/QĐ-UBND", "03/2026/NQ-HĐND", "08/2024/QĐ-UBND", "99/2026/QĐ-UBND") if n in html]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", {"25/2026/QĐ-UBND", "03/2026/NQ-HĐND", "08/2024/QĐ-UBND"}),
        ("?type=Ngh%E1%BB%8B+quy%E1%BA%BFt", {"03/2026/NQ-HĐND"}),
        ("?issuer=H%C4%90ND+t%E1%BB%89nh+B%C3%ACnh+Ph%C6%B0%E1%BB%9Bc", {"03/2026/NQ-HĐND"}),
        ("?field=%C4%90%E1%BA%A5t+%C4%91ai", {"25/2026/QĐ-UBND", "08/2024/QĐ-UBND"}),
        ("?status=expired", {"08/2024/QĐ-UBND"}),
        ("?year=2024", {"08/2024/QĐ-UBND"}),
        ("?q=bang+gia+dat", {"25/2026/QĐ-UBND", "08/2024/QĐ-UBND"}),
        ("?q=25%2F2026", {"25/2026/QĐ-UBND"}),
    ],
)
def test_filters(client_for, library, query, expected):
    """R-20: filters by type, issuer, field, effect status, year and keyword; drafts never listed."""
    assert set(_numbers(client_for("stp"), query)) == expected


def test_sorting_by_issue_or_effective_date(client_for, library):
    """R-20: newest issue first by default; by effective date on request."""
    client = client_for("stp")
    assert _order(client, "") == ["25/2026/QĐ-UBND", "03/2026/NQ-HĐND", "08/2024/QĐ-UBND"]
    assert _order(client, "?sort=effective") == ["03/2026/NQ-HĐND", "25/2026/QĐ-UBND", "08/2024/QĐ-UBND"]


def _order(client, query):
    html = client.get("/documents/" + query).get_data(as_text=True)
    found = [(html.find(">" + n + "<"), n) for n in ("25/2026/QĐ-UBND", "03/2026/NQ-HĐND", "08/2024/QĐ-UBND")]
    return [n for _pos, n in sorted(found)]


def test_relations_are_shown_both_ways(client_for, library):
    """R-20: "replaces" on the new document and "is replaced by" on the old one, each linking the other."""
    client = client_for("stp")
    new = client.get(f"/documents/{library['new'].id}").get_data(as_text=True)
    old = client.get(f"/documents/{library['old'].id}").get_data(as_text=True)
    assert "Replaces" in new or "Thay thế" in new
    assert f"/documents/{library['old'].id}" in new
    assert f"/documents/{library['new'].id}" in old
    assert "Is replaced by" in old or "Bị thay thế" in old


@pytest.mark.parametrize(
    "kind, inverse", [("amends", "is_amended_by"), ("replaces", "is_replaced_by"), ("guides", "is_guided_by")]
)
def test_each_relation_kind_in_both_directions_in_the_api(client_for, make_document, kind, inverse):
    """R-20: each relation kind and its inverse appear in the API of the two documents."""
    target = make_document("01/2026/QĐ-UBND")
    source = make_document("02/2026/QĐ-UBND", relations=[{"kind": kind, "target_id": target.id}])
    api = client_for("stp")
    out = api.get(f"/api/v1/documents/{source.id}").get_json()["relations"]
    back = api.get(f"/api/v1/documents/{target.id}").get_json()["relations"]
    assert out == [
        {
            "kind": kind,
            "id": target.id,
            "number": "01/2026/QĐ-UBND",
            "url": f"http://stp.localhost/documents/{target.id}",
        }
    ]
    assert [(r["kind"], r["id"]) for r in back] == [(inverse, source.id)]


def test_unpublished_relations_are_hidden(client_for, make_document):
    """R-20: a relation from a draft is not shown on the public page of its target."""
    target = make_document("01/2026/QĐ-UBND")
    make_document("02/2026/QĐ-UBND", state=ReviewState.DRAFT, relations=[{"kind": "amends", "target_id": target.id}])
    assert "02/2026/QĐ-UBND" not in client_for("stp").get(f"/documents/{target.id}").get_data(as_text=True)


def test_files_download_and_gazette(client_for, make_document, pdf_form, tenants):
    """R-20, R-08 m: files download from the detail page; the e-gazette lists issues with their documents."""
    pdf = pdf_form("stp", "quyet-dinh.pdf")
    issue = GazetteIssue(tenant_id=tenants["stp"].id, number="05/2026", issued_on=date(2026, 3, 1))
    empty = GazetteIssue(tenant_id=tenants["stp"].id, number="06/2026", issued_on=date(2026, 3, 15))
    db.session.add_all([issue, empty])
    db.session.commit()
    doc = make_document(attachments=[pdf.id], gazette_issue_id=issue.id)
    client = client_for("stp")
    html = client.get(f"/documents/{doc.id}").get_data(as_text=True)
    assert pdf.url in html and "quyet-dinh.pdf" in html
    assert client.get(pdf.url).data.startswith(b"%PDF")
    gazette = client.get("/documents/gazette/").get_data(as_text=True)
    assert "05/2026" in gazette and "06/2026" in gazette
    assert gazette.index("06/2026") < gazette.index("05/2026")  # newest issue first
    assert f"/documents/{doc.id}" in gazette
    assert "05/2026" not in client_for("stc").get("/documents/gazette/").get_data(as_text=True)


def test_other_tenants_and_drafts_are_404(client_for, make_document):
    """R-01: another tenant's document, or a draft, is a 404 page and a 404 in the API."""
    doc = make_document(tenant="stp")
    draft = make_document("2/2026/QĐ-UBND", tenant="stp", state=ReviewState.DRAFT)
    stc = client_for("stc")
    assert stc.get(f"/documents/{doc.id}").status_code == 404
    assert stc.get(f"/api/v1/documents/{doc.id}").status_code == 404
    assert client_for("stp").get(f"/documents/{draft.id}").status_code == 404
    assert client_for("stp").get(f"/api/v1/documents/{draft.id}").status_code == 404


def test_procedure_legal_basis_links_to_a_published_document(client_for, make_document, tenants):
    """R-19, R-20: a procedure's legal basis line naming a published document links to it."""
    from app.core.timeutil import utcnow
    from app.procedures.models import Procedure

    doc = make_document("12/2026/QĐ-UBND", tenant="portal")
    db.session.add(
        Procedure(
            tenant_id=tenants["stc"].id,
            code="1.1",
            name="Thủ tục",
            state="published",
            published_at=utcnow(),
            legal_basis="Quyết định số 12/2026/QĐ-UBND của UBND tỉnh\nThông tư 99/2099/TT-BTC",
        )
    )
    db.session.commit()
    html = client_for("stc").get("/procedures/1.1").get_data(as_text=True)
    assert f'href="http://localhost/documents/{doc.id}"' in html
    assert "Thông tư 99/2099/TT-BTC</li>" in html
