"""R-18, R-17: following without an account, My news, double opt-in, one-click unsubscribe, digests."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.models import Tenant
from app.core.timeutil import utcnow
from app.extensions import db
from app.news.models import Article
from app.subscriptions.models import Subscription
from app.workflow.models import ReviewState
from tests.moderation.helpers import form_post


@pytest.fixture
def publish_article(app):
    def make(code, title, when=None):
        with app.app_context():
            t = db.session.execute(select(Tenant).where(Tenant.code == code)).scalar_one()
            a = Article(tenant_id=t.id, title=title, state=ReviewState.PUBLISHED, published_at=when or utcnow())
            db.session.add(a)
            db.session.commit()
            return a.id

    return make


def _follow(client, tenants=(), topics=()):
    token = client.csrf_token("/my/")
    return client.post("/my/follow", data={"csrf_token": token, "tenant": list(tenants), "topic": list(topics)})


def test_follow_agencies_without_an_account(client_for, publish_article):
    """R-18: a visitor follows stc; My news lists stc's news and not dongxoai's."""
    publish_article("stc", "Sở Tài chính công khai dự toán ngân sách")
    publish_article("dongxoai", "Đồng Xoài khánh thành công viên")
    portal = client_for("portal")
    assert "Sở Tài chính công khai" not in portal.get("/my/").get_data(as_text=True)
    assert _follow(portal, tenants=["stc", "not-a-tenant"]).status_code == 302
    html = portal.get("/my/").get_data(as_text=True)
    assert "Sở Tài chính công khai" in html and "Đồng Xoài khánh thành" not in html
    assert 'value="stc" checked' in html


def test_tampered_cookie_is_ignored(client_for, publish_article):
    publish_article("stc", "Tin của Sở Tài chính")
    portal = client_for("portal")
    portal._client.set_cookie("follow", '{"t":["stc"]}', domain="localhost")
    html = portal.get("/my/").get_data(as_text=True)
    assert "Tin của Sở Tài chính" not in html


def test_double_opt_in_digest_and_unsubscribe(app, client_for, publish_article, runner, smtp_server):
    """R-18, R-17: nothing is sent before confirmation; digests hold new items once; one-click unsubscribe."""
    portal = client_for("portal")
    _follow(portal, tenants=["stc"])
    response = form_post(
        portal, "/my/", "subscribe", {"email": "reader@example.vn", "consent": "y"}, action="/my/subscribe"
    )
    assert response.status_code == 200
    [confirm_mail] = smtp_server.messages
    link = re.search(r"http://localhost/my/subscribe/confirm/\S+", confirm_mail["body"]).group(0)
    publish_article("stc", "Tin trước khi xác nhận", when=utcnow() - timedelta(hours=1))
    runner.invoke(args=["subscriptions", "send"])
    assert len(smtp_server.messages) == 1  # unconfirmed: nothing sent
    assert portal.get(link.replace("http://localhost", "")).status_code == 200
    publish_article("stc", "Tin mới sau khi xác nhận", when=utcnow() + timedelta(seconds=1))
    publish_article("dongxoai", "Tin không theo dõi", when=utcnow() + timedelta(seconds=1))
    import time

    time.sleep(1.1)
    result = runner.invoke(args=["subscriptions", "send"])
    assert "digests sent: 1" in result.output
    digest = smtp_server.messages[-1]
    assert "Tin mới sau khi xác nhận" in digest["body"]
    assert "Tin trước khi xác nhận" not in digest["body"] and "Tin không theo dõi" not in digest["body"]
    again = runner.invoke(args=["subscriptions", "send"])
    assert "digests sent: 0" in again.output
    unsubscribe = re.search(r"http://localhost(/my/unsubscribe/\S+)", digest["body"]).group(1)
    assert portal.get(unsubscribe).status_code == 200
    assert portal.post(unsubscribe).status_code == 200  # RFC 8058 one-click POST, no CSRF token
    with app.app_context():
        sub = db.session.execute(select(Subscription)).scalar_one()
        assert sub.unsubscribed_at is not None and sub.consent_at is not None


def test_digest_has_list_unsubscribe_header(app, smtp_server):
    """R-18: the digest carries List-Unsubscribe and List-Unsubscribe-Post."""
    with app.test_request_context(base_url="http://localhost"):
        from app.subscriptions.operations import unsubscribe_headers

        sub = Subscription(
            tenant_id=db.session.execute(select(Tenant.id).where(Tenant.kind == "portal")).scalar(),
            email="x@example.vn",
        )
        db.session.add(sub)
        db.session.flush()
        url, headers = unsubscribe_headers(sub)
        db.session.rollback()
    assert headers["List-Unsubscribe"] == f"<{url}>"
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_bad_tokens(client_for):
    portal = client_for("portal")
    assert portal.get("/my/subscribe/confirm/forged").status_code == 404
    assert portal.get("/my/unsubscribe/forged").status_code == 404


def test_subscribe_needs_consent_and_a_choice(client_for, smtp_server):
    portal = client_for("portal")
    response = form_post(portal, "/my/", "subscribe", {"email": "reader@example.vn"}, action="/my/subscribe")
    assert response.status_code == 422 and "consent-error" in response.get_data(as_text=True)
    response = form_post(
        portal, "/my/", "subscribe", {"email": "reader@example.vn", "consent": "y"}, action="/my/subscribe"
    )
    assert response.status_code == 422 and "consultations-error" in response.get_data(as_text=True)
    assert smtp_server.messages == []
