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


def _document(tenant, name):
    from app.media.models import MediaFile

    return MediaFile(tenant_id=tenant.id, kind="document", stored_name=name, original_name=name,
                     content_type="application/pdf", size=10, sha256=name[0] * 64)  # fmt: skip


def test_attachments_are_picked_from_the_library_and_shown_under_both_names(
    client_for, make_user, make_project, tenants
):
    """R-05, R-23: the back office picks the site's files (no ids typed in); the API shows them as
    ``attachments`` and, for integrators of the first version, as ``documents``."""
    from app.extensions import db
    from app.projects.models import Project

    own, other = _document(tenants["skhdt"], "a1.pdf"), _document(tenants["stc"], "b1.pdf")
    db.session.add_all([own, other])
    db.session.commit()
    project = make_project("investment", state=ReviewState.DRAFT, status="calling")
    c = client_for("skhdt")
    c.login(make_user("editor", "skhdt"))
    edit = f"/admin/projects_investment_admin/edit/?id={project.id}"
    form = c.get(edit).get_data(as_text=True)
    picker = form.split('name="attachments"', 1)[1].split("</select>", 1)[0]
    assert "data-media-picker" in form and f'value="{own.id}"' in picker and f'value="{other.id}"' not in picker
    data = {"csrf_token": c.csrf_token(edit), "title": project.title, "field": "Du lịch", "status": "calling",
            "total_capital": "850000000000", "attachments": [str(own.id)]}  # fmt: skip
    assert c.post(edit, data=data).status_code == 302
    db.session.expire_all()
    saved = db.session.get(Project, project.id)
    assert saved.attachments == [own.id] and saved.kind == "investment"
    saved.state, saved.published_at = ReviewState.PUBLISHED, saved.updated_at
    db.session.commit()
    body = client_for("skhdt").get(f"/api/v1/projects/{project.id}").get_json()
    assert [f["name"] for f in body["attachments"]] == ["a1.pdf"] and body["documents"] == body["attachments"]
    assert body["details"]["total_capital"] == 850_000_000_000


def test_a_revision_of_a_live_project_keeps_its_kinds_fields(make_project, make_user, tenants):
    """R-09, R-23: editing a published project works on a copy that carries every declared field."""
    from app.auth.operations import find_user
    from app.workflow.operations import start_revision

    project = make_project("bidding", status="open", procuring_entity="Sở Y tế", estimated_value=28_400_000_000,
                           tender_closes_at=date(2026, 12, 15))  # fmt: skip
    copy = start_revision(project, find_user(make_user("editor", "skhdt")))
    assert copy.id != project.id and copy.kind == "bidding" and copy.procuring_entity == "Sở Y tế"
    assert copy.estimated_value == project.estimated_value and copy.tender_closes_at == date(2026, 12, 15)


def test_a_negative_amount_is_refused(client_for, make_user, make_project):
    """R-23: amounts are in VND and never below zero; the form says so instead of saving."""
    from app.extensions import db
    from app.projects.models import Project

    project = make_project("investment", state=ReviewState.DRAFT, status="calling", total_capital=5)
    c = client_for("skhdt")
    c.login(make_user("editor", "skhdt"))
    edit = f"/admin/projects_investment_admin/edit/?id={project.id}"
    data = {"csrf_token": c.csrf_token(edit), "title": project.title, "status": "calling", "total_capital": "-1"}
    assert c.post(edit, data=data).status_code == 200
    db.session.expire_all()
    assert db.session.get(Project, project.id).total_capital == 5
