"""R-19, R-20, R-23: back-office forms store ordered children; the demo loaders give realistic published data."""

import re

from sqlalchemy import func, select

from app.documents.models import LegalDocument
from app.extensions import db
from app.procedures.models import Procedure
from app.projects.models import Project


def _form_token(client, path):
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def test_procedure_form_stores_steps_channels_and_components(client_for, make_user, tenants):
    """R-19: the back-office form turns its one-per-line fields into ordered steps, channels and components."""
    client = client_for("stc")
    client.login(make_user("editor", "stc"))
    token = _form_token(client, "/admin/procedures_admin/new/")
    response = client.post(
        "/admin/procedures_admin/new/",
        data={
            "csrf_token": token,
            "code": "1.222222",
            "name": "Thủ tục nhập tay",
            "level": "district",
            "procedure_type": "Thủ tục hành chính",
            "field": "Hộ tịch",
            "implementing_agency": "UBND huyện",
            "steps": "Bước 1: Nộp\nBước 2: Nhận",
            "channels": "online | 3 | 3 ngày làm việc | 20000 | \nfax | 1 | x | 0 |",
            "components": "Tờ khai | 2 | ",
            "online_level": "partial",
        },
    )
    assert response.status_code == 302
    proc = db.session.execute(select(Procedure).where(Procedure.code == "1.222222")).scalars().one()
    assert proc.tenant_id == tenants["stc"].id and proc.state == "draft"
    assert proc.steps == ["Bước 1: Nộp", "Bước 2: Nhận"]
    assert proc.channels == [
        {"channel": "online", "processing_days": 3, "processing_time": "3 ngày làm việc", "fee": 20000, "fee_note": ""}
    ]
    assert proc.components == [{"name": "Tờ khai", "quantity": 2, "form_id": None}]


def test_document_form_resolves_relations_by_number(client_for, make_user, tenants):
    """R-20: the form's relation lines name documents by number; an unknown number is an error next to the field."""
    from app.core.timeutil import utcnow

    target = LegalDocument(
        tenant_id=tenants["stp"].id, number="05/2025/QĐ-UBND", title="Quy chế", state="published", published_at=utcnow()
    )
    db.session.add(target)
    db.session.commit()
    client = client_for("stp")
    client.login(make_user("editor", "stp"))
    data = {"number": "15/2026/QĐ-UBND", "doc_type": "Quyết định", "title": "Sửa đổi quy chế", "status": "in_effect"}
    bad = client.post(
        "/admin/documents_admin/new/",
        data=dict(
            data,
            csrf_token=_form_token(client, "/admin/documents_admin/new/"),
            relations="amends | 99/2099/QĐ-UBND",
        ),
    )
    assert bad.status_code == 200 and "99/2099/QĐ-UBND" in bad.get_data(as_text=True)
    good = client.post(
        "/admin/documents_admin/new/",
        data=dict(
            data,
            csrf_token=_form_token(client, "/admin/documents_admin/new/"),
            relations="amends | 05/2025/QĐ-UBND",
        ),
    )
    assert good.status_code == 302
    doc = db.session.execute(select(LegalDocument).where(LegalDocument.number == "15/2026/QĐ-UBND")).scalars().one()
    assert doc.relations == [{"kind": "amends", "target_id": target.id}]


def test_demo_loaders(app, client_for, ctx):
    """R-19, R-20, R-23: the demo gives published procedures, documents with relations and gazette issues,
    and the three kinds of projects, on the portal and several subsites."""
    from app.documents.demo import load_demo as documents
    from app.procedures.demo import load_demo as procedures
    from app.projects.demo import load_demo as projects

    for loader in (procedures, documents, projects):
        assert list(loader(1))
    assert db.session.execute(select(func.count(Procedure.id))).scalar() >= 36
    assert db.session.execute(select(func.count(Project.kind.distinct()))).scalar() == 3
    assert list(procedures(1)) == ["procedures: already loaded"]
    stc = client_for("stc")
    assert "Procedures found:" in stc.get("/procedures/?lang=en").get_data(as_text=True)
    portal = client_for("portal")
    html = portal.get("/procedures/?lang=en").get_data(as_text=True)
    code = re.search(r'href="/procedures/([\d.]+)"', html).group(1)
    detail = portal.get(f"/procedures/{code}").get_data(as_text=True)
    assert "/documents/" in detail  # the legal basis links to 12/2026/QĐ-UBND on the portal
    gazette = client_for("congbao").get("/documents/gazette/").get_data(as_text=True)
    assert "01/2026" in gazette and "/documents/" in gazette
    assert client_for("skhcn").get("/projects/science/").status_code == 200


def test_document_form_uploads_a_file(client_for, make_user, tenants):
    """R-20: a PDF uploaded in the document form becomes one of its files; a non-document is refused."""
    import io

    from tests.procedures.conftest import PDF

    client = client_for("stp")
    client.login(make_user("editor", "stp"))
    data = {"number": "16/2026/QĐ-UBND", "doc_type": "Quyết định", "title": "Quy định", "status": "in_effect"}
    refused = client.post(
        "/admin/documents_admin/new/",
        data=dict(
            data,
            csrf_token=_form_token(client, "/admin/documents_admin/new/"),
            upload=(io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 64), "anh.png"),
        ),
        content_type="multipart/form-data",
    )
    assert refused.status_code == 200
    assert db.session.execute(select(func.count(LegalDocument.id))).scalar() == 0
    created = client.post(
        "/admin/documents_admin/new/",
        data=dict(
            data,
            csrf_token=_form_token(client, "/admin/documents_admin/new/"),
            upload=(io.BytesIO(PDF), "quyet-dinh.pdf"),
        ),
        content_type="multipart/form-data",
    )
    assert created.status_code == 302
    doc = db.session.execute(select(LegalDocument)).scalars().one()
    assert len(doc.attachments) == 1 and doc.tenant_id == tenants["stp"].id


def test_back_office_of_another_tenant_is_404(client_for, make_user, make_procedure):
    """R-01: editing another tenant's procedure by id is a 404, and it is not listed."""
    other = make_procedure("1.333333", tenant="stp", name="Thủ tục của Sở Tư pháp")
    client = client_for("stc")
    client.login(make_user("editor", "stc"))
    assert "Thủ tục của Sở Tư pháp" not in client.get("/admin/procedures_admin/").get_data(as_text=True)
    assert client.get(f"/admin/procedures_admin/edit/?id={other.id}").status_code in (302, 404)
    response = client.get(f"/admin/procedures_admin/edit/?id={other.id}", follow_redirects=False)
    assert "Thủ tục của Sở Tư pháp" not in response.get_data(as_text=True)


def test_procedure_form_attaches_an_uploaded_form_template(client_for, make_user, ctx):
    """R-19: a form template uploaded in the back office is attached to the chosen dossier line."""
    import io

    from tests.procedures.conftest import PDF

    client = client_for("stc")
    client.login(make_user("editor", "stc"))
    base = {
        "code": "1.444444",
        "name": "Thủ tục có mẫu đơn",
        "level": "province",
        "online_level": "none",
        "procedure_type": "Thủ tục hành chính",
        "components": "Đơn đề nghị | 1 |\nTờ khai | 1 |",
    }
    response = client.post(
        "/admin/procedures_admin/new/",
        data=dict(
            base,
            csrf_token=_form_token(client, "/admin/procedures_admin/new/"),
            form_line="2",
            form_upload=(io.BytesIO(PDF), "to-khai.pdf"),
        ),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    proc = db.session.execute(select(Procedure).where(Procedure.code == "1.444444")).scalars().one()
    assert proc.components[0]["form_id"] is None and proc.components[1]["form_id"]
