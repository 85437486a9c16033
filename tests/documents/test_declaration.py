"""R-16, R-20, R-05: what the declaration of legal documents gives on every write path: a body sanitised in the
back office as in the API, files as ``attachments`` (``files`` still read and written), media usage, the sitemap."""

import re

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.documents.models import LegalDocument
from app.extensions import db
from app.media.operations import uses_of
from app.workflow.models import ReviewState

HOSTILE = '<p>Nội dung</p><script>alert(1)</script><a href="javascript:alert(2)">liên kết</a>'


def _form_token(client, path):
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def test_back_office_body_is_sanitised(client_for, make_user, ctx):
    """R-16: a body saved from the back-office form is sanitised as the API sanitises it (script, javascript:)."""
    client = client_for("stp")
    client.login(make_user("editor", "stp"))
    form = client.get("/admin/documents_admin/new/").get_data(as_text=True)
    assert re.search(r'<textarea class="rich-text[^"]*"[^>]*name="body"', form)  # the editor, as in the API's rules
    response = client.post(
        "/admin/documents_admin/new/",
        data={
            "csrf_token": _form_token(client, "/admin/documents_admin/new/"),
            "number": "17/2026/QĐ-UBND",
            "doc_type": "Quyết định",
            "title": "Quy định có nội dung",
            "status": "in_effect",
            "body": HOSTILE,
        },
    )
    assert response.status_code == 302
    body = db.session.execute(select(LegalDocument.body)).scalar_one()
    assert "Nội dung" in body
    assert "<script" not in body and "javascript:" not in body


def test_document_form_picks_files_from_the_media_library(client_for, make_user, pdf_form):
    """R-05: the form's files are the one media picker (the site's documents), not media ids typed in a textarea."""
    pdf = pdf_form("stp", "quyet-dinh.pdf")
    other = pdf_form("stc", "cua-so-khac.pdf")
    client = client_for("stp")
    client.login(make_user("editor", "stp"))
    form = client.get("/admin/documents_admin/new/").get_data(as_text=True)
    picker = re.search(r'<select[^>]*name="attachments"[^>]*>.*?</select>', form, re.S).group(0)
    assert 'data-media-picker="multiple"' in picker
    assert f'value="{pdf.id}"' in picker and f'value="{other.id}"' not in picker
    assert "files_text" not in form
    data = {"number": "18/2026/QĐ-UBND", "doc_type": "Quyết định", "title": "Quy định", "status": "in_effect"}
    token = _form_token(client, "/admin/documents_admin/new/")
    refused = client.post("/admin/documents_admin/new/", data=dict(data, csrf_token=token, attachments=[str(other.id)]))
    assert refused.status_code == 200
    token = _form_token(client, "/admin/documents_admin/new/")
    saved = client.post("/admin/documents_admin/new/", data=dict(data, csrf_token=token, attachments=[str(pdf.id)]))
    assert saved.status_code == 302
    assert db.session.execute(select(LegalDocument.attachments)).scalar_one() == [pdf.id]


def test_api_takes_files_or_attachments_and_shows_both(client_for, token_for, pdf_form):
    """Contract: ``files`` (the former name) and ``attachments`` are both accepted and both shown."""
    pdf = pdf_form("stp", "quyet-dinh.pdf")
    other = pdf_form("stc", "cua-so-khac.pdf")
    headers = {"Authorization": f"Bearer {token_for('editor', 'stp')}"}
    api = client_for("stp")
    base = {"title": "Quy định", "status": "in_effect"}
    for n, key in enumerate(("files", "attachments"), start=1):
        created = api.post("/api/v1/documents", json=dict(base, number=f"{n}/2026", **{key: [pdf.id]}), headers=headers)
        assert created.status_code == 201, created.get_json()
        body = created.get_json()
        assert [f["id"] for f in body["attachments"]] == [pdf.id]
        assert body["files"] == body["attachments"]
        assert body["files"][0]["url"].startswith("http://stp.localhost/media/")
    refused = api.post("/api/v1/documents", json=dict(base, number="3/2026", files=[other.id]), headers=headers)
    assert refused.status_code == 422
    assert {"files", "attachments"} <= set(refused.get_json()["error"]["fields"])


def test_a_document_file_is_in_use(make_document, pdf_form, tenants):
    """R-05: a file attached to a document, or shown inline in its body, counts as used (it cannot be deleted)."""
    pdf = pdf_form("stp", "quyet-dinh.pdf")
    inline = pdf_form("stp", "phu-luc.pdf")
    doc = make_document(attachments=[pdf.id], body=f'<p><a href="{inline.url}">Phụ lục</a></p>')
    assert [use.row.id for use in uses_of(pdf, tenants["stp"])] == [doc.id]
    assert [use.row.id for use in uses_of(inline, tenants["stp"])] == [doc.id]


def test_sitemap_lists_published_documents_only(client_for, make_document):
    """R-33: the derived sitemap lists the site's published documents, not its drafts."""
    doc = make_document("1/2026/QĐ-UBND")
    draft = make_document("2/2026/QĐ-UBND", state=ReviewState.DRAFT)
    xml = client_for("stp").get("/sitemap.xml").get_data(as_text=True)
    assert f"http://stp.localhost/documents/{doc.id}<" in xml
    assert f"/documents/{draft.id}<" not in xml
    assert f"/documents/{doc.id}<" not in client_for("stc").get("/sitemap.xml").get_data(as_text=True)


def test_edit_form_round_trips_relations_and_files(client_for, make_user, make_document, pdf_form):
    """R-20: the edit form shows relations by number and the chosen files; saving it unchanged keeps both."""
    import lxml.html

    pdf = pdf_form("stp", "quyet-dinh.pdf")
    target = make_document("05/2025/QĐ-UBND")
    doc = make_document(
        "15/2026/QĐ-UBND",
        state=ReviewState.DRAFT,
        attachments=[pdf.id],
        relations=[{"kind": "amends", "target_id": target.id}],
    )
    client = client_for("stp")
    client.login(make_user("editor", "stp"))
    page = client.get(f"/admin/documents_admin/edit/?id={doc.id}").get_data(as_text=True)
    form = max(lxml.html.fromstring(page).forms, key=lambda f: len(f.inputs))
    assert form.fields["relations"].strip() == "amends | 05/2025/QĐ-UBND"
    response = client.post(f"/admin/documents_admin/edit/?id={doc.id}", data=MultiDict(form.form_values()))
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(LegalDocument, doc.id)
    assert saved.attachments == [pdf.id] and saved.relations == [{"kind": "amends", "target_id": target.id}]
