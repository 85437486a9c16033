"""R-23, R-08 f/i/k: projects calling for investment, bidding notices, science programmes."""

from datetime import date

import pytest

from app.workflow.models import ReviewState


@pytest.fixture
def portfolio(make_project):
    return {
        "investment": make_project(
            "investment",
            title="Khu công nghiệp Minh Hưng mở rộng",
            field="Công nghiệp",
            status="calling",
            location="Chơn Thành",
            total_capital=3_200_000_000_000,
        ),
        "bidding": make_project(
            "bidding",
            title="Gói thầu xây lắp đường ĐT.741",
            field="Giao thông",
            status="open",
            procuring_entity="Sở Giao thông vận tải",
            procurement_method="Đấu thầu rộng rãi",
            tender_opens_at=date(2026, 11, 2),
            tender_closes_at=date(2026, 12, 15),
            estimated_value=96_500_000_000,
        ),
        "science": make_project(
            "science",
            code="ĐT.01/2025",
            title="Chọn tạo giống điều năng suất cao",
            field="Nông nghiệp",
            status="ongoing",
            management_level="provincial",
            lead_organisation="Trường Đại học Nông Lâm",
            start_year=2025,
            end_year=2027,
        ),
        "draft": make_project("science", title="Đề tài nháp", state=ReviewState.DRAFT),
    }


TITLES = {
    "investment": "Khu công nghiệp Minh Hưng mở rộng",
    "bidding": "Gói thầu xây lắp đường ĐT.741",
    "science": "Chọn tạo giống điều năng suất cao",
    "draft": "Đề tài nháp",
}


def _kinds_on(client, path):
    html = client.get(path).get_data(as_text=True)
    return {k for k, title in TITLES.items() if title in html}


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/projects/", {"investment", "bidding", "science"}),
        ("/projects/investment/", {"investment"}),
        ("/projects/bidding/", {"bidding"}),
        ("/projects/science/", {"science"}),
        ("/projects/?kind=bidding", {"bidding"}),
        ("/projects/?field=N%C3%B4ng+nghi%E1%BB%87p", {"science"}),
        ("/projects/bidding/?status=open", {"bidding"}),
        ("/projects/bidding/?status=awarded", set()),
        ("/projects/?q=khu+cong+nghiep", {"investment"}),
    ],
)
def test_lists_and_filters(client_for, portfolio, path, expected):
    """R-23: the three kinds as sections (science at /projects/science/), filters by field, status, keyword."""
    assert _kinds_on(client_for("skhdt"), path) == expected


def test_detail_pages_show_the_kind_fields(client_for, portfolio):
    """R-23: each detail page shows its kind's own fields; drafts and other tenants are 404."""
    client = client_for("skhdt")
    investment = client.get(f"/projects/{portfolio['investment'].id}").get_data(as_text=True)
    assert "Chơn Thành" in investment and "3.200.000.000.000 đồng" in investment
    bidding = client.get(f"/projects/{portfolio['bidding'].id}").get_data(as_text=True)
    assert "Sở Giao thông vận tải" in bidding and "15/12/2026" in bidding and "96.500.000.000 VND" in bidding
    science = client.get(f"/projects/{portfolio['science'].id}").get_data(as_text=True)
    assert "Trường Đại học Nông Lâm" in science and "2025 – 2027" in science
    assert client.get(f"/projects/{portfolio['draft'].id}").status_code == 404
    assert client_for("stc").get(f"/projects/{portfolio['investment'].id}").status_code == 404


def test_api_kind_filter_and_isolation(client_for, portfolio):
    """Contract: /api/v1/projects with a kind filter, published only; detail 404 across tenants."""
    api = client_for("skhdt")
    assert api.get("/api/v1/projects").get_json()["total"] == 3
    items = api.get("/api/v1/projects?kind=bidding").get_json()["items"]
    assert [i["title"] for i in items] == [TITLES["bidding"]]
    assert items[0]["details"]["estimated_value"] == 96_500_000_000
    assert items[0]["details"]["tender_closes_at"] == "2026-12-15"
    assert items[0]["url"] == f"http://skhdt.localhost/projects/{portfolio['bidding'].id}"
    assert api.get("/api/v1/projects?kind=other").status_code == 400
    assert api.get(f"/api/v1/projects/{portfolio['draft'].id}").status_code == 404
    assert client_for("stc").get(f"/api/v1/projects/{portfolio['science'].id}").status_code == 404
    assert api.get(f"/api/v1/projects/{portfolio['science'].id}").get_json()["details"]["start_year"] == 2025


def test_back_office_lists_are_per_kind(client_for, make_user, portfolio):
    """R-23: each back-office list shows only its kind (and its tenant)."""
    client = client_for("skhdt")
    client.login(make_user("editor", "skhdt"))
    html = client.get("/admin/projects_science_admin/").get_data(as_text=True)
    assert TITLES["science"] in html and TITLES["bidding"] not in html
    assert client.get(f"/admin/projects_science_admin/edit/?id={portfolio['bidding'].id}").status_code in (302, 404)
