"""R-16, R-19, R-05: what the declaration of procedures gives on every write path, the import included:
unsafe web addresses refused with a message, text normalised, form templates counted as media in use."""

import unicodedata

from sqlalchemy import select

from app.auth.operations import find_user
from app.extensions import db
from app.media.operations import uses_of
from app.procedures.models import ImportBatch, Procedure
from app.procedures.operations import parse_rows, run_import
from app.workflow.models import ReviewState
from tests.procedures.test_import import _upload, csv_bytes, row, table


def test_import_refuses_a_javascript_address_with_a_message(tenants):
    """R-16, R-19: an imported ``javascript:`` online address is refused on its line, saying why; the rest parse."""
    records, errors = parse_rows(
        table(row(code="1.1"), row(code="1.2", online_url="javascript:alert(document.cookie)")), tenants["stc"]
    )
    assert [r["code"] for r in records] == ["1.1"]
    assert len(errors) == 1
    line, message = errors[0]
    assert line == 3 and "online_url" in message and "http://" in message


def test_import_report_shows_the_refused_address(editor, tenants):
    """R-19: the dry run's report names the line and the column; nothing can be imported from that file."""
    response = _upload(editor, "thu-tuc.csv", csv_bytes(table(row(code="6.1", online_url="javascript:alert(1)"))))
    page = editor.get(response.headers["Location"]).get_data(as_text=True)
    assert "<td>2</td>" in page and "online_url" in page
    assert db.session.execute(select(Procedure.id)).first() is None


def test_imported_text_is_stored_through_the_declaration(tenants, make_user):
    """R-19: imported names are stored in Unicode NFC, as from the back office and the API."""
    decomposed = unicodedata.normalize("NFD", "Đăng ký khai sinh")
    records, errors = parse_rows(table(row(code="7.1", name=decomposed)), tenants["stc"])
    assert errors == []
    batch = ImportBatch(tenant_id=tenants["stc"].id, filename="x.csv", records=records, errors=[], total=1)
    db.session.add(batch)
    run_import(batch, tenants["stc"], find_user(make_user("editor", "stc")))
    db.session.commit()
    name = db.session.execute(select(Procedure.name)).scalar_one()
    assert name == unicodedata.normalize("NFC", decomposed) and name != decomposed


def test_a_form_template_is_in_use(make_procedure, pdf_form, tenants):
    """R-05: the form template of a dossier line counts as used (it cannot be deleted from the library)."""
    form = pdf_form("stc", "to-khai.pdf")
    proc = make_procedure("1.000070", components=[{"name": "Tờ khai", "quantity": 1, "form_id": form.id}])
    assert [use.row.id for use in uses_of(form, tenants["stc"])] == [proc.id]


def test_api_refuses_another_sites_form_template(client_for, token_for, pdf_form):
    """R-01, R-05: a dossier line may only link a form template of the site's own library."""
    other = pdf_form("stp", "cua-so-khac.pdf")
    headers = {"Authorization": f"Bearer {token_for('editor', 'stc')}"}
    payload = {"code": "1.008888", "name": "Thủ tục", "components": [{"name": "Tờ khai", "form_id": other.id}]}
    refused = client_for("stc").post("/api/v1/procedures", json=payload, headers=headers)
    assert refused.status_code == 422 and "components" in refused.get_json()["error"]["fields"]


def test_api_refuses_a_javascript_online_address(client_for, token_for):
    """R-16: the staff API refuses an online address that is not http, https or mailto."""
    headers = {"Authorization": f"Bearer {token_for('editor', 'stc')}"}
    payload = {"code": "1.007777", "name": "Thủ tục", "online_url": "javascript:alert(1)"}
    refused = client_for("stc").post("/api/v1/procedures", json=payload, headers=headers)
    assert refused.status_code == 422 and "online_url" in refused.get_json()["error"]["fields"]


def test_sitemap_lists_published_procedures_only(client_for, make_procedure):
    """R-33: the derived sitemap lists the site's published procedures by code, not its drafts."""
    make_procedure("1.000080")
    make_procedure("1.000081", state=ReviewState.DRAFT)
    xml = client_for("stc").get("/sitemap.xml").get_data(as_text=True)
    assert "http://stc.localhost/procedures/1.000080<" in xml
    assert "/procedures/1.000081<" not in xml


def test_edit_form_round_trips_the_ordered_children(client_for, make_user, make_procedure):
    """R-19: the edit form shows steps, channels and dossier as lines, and saving it unchanged keeps them."""
    import lxml.html

    children = {
        "steps": ["Bước 1: Nộp", "Bước 2: Nhận"],
        "channels": [
            {"channel": "online", "processing_days": 2.5, "processing_time": "", "fee": 20000, "fee_note": "lệ phí"}
        ],
        "components": [{"name": "Tờ khai", "quantity": 2, "form_id": None}],
    }
    proc = make_procedure("1.000090", state=ReviewState.DRAFT, **children)
    client = client_for("stc")
    client.login(make_user("editor", "stc"))
    page = client.get(f"/admin/procedures_admin/edit/?id={proc.id}").get_data(as_text=True)
    form = max(lxml.html.fromstring(page).forms, key=lambda f: len(f.inputs))
    assert form.fields["channels"].strip() == "online | 2.5 |  | 20000 | lệ phí"
    response = client.post(f"/admin/procedures_admin/edit/?id={proc.id}", data=dict(form.form_values()))
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Procedure, proc.id)
    assert {name: getattr(saved, name) for name in children} == children
