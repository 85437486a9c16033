"""Press releases: one declaration gives the public list and detail, the feed, the sitemap, search, the API
and the back office (R-05, R-06, R-08 b, R-09, R-11, R-24, R-33)."""

import feedparser
import pytest
from lxml import etree
from sqlalchemy import select

from app.auth.operations import find_user, issue_token
from app.core.models import Tenant
from app.extensions import db
from app.press.models import PressRelease
from app.workflow.operations import transition

TITLE = "Thông cáo báo chí về Hội nghị xúc tiến đầu tư Đồng Xoài"


@pytest.fixture
def people(app, make_user):
    with app.app_context():
        return {role: make_user(role, "stc") for role in ("contributor", "head")}


def _publish(app, people, code="stc", **fields):
    with app.app_context():
        tenant = db.session.execute(select(Tenant).where(Tenant.code == code)).scalar_one()
        author = find_user(people["contributor"])
        release = PressRelease(
            tenant_id=tenant.id, title=TITLE, summary="Tóm tắt thông cáo.", body="<p>Nội dung thông cáo.</p>",
            author_id=author.id, last_editor_id=author.id, **fields,
        )  # fmt: skip
        db.session.add(release)
        db.session.flush()
        transition(release, "submit", author)
        transition(release, "approve", find_user(people["head"]))
        db.session.commit()
        return release.id, release.slug


def test_published_release_is_listed_shown_in_feed_sitemap_and_search(app, client_for, people):
    """R-33, R-24: a published release has a page, an Atom entry, a sitemap URL and a search hit."""
    release_id, slug = _publish(app, people)
    assert slug and slug.startswith("thong-cao-bao-chi")
    client = client_for("stc")
    listing = client.get("/press/")
    assert listing.status_code == 200 and TITLE in listing.get_data(as_text=True)
    page = client.get(f"/press/{slug}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert TITLE in html and "<p>Nội dung thông cáo.</p>" in html
    feed = feedparser.parse(client.get("/feeds/press.atom").get_data())
    assert not feed.bozo and feed.entries[0].title == TITLE
    assert feed.entries[0].link == f"http://stc.localhost/press/{slug}"
    sitemap = etree.fromstring(client.get("/sitemap.xml").get_data())
    locs = [loc.text for loc in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert f"http://stc.localhost/press/{slug}" in locs
    search = client.get("/search?q=xuc tien dau tu dong xoai")
    assert f"/press/{slug}" in search.get_data(as_text=True)
    # Another site does not have it.
    assert client_for("dongxoai").get(f"/press/{slug}").status_code == 404
    assert TITLE not in client_for("dongxoai").get("/press/").get_data(as_text=True)


def test_draft_is_not_public(app, client_for, people):
    """R-09: before approval a release is on no public page."""
    with app.app_context():
        tenant = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalar_one()
        db.session.add(PressRelease(tenant_id=tenant.id, title="Bản nháp thông cáo", slug="ban-nhap"))
        db.session.commit()
    client = client_for("stc")
    assert client.get("/press/ban-nhap").status_code == 404
    assert "Bản nháp thông cáo" not in client.get("/press/").get_data(as_text=True)
    assert client.get("/api/v1/press").get_json()["total"] == 0


def test_api_create_patch_and_transitions(app, client_for, people):
    """R-09: staff create a draft, change it, submit and approve it through the API; anonymous callers see it then."""
    with app.app_context():
        contributor = {"Authorization": f"Bearer {issue_token(find_user(people['contributor']))}"}
        head = {"Authorization": f"Bearer {issue_token(find_user(people['head']))}"}
        db.session.commit()
    client = client_for("stc")
    created = client.post(
        "/api/v1/press",
        json={
            "title": TITLE,
            "body": "<p>Bản đầu</p>",
            "contact_email": "VanPhong@STC.gov.vn",
            "link": "https://stc.gov.vn/",
        },
        headers=contributor,
    )
    assert created.status_code == 201, created.get_json()
    item = created.get_json()
    assert item["state"] == "draft" and item["contact_email"] == "vanphong@stc.gov.vn"
    changed = client.patch(f"/api/v1/press/{item['id']}", json={"summary": "Tóm tắt mới"}, headers=contributor)
    assert changed.status_code == 200 and changed.get_json()["summary"] == "Tóm tắt mới"
    for action, who in (("submit", contributor), ("approve", head)):
        response = client.post(f"/api/v1/press/{item['id']}/transitions", json={"action": action}, headers=who)
        assert response.status_code == 201, response.get_json()
    public = client_for("stc").get(f"/api/v1/press/{item['id']}")
    assert public.status_code == 200 and public.get_json()["url"].startswith("http://stc.localhost/press/")
    assert client_for("dongxoai").get(f"/api/v1/press/{item['id']}").status_code == 404


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x", "link": "javascript:alert(1)"}, "link"),
        ({"title": "x", "contact_email": "không-phải-email"}, "contact_email"),
        ({"title": "x", "cover": 999999}, "cover"),
        ({"title": "x", "attachments": ["1"]}, "attachments"),
    ],
)
def test_api_refuses_bad_input_with_the_field(app, client_for, people, payload, field):
    """Bad input gets a 422 naming the field, never a 500 and never a stored value."""
    with app.app_context():
        header = {"Authorization": f"Bearer {issue_token(find_user(people['contributor']))}"}
        db.session.commit()
    response = client_for("stc").post("/api/v1/press", json=payload, headers=header)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]
    with app.app_context():
        assert db.session.execute(select(PressRelease)).first() is None


def test_back_office_creates_a_draft(app, client_for, people):
    """R-09: the contributor writes a release in the back office form derived from the declaration."""
    client = client_for("stc")
    client.login(people["contributor"])
    form = client.get("/admin/press_admin/new/")
    html = form.get_data(as_text=True)
    for name in ("title", "body", "cover_id", "attachments", "contact_email", "link", "title_en", "publish_at"):
        assert f'name="{name}"' in html, name
    assert 'class="rich-text form-control"' in html and 'data-media-picker="single"' in html
    token = client.csrf_token("/admin/press_admin/new/")
    response = client.post(
        "/admin/press_admin/new/",
        data={
            "csrf_token": token,
            "title": "Thông cáo từ biểu mẫu",
            "body": "<p>Nội dung</p>",
            "link": "https://a.vn/",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        release = db.session.execute(select(PressRelease)).scalar_one()
        assert release.state == "draft" and release.tenant.code == "stc" and release.link == "https://a.vn/"


def test_press_pages_are_valid_html5(app, client_for, people, tmp_path):
    """R-33: the list, a release with attachments and links, and the English pages pass the Nu checker."""
    import json
    import subprocess

    from tests.e2e.test_standards import VNU

    extra = {"link": "https://stc.binhphuoc.gov.vn/", "contact_name": "Văn phòng Sở", "title_en": "Press release",
             "contact_email": "vanphong@stc.gov.vn", "body_en": "<p>Text</p>"}  # fmt: skip
    _, slug = _publish(app, people, **extra)
    files = []
    for i, path in enumerate(("/press/", f"/press/{slug}")):
        for lang in ("vi", "en"):
            response = client_for("stc").get(f"{path}?lang={lang}")
            assert response.status_code == 200
            target = tmp_path / f"press-{i}-{lang}.html"
            target.write_bytes(response.get_data())
            files.append(str(target))
    result = subprocess.run(["java", "-jar", VNU, "--format", "json", "--exit-zero-always", *files],
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    messages = json.loads(result.stderr or result.stdout)["messages"]
    assert [m["message"] for m in messages if m["type"] == "error"] == []
