"""R-19: the public procedures catalogue: filters, keyword search, detail, forms, print view, isolation."""

import pytest

from app.workflow.models import ReviewState


@pytest.fixture
def catalogue(make_procedure):
    make_procedure(
        "1.000001",
        name="Cấp phiếu lý lịch tư pháp",
        field="Lý lịch tư pháp",
        level="province",
        implementing_agency="Sở Tư pháp",
        online_level="full",
    )
    make_procedure(
        "1.000002",
        name="Đăng ký khai sinh",
        field="Hộ tịch",
        level="commune",
        implementing_agency="UBND cấp xã",
        online_level="partial",
    )
    make_procedure(
        "1.000003",
        name="Chứng thực bản sao",
        field="Chứng thực",
        level="district",
        implementing_agency="UBND cấp huyện",
        online_level="none",
    )
    make_procedure(
        "1.000004", name="Đăng ký kết hôn (bản nháp)", field="Hộ tịch", level="commune", state=ReviewState.DRAFT
    )


def _codes(client, query=""):
    html = client.get("/procedures/" + query).get_data(as_text=True)
    return {c for c in ("1.000001", "1.000002", "1.000003", "1.000004") if c in html}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", {"1.000001", "1.000002", "1.000003"}),
        ("?field=H%E1%BB%99+t%E1%BB%8Bch", {"1.000002"}),
        ("?level=district", {"1.000003"}),
        ("?agency=S%E1%BB%9F+T%C6%B0+ph%C3%A1p", {"1.000001"}),
        ("?online_level=partial", {"1.000002"}),
        ("?q=khai+sinh", {"1.000002"}),
        ("?q=Khai+Sinh", {"1.000002"}),
        ("?q=l%C3%BD+l%E1%BB%8Bch", {"1.000001"}),
        ("?q=1.000003", {"1.000003"}),
        ("?field=H%E1%BB%99+t%E1%BB%8Bch&level=province", set()),
    ],
)
def test_filters_and_diacritic_insensitive_search(client_for, catalogue, query, expected):
    """R-19: each filter (field, level, agency, online level, keyword with or without diacritics); drafts hidden."""
    assert _codes(client_for("stc"), query) == expected


def test_list_is_paginated(client_for, make_procedure):
    """R-19: 20 per page, a second page, and a page past the end is a 404."""
    for n in range(25):
        make_procedure(f"1.{n:06d}", name=f"Thủ tục số {n}")
    client = client_for("stc")
    assert client.get("/procedures/").get_data(as_text=True).count("/procedures/1.") == 20
    assert client.get("/procedures/?page=2").get_data(as_text=True).count("/procedures/1.") == 5
    assert client.get("/procedures/?page=3").status_code == 404


def test_detail_shows_every_field_and_the_form(client_for, make_procedure, pdf_form):
    """R-19: the detail page has the full record, channels with time and fee, and a downloadable form."""
    form = pdf_form()
    make_procedure(
        "1.005441",
        steps=["Bước 1: Nộp hồ sơ", "Bước 2: Nhận kết quả"],
        channels=[
            {
                "channel": "online",
                "processing_days": 2,
                "processing_time": "2 ngày làm việc",
                "fee": 50000,
                "fee_note": "",
            }
        ],
        components=[{"name": "Tờ khai đăng ký", "quantity": 2, "form_id": form.id}],
        applicants="Đơn vị sử dụng ngân sách",
        requirements="Không có",
        legal_basis="Thông tư số 185/2015/TT-BTC",
        result="Giấy chứng nhận",
        online_url="https://dichvucong.binhphuoc.gov.vn/x",
        competent_agency="UBND tỉnh",
    )
    client = client_for("stc")
    html = client.get("/procedures/1.005441").get_data(as_text=True)
    for text in (
        "Bước 2: Nhận kết quả",
        "2 ngày làm việc",
        "50.000",
        "Tờ khai đăng ký",
        "Đơn vị sử dụng ngân sách",
        "Thông tư số 185/2015/TT-BTC",
        "Giấy chứng nhận",
        "https://dichvucong.binhphuoc.gov.vn/x",
        "UBND tỉnh",
    ):
        assert text in html
    assert form.url in html
    download = client.get(form.url)
    assert download.status_code == 200 and download.data.startswith(b"%PDF")
    printed = client.get("/procedures/1.005441/print")
    assert printed.status_code == 200 and "Tờ khai đăng ký" in printed.get_data(as_text=True)


def test_drafts_and_other_tenants_are_404(client_for, make_procedure):
    """R-19, R-01: a draft is not public; another tenant's procedure does not exist on this host."""
    make_procedure("1.000010", state=ReviewState.DRAFT)
    make_procedure("1.000011", tenant="stp")
    stc = client_for("stc")
    assert stc.get("/procedures/1.000010").status_code == 404
    assert stc.get("/procedures/1.000011").status_code == 404
    assert stc.get("/procedures/1.000011/print").status_code == 404
    assert client_for("stp").get("/procedures/1.000011").status_code == 200


def test_site_search_finds_a_procedure_published_through_the_chain(client_for, make_procedure, make_user):
    """R-24: once approved, a procedure is found by the site search without diacritics."""
    from app.auth.operations import find_user
    from app.extensions import db
    from app.workflow.operations import transition

    editor, head = find_user(make_user("editor", "stc")), find_user(make_user("head", "stc"))
    proc = make_procedure("1.000030", name="Đăng ký khai sinh lưu động", state=ReviewState.DRAFT, author_id=editor.id)
    transition(proc, "submit", editor)
    transition(proc, "approve", head)
    db.session.commit()
    html = client_for("stc").get("/search?q=khai+sinh+luu+dong").get_data(as_text=True)
    assert "/procedures/1.000030" in html
