"""Uploaded spreadsheets are bounded by bytes, rows, columns and cells whatever they declare (R-25, R-19, R-21).

Each hostile file goes through the back office's real import pages (procedures on stc, statistics on ctk); the
answer is a page with a clear reason, quickly, never a 500 or a worker stuck padding empty cells.
"""

import csv
import io
import re
import signal
import time
import zipfile
from contextlib import contextmanager

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from app.core.models import Tenant
from app.extensions import db
from app.procedures.models import ImportBatch
from app.procedures.operations import COLUMNS, EXAMPLE_ROW
from app.statistics.models import Dataset
from app.workflow.models import ReviewState

PROCEDURE_ROW = [EXAMPLE_ROW[c] for c in COLUMNS]
STATISTICS = [
    ["indicator", "area", "period", "value", "unit", "note"],
    ["Dân số", "Đồng Xoài", "2024", 112500, "người", ""],
]


def xlsx(rows, dimension=None, more_rows="", extra_part=None):
    """An XLSX of ``rows`` whose sheet declares ``dimension``, ends with raw ``more_rows`` XML, and may carry
    one more zip member ``extra_part=(name, bytes)``."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    plain = io.BytesIO()
    book.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = data.decode()
                if dimension:
                    text = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>', text)
                data = text.replace("</sheetData>", more_rows + "</sheetData>").encode()
            z.writestr(info.filename, data)
        if extra_part:
            z.writestr(*extra_part)
    return out.getvalue()


def csv_file(rows):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


@contextmanager
def at_most(seconds):
    """Fail (instead of hanging the suite) when the block runs longer than ``seconds``."""

    def stop(*_):
        raise TimeoutError(f"took more than {seconds} s")

    old = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    start = time.monotonic()
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    assert time.monotonic() - start < seconds


@pytest.fixture
def procedures_import(client_for, make_user, app):
    """``procedures_import(name, data)``: the errors the dry run of the back office lists for that file."""
    client = client_for("stc")
    client.login(make_user("editor", "stc"))
    client.get("/?lang=en")

    def upload(name, data):
        token = client.csrf_token("/admin/procedure-import/")
        response = client.post("/admin/procedure-import/", data={"csrf_token": token, "file": (io.BytesIO(data), name)},
                               content_type="multipart/form-data")  # fmt: skip
        assert response.status_code == 302, response.status_code
        with app.app_context():
            batch = db.session.execute(select(ImportBatch).order_by(ImportBatch.id.desc())).scalars().first()
            records, errors = batch.records, batch.errors
        page = client.get(response.headers["Location"])
        assert page.status_code == 200
        return records, [message for _line, message in errors]

    return upload


@pytest.fixture
def statistics_import(client_for, make_user, app):
    """``statistics_import(name, data)``: the back office's dry-run page (HTML) for that file."""
    with app.app_context():
        ctk = db.session.execute(select(Tenant).where(Tenant.code == "ctk")).scalars().one()
        dataset = Dataset(tenant_id=ctk.id, slug="dan-so", title="Dân số", state=ReviewState.DRAFT, observations=[])
        db.session.add(dataset)
        db.session.commit()
        path = f"/admin/statistics-import/{dataset.id}"
    client = client_for("ctk")
    client.login(make_user("editor", "ctk"))
    client.get("/?lang=en")

    def upload(name, data):
        response = client.post(path, data={"csrf_token": client.csrf_token(path), "file": (io.BytesIO(data), name)},
                               content_type="multipart/form-data")  # fmt: skip
        assert response.status_code == 200
        return response.get_data(as_text=True)

    return upload


def test_a_huge_declared_dimension_costs_nothing(procedures_import, statistics_import):
    """R-25: a sheet that declares A1:XFD1048576 (17 billion cells) but holds two rows is read as two rows, at once."""
    with at_most(10):
        records, errors = procedures_import("thu-tuc.xlsx", xlsx([list(COLUMNS), PROCEDURE_ROW], "A1:XFD1048576"))
        page = statistics_import("so-lieu.xlsx", xlsx(STATISTICS, "A1:XFD1048576"))
    assert errors == [] and len(records) == 1 and records[0]["code"] == EXAMPLE_ROW["code"]
    assert 'id="dry-run-report"' in page and 'name="payload"' in page


@pytest.mark.parametrize(
    ("more_rows", "reason"),
    [
        # One cell a million rows down: openpyxl would yield every empty row before it.
        ('<row r="1000000"><c r="A1000000" t="inlineStr"><is><t>x</t></is></c></row>', "more than 5000 rows"),
        # A row number beyond any real sheet, with nothing in it.
        ('<row r="999999999999"/>', "more than 5000 rows"),
        # A cell in the last column (XFD): 16,384 columns.
        ('<row r="3"><c r="XFD3" t="inlineStr"><is><t>x</t></is></c></row>', "more than 33 columns"),
    ],
)
def test_rows_and_columns_are_counted_as_read(procedures_import, more_rows, reason):
    """R-25, R-19: far rows and far columns are refused with the limit named, without reading what they claim."""
    with at_most(10):
        records, errors = procedures_import("thu-tuc.xlsx", xlsx([list(COLUMNS), PROCEDURE_ROW], more_rows=more_rows))
    assert records == [] and len(errors) == 1 and reason in errors[0], errors


def test_a_zip_bomb_is_refused_before_it_is_unpacked(procedures_import, statistics_import):
    """R-25: 200 MB of zeros packed into a few hundred KB is refused from the zip's directory."""
    bomb = xlsx([list(COLUMNS), PROCEDURE_ROW], extra_part=("xl/sharedStrings2.xml", b"0" * (200 * 1024 * 1024)))
    assert len(bomb) < 1024 * 1024
    with at_most(10):
        _records, errors = procedures_import("thu-tuc.xlsx", bomb)
        page = statistics_import("so-lieu.xlsx", bomb)
    assert errors == ["The spreadsheet is too large once unpacked."]
    assert "The spreadsheet is too large once unpacked." in page


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (csv_file([STATISTICS[0], *[STATISTICS[1]] * 20001]), "more than 20000 rows"),
        (csv_file([STATISTICS[0] + [f"c{n}" for n in range(60)], STATISTICS[1]]), "more than 50 columns"),
        (csv_file([["indicator", "area", "period", "value", "unit", "note", "x" * 200_000]]), "could not be read"),
        (b"indicator,area\n" + b"x" * (6 * 1024 * 1024), "larger than 5 MB"),
    ],
)
def test_csv_over_a_limit_gets_a_clear_message(statistics_import, data, reason):
    """R-25, R-21: too many rows or columns, a cell over the CSV reader's limit, too many bytes: a reason, no 500."""
    with at_most(20):
        page = statistics_import("so-lieu.csv", data)
    assert reason in page and 'name="payload"' not in page


def test_a_table_over_the_cell_limit_is_refused(procedures_import):
    """R-25: rows x columns over the cell limit (120,000) is refused even when rows and columns each fit."""
    wide = [f"extra{n}" for n in range(len(COLUMNS), 33)]
    rows = [list(COLUMNS) + wide] + [PROCEDURE_ROW + ["x"] * len(wide)] * 5000
    with at_most(30):
        _records, errors = procedures_import("thu-tuc.csv", csv_file(rows))
    assert errors == ["The file has more than 120000 cells."]
