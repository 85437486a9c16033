"""Issue 16, staff: review what you approve. The preview of every type with a public page (a draft, a scheduled item,
a pending edit) on the tenant's host, staff only and never indexed; the side-by-side diff; review actions on the edit
page; a confirmation page before destructive actions; local times in the edit form.

Generated over every registered type that has a public page and a sample: a new type is covered without a new test.
"""

import re
from datetime import timedelta

import pytest
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select

from app.auth.operations import find_user
from app.core.models import Tenant
from app.core.timeutil import utcnow
from app.extensions import db
from app.modules import import_declarations
from app.news.models import Article
from app.workflow import registry
from app.workflow.models import Reviewable, ReviewState
from app.workflow.operations import start_revision, transition
from tests.search.test_index_current import _set_text

import_declarations()
PREVIEWABLE = sorted(ct.name for ct in registry.all_types() if ct.public_url is not None and ct.sample is not None)


def _make(app, ct, emails, text, publish=False, **values):
    """A sample of ``ct`` on stc titled ``text``: a draft, or published; returns its id and public URL."""
    with app.test_request_context(base_url="http://stc.localhost"):
        writer, head = (find_user(e) for e in emails)
        stc = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalars().one()
        item = ct.sample(stc, writer)
        _set_text(ct, item, text)
        for name, value in values.items():
            setattr(item, name, value)
        db.session.add(item)
        db.session.flush()
        for relation in sa_inspect(item).mapper.relationships:
            parent = getattr(item, relation.key)
            if isinstance(parent, Reviewable) and parent.state == ReviewState.DRAFT:
                # The item's public page is its parent's (an outcome: its consultation's), published as in life.
                transition(parent, "submit", writer)
                transition(parent, "approve", head)
        if publish:
            transition(item, "submit", writer)
            transition(item, "approve", head)
        db.session.commit()
        return item.id, ct.public_url(item)


def _path(url):
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.fixture
def staff(make_user, client_for):
    emails = make_user("contributor", "stc"), make_user("head", "stc")
    head = client_for("stc")
    head.login(emails[1])
    return emails, head


@pytest.mark.parametrize("type_name", PREVIEWABLE)
def test_a_draft_is_previewed_as_the_public_will_see_it(app, client_for, staff, type_name):
    """The preview renders the public page of a draft on its host, marked noindex and uncached; the public still
    gets nothing, and a visitor without an account gets no preview."""
    ct = registry.get(type_name)
    emails, head = staff
    item_id, url = _make(app, ct, emails, "Bản nháp Quokkaxem")
    preview = head.get(f"/admin/review/{type_name}/{item_id}/preview")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200, (type_name, preview.status_code)
    assert "Quokkaxem" in html and 'class="preview-banner"' in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert preview.headers["X-Robots-Tag"] == "noindex, nofollow" and "no-store" in preview.headers["Cache-Control"]
    assert "Quokkaxem" not in client_for("stc").get(_path(url)).get_data(as_text=True)
    assert client_for("stc").get(f"/admin/review/{type_name}/{item_id}/preview").status_code in (302, 401, 403)
    with app.app_context():
        assert db.session.get(ct.model, item_id).state == ReviewState.DRAFT


@pytest.mark.parametrize("type_name", PREVIEWABLE)
def test_a_pending_edit_is_previewed_in_place_of_the_live_version(app, client_for, staff, type_name):
    ct = registry.get(type_name)
    emails, head = staff
    item_id, url = _make(app, ct, emails, "Bản đang đăng Wombatcu", publish=True)
    with app.test_request_context(base_url="http://stc.localhost"):
        copy = start_revision(db.session.get(ct.model, item_id), find_user(emails[0]))
        _set_text(ct, copy, "Bản sửa Wombatmoi")
        db.session.commit()
    html = head.get(f"/admin/review/{type_name}/{item_id}/preview").get_data(as_text=True)
    assert "Wombatmoi" in html and "Wombatcu" not in html
    public = client_for("stc").get(_path(url)).get_data(as_text=True)
    assert "Wombatcu" in public and "Wombatmoi" not in public
    review = head.get(f"/admin/review/{type_name}/{item_id}").get_data(as_text=True)
    diff = review[review.index('id="review-diff"') :]
    assert re.search(r'class="diff-old">[^<]*(<del>)?[^<]*Wombatcu', diff), type_name
    assert re.search(r'class="diff-new">[^<]*(<ins>)?[^<]*Wombatmoi', diff), type_name
    assert f"/admin/review/{type_name}/{item_id}/preview" in review


def test_a_scheduled_item_is_previewed_before_its_time(app, client_for, staff):
    ct = registry.get("article")
    emails, head = staff
    later = utcnow() + timedelta(days=2)
    item_id, url = _make(app, ct, emails, "Tin hẹn giờ Capybarat", publish=True, publish_at=later)
    assert "Capybarat" not in client_for("stc").get(_path(url)).get_data(as_text=True)
    assert "Capybarat" in head.get(f"/admin/review/article/{item_id}/preview").get_data(as_text=True)


def test_another_sites_item_has_no_preview_here(app, client_for, staff, make_user):
    ct = registry.get("article")
    emails, _head = staff
    item_id, _url = _make(app, ct, emails, "Tin của Sở Tài chính Ocelotx")
    other = client_for("dongxoai")
    other.login(make_user("head", "dongxoai"))
    assert other.get(f"/admin/review/article/{item_id}/preview").status_code == 404


def _token(html):
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


@pytest.mark.parametrize("action", ["reject", "unpublish", "archive"])
def test_destructive_actions_ask_for_confirmation_first(app, staff, action):
    """Reject, unpublish and archive first show a confirmation page (no script); only "Yes" acts."""
    ct = registry.get("article")
    emails, head = staff
    published = action == "unpublish"
    item_id, _url = _make(app, ct, emails, "Tin cần xác nhận", publish=published)
    if action == "reject":
        with app.test_request_context(base_url="http://stc.localhost"):
            transition(db.session.get(Article, item_id), "submit", find_user(emails[0]))
            db.session.commit()
    page = f"/admin/review/article/{item_id}"
    token = _token(head.get(page).get_data(as_text=True))
    with app.app_context():
        before = db.session.get(Article, item_id).state
    data = {"csrf_token": token, "action": action, "comment": "Không phù hợp."}
    asked = head.post(f"{page}/transition", data=data)
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and 'name="confirmed" value="yes"' in html and "Không phù hợp." in html
    with app.app_context():
        assert db.session.get(Article, item_id).state == before
    done = head.post(f"{page}/transition", data={**data, "confirmed": "yes"})
    assert done.status_code == 302
    with app.app_context():
        assert db.session.get(Article, item_id).state != before


def test_save_and_submit_from_the_edit_page_with_local_times(app, make_user, client_for):
    """A contributor creates an article and submits it with one button; 08:00 entered is 08:00 in Vietnam (01:00
    UTC), shown again as 08:00, never with seconds."""
    writer = client_for("stc")
    writer.login(make_user("contributor", "stc"))
    create = writer.get("/admin/news_articles/new/")
    html = create.get_data(as_text=True)
    assert 'name="_review_action" value="submit"' in html
    with app.app_context():
        from app.news.models import Category
        from app.news.operations import ensure_default_categories

        stc = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalars().one()
        ensure_default_categories(stc)
        db.session.commit()
        category = db.session.execute(select(Category.id).where(Category.tenant_id == stc.id)).scalars().first()
    html = writer.get("/admin/news_articles/new/").get_data(as_text=True)
    form = {
        "csrf_token": _token(html),
        "title": "Tin hẹn giờ tám giờ sáng",
        "summary": "Tóm tắt.",
        "body": "<p>Nội dung.</p>",
        "category": str(category),
        "language": "vi",
        "publish_at": "25/12/2026 08:00",
        "_review_action": "submit",
    }
    saved = writer.post("/admin/news_articles/new/", data=form)
    assert saved.status_code == 302, saved.get_data(as_text=True)[-3000:]
    with app.app_context():
        article = db.session.execute(select(Article).where(Article.title == form["title"])).scalars().one()
        assert article.state == ReviewState.IN_REVIEW
        assert article.publish_at.strftime("%Y-%m-%d %H:%M:%S") == "2026-12-25 01:00:00"
        article_id = article.id
    edit = writer.get(f"/admin/news_articles/edit/?id={article_id}").get_data(as_text=True)
    assert 'value="25/12/2026 08:00"' in edit
    listing = writer.get("/admin/news_articles/").get_data(as_text=True)
    assert not re.search(r"\d{2}:\d{2}:\d{2}\.\d{6}", listing)
    bad = writer.post("/admin/news_articles/new/", data={**form, "publish_at": "2026-12-25 08:00:00", "title": "Khác"})
    assert bad.status_code == 200 and "dd/mm/yyyy HH:MM" in bad.get_data(as_text=True)


def test_the_author_withdraws_from_review_on_the_edit_page(app, make_user, client_for):
    """The edit page offers the author "withdraw" while the item is in review; the item is a draft again. The head
    cannot withdraw someone else's item."""
    ct = registry.get("article")
    emails = make_user("contributor", "stc"), make_user("head", "stc")
    item_id, _url = _make(app, ct, emails, "Tin rút lại")
    with app.test_request_context(base_url="http://stc.localhost"):
        transition(db.session.get(Article, item_id), "submit", find_user(emails[0]))
        db.session.commit()
    writer = client_for("stc")
    writer.login(emails[0])
    edit = writer.get(f"/admin/news_articles/edit/?id={item_id}").get_data(as_text=True)
    assert 'name="action" value="withdraw"' in edit
    head = client_for("stc")
    head.login(emails[1])
    review = head.get(f"/admin/review/article/{item_id}").get_data(as_text=True)
    assert 'value="withdraw"' not in review
    refused = head.post(
        f"/admin/review/article/{item_id}/transition", data={"csrf_token": _token(review), "action": "withdraw"}
    )
    assert refused.status_code == 302
    shown = head.get(refused.headers["Location"]).get_data(as_text=True)
    assert "Chỉ tác giả mới rút lại" in shown or "Only the author can withdraw" in shown
    with app.app_context():
        assert db.session.get(Article, item_id).state == ReviewState.IN_REVIEW
    done = writer.post(
        f"/admin/review/article/{item_id}/transition", data={"csrf_token": _token(edit), "action": "withdraw"}
    )
    assert done.status_code == 302
    with app.app_context():
        assert db.session.get(Article, item_id).state == ReviewState.DRAFT
