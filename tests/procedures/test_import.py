"""R-19: bulk import of procedures from CSV and XLSX: template, dry run refusals, atomicity, bulk review."""

import csv
import io
import re

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app.auth.operations import find_user
from app.extensions import db
from app.procedures.models import ImportBatch, Procedure
from app.procedures.operations import COLUMNS, EXAMPLE_ROW, ProcedureError, parse_rows, run_import
from app.workflow.models import ReviewState


def row(**changes):
    data = dict(EXAMPLE_ROW, **changes)
    return [data[c] for c in COLUMNS]


def table(*rows, header=COLUMNS):
    return [list(header), *rows]


def xlsx_bytes(rows):
    workbook = Workbook()
    for r in rows:
        workbook.active.append(r)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(rows):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def count(tenant):
    return db.session.execute(select(func.count(Procedure.id)).where(Procedure.tenant_id == tenant.id)).scalar()


def test_a_good_table_parses(tenants):
    """R-19: the example row parses: level, field, agency (by site code), channels, dossier with quantities."""
    records, errors = parse_rows(table(row(), row(code="1.005442")), tenants["stc"])
    assert errors == []
    assert len(records) == 2
    first = records[0]
    assert first["implementing_agency"] == "Sở Tài chính"
    assert first["level"] == "province" and first["online_level"] == "full"
    assert [c["channel"] for c in first["channels"]] == ["in_person", "post", "online"]
    assert first["components"][0] == {"name": "Tờ khai đăng ký mã số", "quantity": 1, "form_id": None}
    assert first["steps"][2] == "Bước 3: Trả kết quả"
    assert first["announced_on"] == "2026-01-15"


def test_missing_column_is_refused_on_line_1(tenants):
    """R-19: a missing required column is reported on line 1 and nothing else is read."""
    header = [c for c in COLUMNS if c != "implementing_agency"]
    records, errors = parse_rows([header, row()[: len(header)]], tenants["stc"])
    assert records == []
    assert errors == [(1, "Missing column(s): implementing_agency.")] or (
        errors[0][0] == 1 and "implementing_agency" in errors[0][1]
    )


@pytest.mark.parametrize(
    "changes, reason",
    [
        ({"announced_on": "31/02/2026"}, "announced_on"),
        ({"announced_on": "hôm qua"}, "announced_on"),
        ({"in_person_days": "năm"}, "in_person_days"),
        ({"online_fee": "-5"}, "online_fee"),
        ({"implementing_agency": "Sở Không Tồn Tại"}, "Sở Không Tồn Tại"),
        ({"field": "Lĩnh vực lạ"}, "Lĩnh vực lạ"),
        ({"level": "cấp thôn"}, "cấp thôn"),
        ({"name": ""}, "name"),
        ({"online_level": "mức 9"}, "mức 9"),
    ],
)
def test_bad_rows_are_reported_with_line_and_reason(tenants, changes, reason):
    """R-19: bad date, bad number, unknown agency/field/level, empty required cell: line number and reason."""
    records, errors = parse_rows(table(row(code="1.1"), row(code="1.2", **changes)), tenants["stc"])
    assert len(records) == 1
    assert len(errors) == 1
    line, message = errors[0]
    assert line == 3
    assert reason in message


def test_duplicate_codes_in_file_and_in_tenant(tenants, make_procedure):
    """R-19: a code twice in the file, or already on the site, is refused; another site's code is fine."""
    make_procedure("1.000777", tenant="stc")
    make_procedure("1.000888", tenant="stp")
    rows = table(row(code="1.1"), row(code="1.1"), row(code="1.000777"), row(code="1.000888"))
    records, errors = parse_rows(rows, tenants["stc"])
    assert [r["code"] for r in records] == ["1.1", "1.000888"]
    assert [e[0] for e in errors] == [3, 4]
    assert "1.1" in errors[0][1] and "2" in errors[0][1].replace("1.1", "")
    assert "1.000777" in errors[1][1]


def test_vietnamese_values_are_accepted(tenants):
    """R-19: levels and agencies may be written in Vietnamese, with or without diacritics; dates as Excel dates."""
    from datetime import datetime

    rows = table(
        row(
            level="Cấp huyện",
            implementing_agency="So Tai chinh",
            announced_on=datetime(2026, 3, 1),
            online_level="Mức độ 4",
            field="tai chinh ngan sach",
        )
    )
    records, errors = parse_rows(rows, tenants["stc"])
    assert errors == []
    assert records[0]["level"] == "district" and records[0]["online_level"] == "full"
    assert records[0]["field"] == "Tài chính ngân sách" and records[0]["announced_on"] == "2026-03-01"


def _upload(client, name, data):
    token = client.csrf_token("/admin/procedure-import/")
    return client.post(
        "/admin/procedure-import/",
        data={"csrf_token": token, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_templates_download_in_both_formats(editor):
    """R-19: the XLSX and CSV templates hold every column and an example row that itself imports."""
    xlsx = editor.get("/admin/procedure-import/template.xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    text = editor.get("/admin/procedure-import/template.csv").get_data(as_text=True)
    assert next(csv.reader(io.StringIO(text.lstrip("\ufeff")))) == list(COLUMNS)
    assert editor.get("/admin/procedure-import/template.pdf").status_code == 404


def test_a_bad_file_is_reported_and_cannot_be_imported(editor, tenants):
    """R-19: the dry run lists each bad line; the import is refused and nothing is created."""
    data = csv_bytes(table(row(code="2.1"), row(code="2.2", announced_on="40/40/2026"), row(code="2.1")))
    response = _upload(editor, "thu-tuc.csv", data)
    assert response.status_code == 302
    page = editor.get(response.headers["Location"]).get_data(as_text=True)
    assert "Lines that cannot be imported: 2." in page
    assert "<td>3</td>" in page and "<td>4</td>" in page
    batch = db.session.execute(select(ImportBatch)).scalars().one()
    token = editor.csrf_token("/admin/procedure-import/")
    editor.post(f"/admin/procedure-import/{batch.id}/import", data={"csrf_token": token})
    assert count(tenants["stc"]) == 0


def test_import_is_atomic(app, tenants, make_user, make_procedure):
    """R-19: if one code clashes at import time (taken since the dry run), nothing at all is imported."""
    user = find_user(make_user("editor", "stc"))
    records, errors = parse_rows(table(*[row(code=f"3.{n}") for n in range(10)]), tenants["stc"])
    assert errors == []
    batch = ImportBatch(tenant_id=tenants["stc"].id, filename="x.xlsx", records=records, errors=[], total=10)
    db.session.add(batch)
    db.session.commit()
    make_procedure("3.7")  # another editor took this code meanwhile
    with pytest.raises(ProcedureError):
        run_import(batch, tenants["stc"], user)
    db.session.rollback()
    assert count(tenants["stc"]) == 1  # only the one made meanwhile


def test_xlsx_import_then_bulk_review_publishes(editor, client_for, make_user, tenants):
    """R-19, R-09: XLSX dry run, import as drafts, bulk submit, the head approves all: they are public."""
    data = xlsx_bytes(table(*[row(code=f"4.{n:03d}", name=f"Thủ tục thử {n}") for n in range(30)]))
    response = _upload(editor, "thu-tuc.xlsx", data)
    batch_url = response.headers["Location"]
    page = editor.get(batch_url).get_data(as_text=True)
    assert "30 procedures are ready to import" in page
    assert count(tenants["stc"]) == 0  # a dry run imports nothing
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    batch_id = int(batch_url.rstrip("/").rsplit("/", 1)[1])
    editor.post(f"/admin/procedure-import/{batch_id}/import", data={"csrf_token": token})
    page = editor.get(batch_url).get_data(as_text=True)
    assert "30 of 30 imported" in page
    states = set(db.session.execute(select(Procedure.state).where(Procedure.tenant_id == tenants["stc"].id)).scalars())
    assert states == {ReviewState.DRAFT.value}
    assert client_for("stc").get("/procedures/4.001").status_code == 404
    editor.post(f"/admin/procedure-import/{batch_id}/submit", data={"csrf_token": token})
    # The editor may not approve what they imported (four eyes); the head approves all.
    editor.post(f"/admin/procedure-import/{batch_id}/approve", data={"csrf_token": token})
    assert client_for("stc").get("/procedures/4.001").status_code == 404
    head = client_for("stc")
    head.login(make_user("head", "stc"))
    head.get("/?lang=en")
    head_token = head.csrf_token(batch_url)
    head.post(f"/admin/procedure-import/{batch_id}/approve", data={"csrf_token": head_token})
    public = client_for("stc")
    assert public.get("/procedures/4.001").status_code == 200
    assert "Procedures found: 30" in public.get("/procedures/?lang=en").get_data(as_text=True)


def test_batches_of_another_tenant_are_404(editor, tenants, make_user):
    """R-01: an import batch of another site is not reachable."""
    other = ImportBatch(tenant_id=tenants["stp"].id, filename="x.csv", records=[], errors=[], total=0)
    db.session.add(other)
    db.session.commit()
    assert editor.get(f"/admin/procedure-import/{other.id}").status_code == 404


def test_bulk_actions_in_the_list(editor, make_procedure, client_for, make_user):
    """R-19: the list's bulk action submits the selected drafts."""
    a = make_procedure("5.1", state=ReviewState.DRAFT)
    b = make_procedure("5.2", state=ReviewState.DRAFT)
    token = editor.csrf_token("/admin/procedures_admin/")
    editor.post(
        "/admin/procedures_admin/action/",
        data={"csrf_token": token, "action": "submit", "rowid": [str(a.id), str(b.id)]},
    )
    db.session.expire_all()
    assert {db.session.get(Procedure, i).state for i in (a.id, b.id)} == {"in_review"}
