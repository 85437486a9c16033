"""R-21: importing observations from CSV and XLSX: the dry run's refusals, and an atomic import."""

import pytest

from app.extensions import db
from app.statistics.models import Dataset
from app.statistics.operations import ImportRefused, apply_import, check_import
from app.workflow.models import ReviewState
from app.workflow.operations import pending_revision, transition
from tests.statistics.conftest import xlsx_bytes

HEADER = "indicator,area,period,value,unit,note\n"


def test_a_good_csv_passes_the_dry_run():
    """R-21: Vietnamese headers, a BOM, notes in Vietnamese and numbers with a decimal comma are read."""
    data = ("\ufeffchỉ tiêu;địa bàn;kỳ;giá trị;đơn vị tính;ghi chú\n"
            "Dân số;Đồng Xoài;2024;112500;người;sơ bộ\nDân số;Bù Đăng;2024-Q1;1,5;%;\n").encode()  # fmt: skip
    report = check_import("so-lieu.csv", data)
    assert report.ok and report.errors == []
    assert report.rows[0] == {
        "indicator": "Dân số", "area": "Đồng Xoài", "period": "2024", "value": 112500, "unit": "người",
        "note": "provisional",
    }  # fmt: skip
    assert report.rows[1]["value"] == 1.5


def test_the_dry_run_lists_every_bad_row_with_its_line_and_reason():
    """R-21: each refused row is reported with its line number and why; good rows are kept apart."""
    data = (
        HEADER
        + "Dân số,Đồng Xoài,2024,112500,người,\n"  # line 2: good
        + ",Đồng Xoài,2024,1,người,\n"  # 3: no indicator
        + "Dân số,,2024,1,người,\n"  # 4: no area
        + "Dân số,Bù Đăng,năm 2024,1,người,\n"  # 5: bad period
        + "Dân số,Bù Đăng,2024,một trăm,người,\n"  # 6: not a number
        + "Dân số,Bù Đăng,2024,,người,\n"  # 7: empty value
        + "Dân số,Bù Đăng,2024,5,người,đoán\n"  # 8: unknown note
        + "Dân số,Đồng Xoài,2024,3,người,\n"  # 9: duplicate of line 2
        + "Dân số,Bù Đăng,2024,nan,người,\n"  # 10: not finite
    ).encode()
    report = check_import("x.csv", data)
    assert not report.ok
    lines = [line for line, _ in report.errors]
    assert lines == [3, 4, 5, 6, 7, 8, 9, 10]
    reasons = dict((line, str(reason)) for line, reason in report.errors)
    assert "line 2" in reasons[9] or "dòng 2" in reasons[9]
    assert len(report.rows) == 1


@pytest.mark.parametrize(
    "filename, data",
    [
        ("x.csv", b""),
        ("x.csv", b"indicator,area,value\nA,B,1\n"),  # no period column
        ("x.csv", b"indicator,area,period,value\n" + "Dân số".encode("utf-16")),
        ("x.pdf", b"%PDF-1.7 something"),
        ("x.xlsx", b"PK\x03\x04 not really a zip"),
        ("x.csv", "chỉ tiêu,area,period,value\n".encode("cp1258", errors="replace") + b"\xff\xfe\n"),
    ],
)
def test_unreadable_files_are_refused_whole(filename, data):
    """R-21: an empty file, a missing column, a non-UTF-8 CSV, another format or a damaged workbook is refused."""
    with pytest.raises(ImportRefused):
        check_import(filename, data)


def test_an_xlsx_is_read_with_numbers_and_year_cells():
    """R-21: an Excel workbook with numeric cells (years as numbers too) is read."""
    data = xlsx_bytes([("indicator", "area", "period", "value", "unit", "note"),
                       ("Sản lượng điều", "Toàn tỉnh", 2024, 184900, "tấn", "estimated"),
                       ("Sản lượng điều", "Toàn tỉnh", 2023, 178400.0, None, None)])  # fmt: skip
    report = check_import("dieu.xlsx", data, default_unit="tấn")
    assert report.ok
    assert [(r["period"], r["value"], r["unit"], r["note"]) for r in report.rows] == [
        ("2024", 184900, "tấn", "estimated"),
        ("2023", 178400, "tấn", ""),
    ]


def test_an_import_into_a_published_dataset_waits_for_review(make_dataset, users):
    """R-21, R-09: figures imported into a published dataset stay off the public page until approved."""
    dataset = make_dataset()
    report = check_import("x.csv", (HEADER + "Dân số,Đồng Xoài,2025,115000,người,provisional\n").encode())
    target = apply_import(dataset, report.rows, users["editor"])
    db.session.commit()
    assert target.revision_of_id == dataset.id
    assert len(db.session.get(Dataset, dataset.id).observations) == 5
    transition(target, "submit", users["editor"])
    transition(target, "approve", users["head"])
    db.session.commit()
    live = db.session.get(Dataset, dataset.id)
    assert live.state == ReviewState.PUBLISHED and pending_revision(live) is None
    assert len(live.observations) == 6
    assert {"indicator": "Dân số", "area": "Đồng Xoài", "period": "2025", "value": 115000, "unit": "người",
            "note": "provisional"} in live.observations  # fmt: skip


def test_replace_drops_the_old_figures(make_dataset, users):
    """R-21: an import may replace every figure of a draft dataset."""
    dataset = make_dataset(state=ReviewState.DRAFT)
    report = check_import("x.csv", (HEADER + "Dân số,Toàn tỉnh,2024,1050000,người,\n").encode())
    apply_import(dataset, report.rows, users["editor"], replace=True)
    db.session.commit()
    assert [o["area"] for o in db.session.get(Dataset, dataset.id).observations] == ["Toàn tỉnh"]


def test_the_back_office_dry_run_then_import(client_for, make_dataset, users):
    """R-21: the import page shows the dry-run report; a file with a bad row imports nothing."""
    dataset = make_dataset(state=ReviewState.DRAFT, observations=[])
    c = client_for("ctk")
    c.login(users["editor"].email)
    path = f"/admin/statistics-import/{dataset.id}"
    bad = (HEADER + "Dân số,Đồng Xoài,2024,abc,người,\n").encode()
    import io

    page = c.post(path, data={"csrf_token": c.csrf_token(path), "file": (io.BytesIO(bad), "x.csv")},
                  content_type="multipart/form-data")  # fmt: skip
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="dry-run-report"' in html and "<td>2</td>" in html
    assert 'name="payload"' not in html
    good = (HEADER + "Dân số,Đồng Xoài,2024,112500,người,\n").encode()
    page = c.post(path, data={"csrf_token": c.csrf_token(path), "file": (io.BytesIO(good), "x.csv")},
                  content_type="multipart/form-data")  # fmt: skip
    html = page.get_data(as_text=True)
    import re

    payload = re.search(r'name="payload"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="payload"', html
    )
    assert payload
    assert db.session.get(Dataset, dataset.id).observations == []
    done = c.post(f"{path}/confirm", data={"csrf_token": c.csrf_token(path), "payload": payload.group(1)})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Dataset, dataset.id).observations[0]["value"] == 112500
    # Tampered payloads and other tenants' datasets are refused.
    assert (
        c.post(
            f"{path}/confirm", data={"csrf_token": c.csrf_token(path), "payload": "x" + payload.group(1)}
        ).status_code
        == 302
    )
    other = make_dataset(code="dongxoai", slug="dx")
    assert c.get(f"/admin/statistics-import/{other.id}").status_code == 404
