"""Browser: the procedures catalogue (R-19): a visitor filters, opens a procedure and downloads its form;
an editor imports an XLSX of 200 procedures, submits them in bulk, the head approves them, and they are public."""

import io

from openpyxl import Workbook
from playwright.sync_api import expect
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from app.core.models import Tenant
from app.core.timeutil import utcnow
from app.extensions import db
from app.media.storage import save_upload
from app.procedures.models import Procedure
from app.procedures.operations import COLUMNS, EXAMPLE_ROW
from tests.conftest import PASSWORD
from tests.procedures.conftest import PDF


def _seed_catalogue(app):
    with app.app_context():
        stp = db.session.execute(select(Tenant).where(Tenant.code == "stp")).scalars().one()
        form = save_upload(FileStorage(io.BytesIO(PDF), filename="to-khai-ly-lich-tu-phap.pdf"), stp)
        rows = [
            ("1.001001", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam", "Lý lịch tư pháp", "province", form.id),
            ("1.001002", "Cấp Phiếu lý lịch tư pháp cho người nước ngoài", "Lý lịch tư pháp", "district", None),
            ("1.001003", "Đăng ký hành nghề công chứng", "Công chứng", "province", None),
        ]
        for code, name, field, level, form_id in rows:
            db.session.add(
                Procedure(
                    tenant_id=stp.id,
                    code=code,
                    name=name,
                    field=field,
                    level=level,
                    implementing_agency="Sở Tư pháp",
                    components=[
                        {"name": "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "quantity": 1, "form_id": form_id}
                    ],
                    state="published",
                    published_at=utcnow(),
                )
            )
        db.session.commit()


def _login(page, url, email):
    page.goto(url + "?lang=en")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form:has(input[name=password]) button[type=submit]")
    page.wait_for_url("**/admin/**")


def test_visitor_filters_opens_and_downloads_a_form(app, live_server, page):
    """R-19: filter by field and level, open the procedure, download its form (a PDF)."""
    _seed_catalogue(app)
    page.goto(live_server.url("stp", "/procedures/?lang=en"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Administrative procedures")
    page.get_by_label("Field").select_option("Lý lịch tư pháp")
    page.get_by_label("Level").select_option("province")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(".catalogue-table tbody tr")).to_have_count(1)
    page.get_by_role("link", name="Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the form").click()
    download = download_info.value
    with open(download.path(), "rb") as downloaded:
        assert downloaded.read().startswith(b"%PDF")


def test_editor_imports_200_procedures_and_the_head_publishes_them(
    app, live_server, page, browser, make_user, tmp_path
):
    """R-19, R-09: XLSX of 200 rows, dry run without errors, import, bulk submit, head approves: all public."""
    editor, head = make_user("editor", "stc"), make_user("head", "stc")
    workbook = Workbook()
    workbook.active.append(list(COLUMNS))
    for n in range(200):
        data = dict(EXAMPLE_ROW, code=f"1.{n + 100000:06d}", name=f"Thủ tục tài chính số {n + 1}")
        workbook.active.append([data[c] for c in COLUMNS])
    path = tmp_path / "thu-tuc-stc.xlsx"
    workbook.save(path)

    page.set_default_timeout(120000)  # 200 reviews with their notifications take a while on SQLite
    _login(page, live_server.url("stc", "/login"), editor)
    page.goto(live_server.url("stc", "/admin/procedure-import/"))
    page.set_input_files("input[type=file]", str(path))
    page.get_by_role("button", name="Check the file (dry run)").click()
    expect(page.get_by_text("Dry run: 200 procedures are ready to import, no errors.")).to_be_visible()
    page.get_by_role("button", name="Import 200 procedures").click()
    expect(page.locator(".import-progress")).to_contain_text("200 of 200 imported")
    page.get_by_role("button", name="Submit all drafts for review").click()
    expect(page.locator("tbody")).to_contain_text("in_review", timeout=120000)
    batch_url = page.url

    head_context = browser.new_context()
    head_page = head_context.new_page()
    head_page.set_default_timeout(120000)
    _login(head_page, live_server.url("stc", "/login"), head)
    head_page.goto(batch_url)
    head_page.get_by_role("button", name="Approve all waiting for me").click()
    expect(head_page.locator("tbody")).to_contain_text("published", timeout=120000)
    head_context.close()

    page.goto(live_server.url("stc", "/procedures/?lang=en"))
    expect(page.locator(".result-count")).to_have_text("Procedures found: 200")
    page.goto(live_server.url("stc", "/procedures/1.100199"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thủ tục tài chính số 200")
