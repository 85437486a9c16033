"""Browser (R-21): a ctk editor imports an XLSX of figures, the head approves, the portal shows and serves them."""

import csv
import io

from openpyxl import Workbook
from playwright.sync_api import expect
from sqlalchemy import select

from app.auth.operations import find_user
from app.core.models import Tenant
from app.extensions import db
from app.statistics.models import Dataset
from tests.conftest import PASSWORD

FIGURES = [
    ("Sản lượng hạt điều", "Toàn tỉnh", 2022, 171800, "tấn", ""),
    ("Sản lượng hạt điều", "Toàn tỉnh", 2023, 178400, "tấn", ""),
    ("Sản lượng hạt điều", "Toàn tỉnh", 2024, 184900.5, "tấn", "ước tính"),
    ("Sản lượng hồ tiêu", "Toàn tỉnh", 2022, 54800, "tấn", ""),
    ("Sản lượng hồ tiêu", "Toàn tỉnh", 2023, 55700, "tấn", ""),
    ("Sản lượng hồ tiêu", "Toàn tỉnh", 2024, 57200, "tấn", "sơ bộ"),
]


def _xlsx(path, rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["chỉ tiêu", "địa bàn", "kỳ", "giá trị", "đơn vị tính", "ghi chú"])
    for row in rows:
        sheet.append(list(row))
    book.save(path)


def _login(page, live_server, email):
    page.goto(live_server.url("ctk", "/login"))
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    expect(page.get_by_text(email).first).to_be_visible()


def test_import_review_and_publish_figures(app, live_server, browser, make_user, tmp_path):
    """R-21, R-09, R-03: XLSX import with a dry run, approval by the head, table, chart and CSV on the portal."""
    editor_email, head_email = make_user("editor", "ctk"), make_user("head", "ctk")
    with app.app_context():
        ctk = db.session.execute(select(Tenant).where(Tenant.code == "ctk")).scalars().one()
        editor = find_user(editor_email)
        dataset = Dataset(
            tenant_id=ctk.id, title="Sản lượng điều và hồ tiêu", slug="dieu-ho-tieu", units="tấn",
            author_id=editor.id, last_editor_id=editor.id,
        )  # fmt: skip
        db.session.add(dataset)
        db.session.commit()
        dataset_id = dataset.id

    bad, good = tmp_path / "loi.xlsx", tmp_path / "so-lieu.xlsx"
    _xlsx(bad, FIGURES[:2] + [("Sản lượng hạt điều", "Toàn tỉnh", 2024, "không rõ", "tấn", "")])
    _xlsx(good, FIGURES)

    editor_ctx = browser.new_context(accept_downloads=True)
    page = editor_ctx.new_page()
    page.set_default_timeout(15000)
    _login(page, live_server, editor_email)
    page.goto(live_server.url("ctk", f"/admin/statistics-import/{dataset_id}"))
    # A file with a bad row: the dry run names the line, nothing can be imported.
    page.set_input_files("input[type=file]", str(bad))
    page.locator("button[value=check]").click()
    report = page.locator("#dry-run-report")
    expect(report).to_be_visible()
    expect(report.locator("tbody tr td").first).to_have_text("4")
    expect(page.locator("input[name=payload]")).to_have_count(0)
    # The good file: the dry run shows the rows, then the import.
    page.set_input_files("input[type=file]", str(good))
    page.locator("button[value=check]").click()
    expect(page.locator("#dry-run-report")).to_contain_text("6")
    page.locator("form[action$='/confirm'] button[type=submit]").click()
    page.locator("button[value=submit]").click()
    editor_ctx.close()

    head_ctx = browser.new_context(accept_downloads=True)
    page = head_ctx.new_page()
    page.set_default_timeout(15000)
    _login(page, live_server, head_email)
    page.goto(live_server.url("ctk", f"/admin/review/dataset/{dataset_id}"))
    page.locator("button[value=approve]").click()
    expect(page.locator("#item-state")).to_have_text("Đã xuất bản")

    page.goto(live_server.url("portal", "/statistics/dieu-ho-tieu"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sản lượng điều và hồ tiêu")
    table = page.locator("table.data-table tbody tr")
    expect(table).to_have_count(6)
    chart = page.locator("figure.chart-figure svg[role=img]")
    expect(chart).to_be_visible()
    expect(chart.locator("polyline")).to_have_count(2)
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV").click()
    with open(info.value.path(), encoding="utf-8-sig") as fh:
        text = fh.read()
    rows = list(csv.DictReader(io.StringIO(text)))
    got = {(r["indicator"], r["period"]): float(r["value"]) for r in rows}
    assert got == {(f[0], str(f[2])): float(f[3]) for f in FIGURES}
    notes = {(r["indicator"], r["period"]): r["note"] for r in rows}
    assert (
        notes[("Sản lượng hạt điều", "2024")] == "estimated" and notes[("Sản lượng hồ tiêu", "2024")] == "provisional"
    )
    head_ctx.close()
