"""Search across the portal and every subsite (R-24, R-07)."""

import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth.operations import find_user
from app.core.models import Tenant
from app.core.timeutil import utcnow
from app.extensions import db
from app.news.models import Article
from app.search.indexing import reindex_all
from app.workflow.operations import transition


@pytest.fixture
def publish(app, make_user):
    """``publish("stc", title, body)`` creates an article and takes it through stc's chain."""
    heads = {}

    def make(code, title, body="", **fields):
        if code not in heads:
            roles = ("contributor", "editor", "head") if code == "portal" else ("contributor", "head")
            heads[code] = [make_user(role, code) for role in roles]
        with app.test_request_context(base_url="http://localhost"):
            tenant = db.session.execute(select(Tenant).where(Tenant.code == code)).scalars().one()
            writer = find_user(heads[code][0])
            reviewers = [find_user(email) for email in heads[code][1:]]
            slug = f"{code}-{abs(hash(title)) % 100000}"
            article = Article(tenant_id=tenant.id, title=title, body=body, slug=slug, author_id=writer.id, **fields)
            db.session.add(article)
            db.session.flush()
            transition(article, "submit", writer)
            for reviewer in reviewers:
                transition(article, "approve", reviewer)
            db.session.commit()
            return article.id

    return make


def test_portal_search_finds_every_sites_items_without_accents(client_for, publish):
    """R-24, R-07: the portal searches all subsites; "dieu" finds "Điều", case and accents ignored."""
    publish("stc", "Quyết toán ngân sách tỉnh năm 2025", "Sở Tài chính công bố quyết toán.")
    publish("dongxoai", "Đồng Xoài chỉnh trang đô thị", "Ngân sách phường được phân bổ.")
    publish("portal", "Hội nghị điều hành kinh tế", "")
    html = client_for("portal").get("/search?q=ngan+sach").get_data(as_text=True)
    assert "Quyết toán ngân sách tỉnh năm 2025" in html and "Đồng Xoài chỉnh trang đô thị" in html
    assert "Sở Tài chính" in html and "Hội nghị điều hành" not in html
    assert "Hội nghị điều hành kinh tế" in client_for("portal").get("/search?q=DIEU+HANH").get_data(as_text=True)


def test_subsite_searches_its_own_site_unless_asked(client_for, publish):
    """R-24: a subsite searches itself by default and the whole province with scope=all."""
    publish("stc", "Hướng dẫn quyết toán vốn đầu tư")
    publish("dongxoai", "Đầu tư hạ tầng nông thôn")
    own = client_for("dongxoai").get("/search?q=dau+tu").get_data(as_text=True)
    assert "Đầu tư hạ tầng nông thôn" in own and "Hướng dẫn quyết toán" not in own
    everywhere = client_for("dongxoai").get("/search?q=dau+tu&scope=all").get_data(as_text=True)
    assert "Hướng dẫn quyết toán vốn đầu tư" in everywhere


def test_unpublished_scheduled_and_draft_items_are_not_found(app, client_for, publish, make_user):
    """R-24, R-09: only what the public may see now is found."""
    future = publish("stc", "Thông báo tuyển dụng công chức", publish_at=utcnow() + timedelta(seconds=2))
    assert "tuyển dụng" not in client_for("portal").get("/search?q=tuyen+dung").get_data(as_text=True)
    time.sleep(2.1)  # no job runs: the item appears when its publish_at passes
    assert "Thông báo tuyển dụng công chức" in client_for("portal").get("/search?q=tuyen+dung").get_data(as_text=True)
    with app.test_request_context(base_url="http://localhost"):
        head = find_user("head.stc@test.vn")
        transition(db.session.get(Article, future), "unpublish", head, "Đã hết hạn")
        db.session.commit()
    assert "tuyển dụng" not in client_for("portal").get("/search?q=tuyen+dung").get_data(as_text=True)


def test_search_api(client_for, publish):
    """R-24: the API returns the contract's list shape with absolute URLs on each item's own host."""
    publish("stc", "Công khai ngân sách quý III")
    body = client_for("portal").get("/api/v1/search?q=cong+khai").json
    assert body["total"] == 1 and body["page"] == 1
    item = body["items"][0]
    assert item["tenant"] == "stc" and item["url"].startswith("http://stc.localhost/news/")
    assert client_for("portal").get("/api/v1/search").status_code == 400
    assert client_for("portal").get("/api/v1/search?q=" + "a" * 300).status_code == 400


def test_reindex_rebuilds_from_published_items(app, client_for, publish):
    """R-24: `flask search reindex` rebuilds the index."""
    publish("stc", "Bảng giá đất giai đoạn mới")
    with app.app_context():
        assert reindex_all() == 1
    assert "Bảng giá đất" in client_for("portal").get("/search?q=bang+gia+dat").get_data(as_text=True)


def test_empty_and_hostile_queries_are_safe(client_for):
    """R-24: empty, wildcard and markup queries never error and are escaped."""
    c = client_for("portal")
    assert c.get("/search").status_code == 200
    assert c.get("/search?q=%25_%25").status_code == 200
    html = c.get("/search?q=<script>alert(1)</script>").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html


def test_snippet_marks_the_words_and_escapes_the_content(client_for, publish):
    """R-24: the snippet shows the passage with the words in <mark>, folded ("dong" marks "Đồng"), and markup in
    an item's text stays text."""
    publish("stc", "Thông báo về phí", "<p>Mức phí &lt;b&gt;mới&lt;/b&gt; áp dụng tại Đồng Xoài từ tháng sau.</p>")
    item = client_for("portal").get("/api/v1/search?q=dong+xoai").json["items"][0]
    assert "<mark>Đồng</mark> <mark>Xoài</mark>" in item["snippet"]
    assert "<b>" not in item["snippet"] and "&lt;b&gt;mới&lt;/b&gt;" in item["snippet"]
    html = client_for("portal").get("/search?q=dong+xoai").get_data(as_text=True)
    assert "<mark>Đồng</mark> <mark>Xoài</mark>" in html and "<b>mới</b>" not in html


def test_title_outweighs_body_and_the_last_word_is_a_prefix(client_for, publish):
    """R-24: the item with the words in its title comes before one with them in the body, whatever the dates;
    "cao tốc thủ da" finds "Thủ Dầu Một" (prefix of the last word)."""
    publish("stc", "Tin tổng hợp trong tuần", "<p>Dự án cao tốc Thủ Dầu Một - Chơn Thành được đẩy nhanh.</p>")
    publish("sgtvt", "Cao tốc Thủ Dầu Một - Chơn Thành khởi công", "<p>Lễ khởi công.</p>")
    titles = [i["title"] for i in client_for("portal").get("/api/v1/search?q=cao+toc+thu+da").json["items"]]
    assert titles == ["Cao tốc Thủ Dầu Một - Chơn Thành khởi công", "Tin tổng hợp trong tuần"]


def test_facets_count_and_filter_by_site_type_and_year(client_for, publish):
    """R-24: facets count the matches per site, type and year; each filter narrows the list, on the API and the
    page (links that work without JavaScript); a filter nothing can match is a 400 in the API."""
    publish("stc", "Kế hoạch chuyển đổi số năm 2026")
    publish("stc", "Chuyển đổi số trong ngành tài chính")
    publish("dongxoai", "Đồng Xoài đẩy mạnh chuyển đổi số")
    client = client_for("portal")
    body = client.get("/api/v1/search?q=chuyen+doi+so").json
    sites = {f["value"]: f["count"] for f in body["facets"]["site"]}
    assert body["total"] == 3 and sites == {"stc": 2, "dongxoai": 1}
    assert [(f["value"], f["count"]) for f in body["facets"]["type"]] == [("article", 3)]
    assert [f["count"] for f in body["facets"]["year"]] == [3]
    only = client.get("/api/v1/search?q=chuyen+doi+so&site=dongxoai").json
    assert only["total"] == 1 and only["items"][0]["site"] == "dongxoai"
    # The site facet still counts every site with a site chosen (it ignores its own filter).
    assert {f["value"] for f in only["facets"]["site"]} == {"stc", "dongxoai"}
    year = body["facets"]["year"][0]["value"]
    assert client.get(f"/api/v1/search?q=chuyen+doi+so&year={year}").json["total"] == 3
    assert client.get(f"/api/v1/search?q=chuyen+doi+so&year={year - 1}").json["total"] == 0
    assert client.get("/api/v1/search?q=chuyen+doi+so&type=procedure").json["total"] == 0
    for bad in ("site=nowhere", "type=nothing", "year=abc", "lang=fr", "scope=some"):
        answer = client.get(f"/api/v1/search?q=chuyen+doi+so&{bad}")
        assert answer.status_code == 400 and answer.json["error"]["fields"], bad
    html = client.get("/search?q=chuyen+doi+so").get_data(as_text=True)
    assert "site=dongxoai" in html and "(2)" in html
    filtered = client.get("/search?q=chuyen+doi+so&site=dongxoai").get_data(as_text=True)
    assert "Đồng Xoài đẩy mạnh chuyển đổi số" in filtered and "Kế hoạch chuyển đổi số" not in filtered


def test_a_syndicated_copy_and_its_original_are_one_result_naming_both_sites(app, client_for, publish, make_user):
    """R-24, R-10: proposed to the portal and published there, the article is one result on the portal (the
    portal's copy) and one on the subsite with scope=all (the original), each naming both sites."""
    original = publish("stc", "Công khai dự toán ngân sách năm 2027", "<p>Số liệu dự toán.</p>")
    reviewers = make_user("editor", "portal"), make_user("head", "portal")
    with app.test_request_context(base_url="http://stc.localhost"):
        head = find_user("head.stc@test.vn")
        transition(db.session.get(Article, original), "propose_to_portal", head)
        db.session.commit()
        copy = db.session.execute(select(Article).where(Article.source_object_id == original)).scalars().one()
        editor, portal_head = (find_user(email) for email in reviewers)
        transition(copy, "approve", editor)
        transition(copy, "approve", portal_head)
        db.session.commit()
    portal = client_for("portal").get("/api/v1/search?q=cong+khai+du+toan").json
    assert portal["total"] == 1 and len(portal["items"]) == 1
    assert portal["items"][0]["site"] == "portal"
    assert [s["code"] for s in portal["items"][0]["sites"]] == ["portal", "stc"]
    subsite = client_for("stc").get("/api/v1/search?q=cong+khai+du+toan&scope=all").json
    assert subsite["total"] == 1 and subsite["items"][0]["site"] == "stc"
    assert [s["code"] for s in subsite["items"][0]["sites"]] == ["stc", "portal"]
    html = client_for("portal").get("/search?q=cong+khai+du+toan").get_data(as_text=True)
    assert html.count("Công khai dự toán ngân sách năm 2027</a>") == 1


def test_english_is_searched_in_english(client_for, publish):
    """R-06, R-24: ?lang=en searches the English version; Vietnamese words find the Vietnamese one only."""
    publish("stc", "Hội nghị sơ kết", "<p>Nội dung.</p>", title_en="Mid-year review conference", body_en="<p>Text</p>")
    client = client_for("portal")
    english = client.get("/api/v1/search?q=review+conference&lang=en").json
    assert english["total"] == 1 and english["items"][0]["title"] == "Mid-year review conference"
    assert client.get("/api/v1/search?q=review+conference&lang=vi").json["total"] == 0
    assert client.get("/api/v1/search?q=hoi+nghi+so+ket&lang=en").json["total"] == 0
    assert client.get("/api/v1/search?q=hoi+nghi+so+ket&lang=vi").json["items"][0]["title"] == "Hội nghị sơ kết"


def test_the_index_is_rebuilt_by_a_restore(app, client_for, publish, tmp_path):
    """R-24, R-13: the derived index (FTS5 table, tsvector) is not in the backup; a restore rebuilds it from the
    restored rows: what was published after the backup is no longer found, what was before is found again."""
    from app.backup.operations import create_backup, restore_backup

    publish("stc", "Bảng giá đất giai đoạn mới")
    with app.app_context():
        path, manifest = create_backup(str(tmp_path / "backup.tar.gz"))
    assert "document" not in manifest["columns"]["search_entry"]
    publish("stc", "Thông báo đấu giá quyền sử dụng đất")
    with app.app_context():
        restore_backup(path)
    client = client_for("portal")
    assert [i["title"] for i in client.get("/api/v1/search?q=dat").json["items"]] == ["Bảng giá đất giai đoạn mới"]
    assert client.get("/api/v1/search?q=dau+gia").json["total"] == 0
