"""R-08 a f n, R-03: standing pages reviewed before publication, section hubs, and the subsite directory."""

import pytest
from sqlalchemy import select

from app.auth.operations import find_user
from app.core.models import Tenant
from app.core.timeutil import utcnow
from app.extensions import db
from app.pages.models import Page
from app.workflow.models import ReviewState
from app.workflow.operations import start_revision, transition


@pytest.fixture
def ctx(app):
    with app.test_request_context(base_url="http://localhost"):
        yield


@pytest.fixture
def make_page(ctx):
    def make(code="stc", slug="gioi-thieu", state=ReviewState.PUBLISHED, **fields):
        tenant = db.session.execute(select(Tenant).where(Tenant.code == code)).scalars().one()
        fields.setdefault("title", "Giới thiệu Sở Tài chính")
        fields.setdefault("body", "<p>Sở Tài chính tỉnh Bình Phước</p>")
        page = Page(tenant_id=tenant.id, slug=slug, state=state,
                    published_at=utcnow() if state == ReviewState.PUBLISHED else None, **fields)  # fmt: skip
        db.session.add(page)
        db.session.commit()
        return page

    return make


def test_introduction_page_and_tenant_isolation(client_for, make_page):
    """R-08 a, R-01: /pages/gioi-thieu shows the tenant's own introduction, never another's."""
    make_page(body="<p>Sở Tài chính tỉnh Bình Phước</p>")
    html = client_for("stc").get("/pages/gioi-thieu").get_data(as_text=True)
    assert "Sở Tài chính tỉnh Bình Phước" in html
    other = client_for("sct").get("/pages/gioi-thieu")
    assert other.status_code == 200 and "Sở Tài chính tỉnh Bình Phước" not in other.get_data(as_text=True)
    assert client_for("sct").get("/pages/khong-co").status_code == 404


def test_pages_are_reviewed_and_revisions_wait(client_for, make_page, make_user, ctx):
    """R-09, R-13: a draft is hidden; an edit of a published page stays offline until approved."""
    editor = find_user(make_user("editor", "stc"))
    head = find_user(make_user("head", "stc"))
    draft = make_page(slug="nhap", title="Trang nháp", state=ReviewState.DRAFT, author_id=editor.id)
    assert client_for("stc").get("/pages/nhap").status_code == 404
    live = make_page(slug="chuc-nang-nhiem-vu", title="Chức năng, nhiệm vụ", section="functions")
    copy = start_revision(live, editor)
    copy.body = "<p>Nội dung mới</p>"
    copy.last_editor_id = editor.id
    db.session.commit()
    assert copy.slug is None
    transition(copy, "submit", editor)
    db.session.commit()
    assert "Nội dung mới" not in client_for("stc").get("/pages/chuc-nang-nhiem-vu").get_data(as_text=True)
    transition(copy, "approve", head)
    db.session.commit()
    assert "Nội dung mới" in client_for("stc").get("/pages/chuc-nang-nhiem-vu").get_data(as_text=True)
    index = client_for("stc").get("/pages/").get_data(as_text=True)
    assert "Chức năng, nhiệm vụ" in index and "Trang nháp" not in index
    assert draft.id


def test_planning_lists_planning_pages_only(client_for, make_page):
    """R-08 f: /planning/ lists the pages of the planning section."""
    make_page(slug="quy-hoach-tinh", title="Quy hoạch tỉnh thời kỳ 2021-2030", section="planning")
    make_page(slug="lich-su", title="Lịch sử hình thành", section="other")
    html = client_for("stc").get("/planning/").get_data(as_text=True)
    assert 'href="/pages/quy-hoach-tinh"' in html and "Lịch sử hình thành" not in html


def test_back_office_page_form_sanitises_and_checks_slug(client_for, make_user, ctx):
    """R-08 n, R-26: staff create a page; script is removed; a bad or reserved address is an error, not a 500."""
    c = client_for("stc")
    c.login(make_user("editor", "stc"))
    token = c.csrf_token("/admin/pages_admin/new/")
    data = {"csrf_token": token, "title": "Lịch sử", "slug": "Ban Biên Tập!", "section": "other", "sort_order": "0",
            "body": "<p>Nội dung</p><script>alert(1)</script>"}  # fmt: skip
    bad = c.post("/admin/pages_admin/new/", data=data)
    assert bad.status_code == 200 and db.session.execute(select(Page)).first() is None
    data["slug"] = "ban-bien-tap"
    assert c.post("/admin/pages_admin/new/", data=data).status_code == 200
    assert db.session.execute(select(Page)).first() is None
    data["slug"] = "lich-su"
    assert c.post("/admin/pages_admin/new/", data=data).status_code == 302
    page = db.session.execute(select(Page)).scalars().one()
    assert page.state == "draft" and "<script" not in page.body and page.slug == "lich-su"


def test_direction_hub_links_schedule_and_answers(client_for):
    """R-08 b: /direction/ links the leaders' schedule and the answers to petitions."""
    html = client_for("dongxoai").get("/direction/").get_data(as_text=True)
    assert 'href="/schedule/"' in html and 'href="/questions/"' in html


def test_links_show_latest_update_per_subsite(client_for, make_page):
    """R-03, R-08 m: the portal's directory shows each subsite's latest published update and the e-gazette."""
    make_page(code="stc")
    html = client_for("portal").get("/links/").get_data(as_text=True)
    stc = html.split('href="http://stc.localhost/"', 1)[1].split("</li>", 1)[0]
    assert "<time" in stc
    sct = html.split('href="http://sct.localhost/"', 1)[1].split("</li>", 1)[0]
    assert "<time" not in sct
    assert 'href="http://congbao.localhost/"' in html and "dichvucong" in html


def test_page_attachments_are_the_tenants_own(client_for, make_user, ctx):
    """R-05, R-01: a page lists its documents; another tenant's file id is dropped on save."""
    from app.media.models import MediaFile

    tenants = {t.code: t for t in db.session.execute(select(Tenant)).scalars()}
    own = MediaFile(tenant_id=tenants["stc"].id, kind="document", stored_name="a1.pdf", original_name="ban-do.pdf",
                    caption="Bản đồ hành chính", content_type="application/pdf", size=2048,
                    sha256="0" * 64)  # fmt: skip
    other = MediaFile(tenant_id=tenants["sct"].id, kind="document", stored_name="b2.pdf", original_name="x.pdf",
                      content_type="application/pdf", size=10, sha256="1" * 64)  # fmt: skip
    db.session.add_all([own, other])
    db.session.commit()
    c = client_for("stc")
    c.login(make_user("editor", "stc"))
    form = c.get("/admin/pages_admin/new/").get_data(as_text=True)
    assert "Bản đồ hành chính" in form and f'value="{other.id}"' not in form
    data = {"csrf_token": c.csrf_token("/admin/pages_admin/new/"), "title": "Bản đồ", "slug": "ban-do",
            "section": "introduction", "sort_order": "0", "body": "<p>Bản đồ</p>",
            "attachments": [str(own.id)]}  # fmt: skip
    assert c.post("/admin/pages_admin/new/", data=data).status_code == 302
    page = db.session.execute(select(Page)).scalars().one()
    assert page.attachments == [own.id]
    page.state, page.published_at = ReviewState.PUBLISHED, utcnow()
    db.session.commit()
    html = client_for("stc").get("/pages/ban-do").get_data(as_text=True)
    assert 'href="/media/a1.pdf"' in html and "Bản đồ hành chính" in html


def test_two_pages_of_a_site_cannot_share_an_address(client_for, make_page, make_user, ctx):
    """R-08 n: an address already used by a page of the site is refused; another site may use it."""
    make_page(slug="lich-su", title="Lịch sử")
    make_page(code="sct", slug="ban-do", title="Bản đồ")
    c = client_for("stc")
    c.login(make_user("editor", "stc"))
    data = {"csrf_token": c.csrf_token("/admin/pages_admin/new/"), "title": "Lịch sử hình thành", "slug": "lich-su",
            "section": "other", "sort_order": "0", "body": "<p>Nội dung</p>"}  # fmt: skip
    refused = c.post("/admin/pages_admin/new/", data=data)
    assert refused.status_code == 200 and "đã dùng địa chỉ này" in refused.get_data(as_text=True)
    data["slug"] = "ban-do"
    assert c.post("/admin/pages_admin/new/", data=data).status_code == 302
    assert db.session.execute(select(Page).where(Page.title == "Lịch sử hình thành")).scalars().one().slug == "ban-do"
