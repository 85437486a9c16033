"""The comments export never hands Excel a formula (R-25, R-14): CSV and XLSX of the drafting team."""

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.consultations.models import Comment
from app.core.models import Tenant
from app.extensions import db
from tests.core.test_spreadsheet_exports import FORMULAS, _csv, _unsafe


def _tenant(code):
    return db.session.execute(select(Tenant).where(Tenant.code == code)).scalars().one()


@pytest.fixture
def consultation_with_comments(app, make_consultation):
    cid = make_consultation("stc")
    with app.app_context():
        for n, text in enumerate(FORMULAS):
            db.session.add(
                Comment(tenant_id=_tenant("stc").id, consultation_id=cid, body=text, name=text, organisation="@org",
                        email=f"nguoi{n}@example.vn", phone="+84 911 222 333", consent_version="v1")
            )  # fmt: skip
        db.session.add(Comment(tenant_id=_tenant("stc").id, consultation_id=cid, body="Góp ý\x07 có ký tự lạ",
                               email="chuong@example.vn", consent_version="v1"))  # fmt: skip
        db.session.commit()
    return cid


def test_comment_exports_guard_every_cell(client_for, make_user, consultation_with_comments):
    """R-25, R-14: the drafting team's CSV and XLSX of comments hold the text, quoted, and no formula cell;
    a control character in a comment does not break the workbook."""
    client = client_for("stc")
    client.login(make_user("editor", "stc"))
    rows = _csv(client.get(f"/admin/comments/export/{consultation_with_comments}.csv"))
    assert _unsafe([c for row in rows for c in row]) == []
    assert "'@org" in rows[1] and "'+84 911 222 333" in rows[1] and "'" + FORMULAS[0] in rows[1]
    sheet = load_workbook(
        io.BytesIO(client.get(f"/admin/comments/export/{consultation_with_comments}.xlsx").data)
    ).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not any(cell.data_type == "f" for cell in cells)
    assert _unsafe([cell.value for cell in cells]) == []
    assert "'" + FORMULAS[0] in [cell.value for cell in cells]
    assert "Góp ý có ký tự lạ" in [cell.value for cell in cells]  # a control character Excel refuses is dropped
