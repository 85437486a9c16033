"""Rich text is sanitised on every save, through the API and the back office (R-05, R-29)."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.news.models import Article

XSS = [
    "<script>alert(1)</script><p>a</p>",
    '<img src="x" onerror="alert(1)">',
    '<p onclick="alert(1)">b</p>',
    '<a href="javascript:alert(1)">c</a>',
    '<a href="JaVaScRiPt:alert(1)">c</a>',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<iframe src="https://evil.example/"></iframe>',
    '<p style="width: expression(alert(1))">d</p>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">e</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<form action="https://evil.example/"><input name="p"></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
]
FORBIDDEN = ("<script", "onerror", "onclick", "onload", "javascript:", "<svg", "<iframe", "expression(", "data:",
             "<object", "<embed", "<form", "<style")  # fmt: skip


def _clean(html):
    lowered = html.lower()
    return not any(bad in lowered for bad in FORBIDDEN)


@pytest.mark.parametrize("payload", XSS)
def test_api_sanitises_body(client_for, token, payload):
    """R-05: the API stores only safe HTML in body and body_en."""
    response = client_for("stc").post(
        "/api/v1/articles",
        json={"title": "Thử XSS", "body": payload, "body_en": payload},
        headers=token("contributor"),
    )
    assert response.status_code == 201
    item = response.get_json()
    assert _clean(item["body"]) and _clean(item["body_en"])


def test_admin_save_sanitises_body(client_for, staff, tenants):
    """R-05: saving the back-office form strips scripts, handlers and dangerous URLs."""
    client = client_for("stc")
    client.login(staff["contributor"].email)
    csrf = client.csrf_token("/admin/news_articles/new/")
    body = "<p>Nội dung hợp lệ</p>" + "".join(XSS)
    response = client.post(
        "/admin/news_articles/new/",
        data={"csrf_token": csrf, "title": "Bài từ biểu mẫu", "body": body, "body_en": XSS[0], "summary": ""},
    )
    assert response.status_code == 302
    article = db.session.execute(select(Article).where(Article.title == "Bài từ biểu mẫu")).scalar_one()
    assert _clean(article.body) and _clean(article.body_en) and "Nội dung hợp lệ" in article.body
    assert article.tenant_id == tenants["stc"].id and article.state == "draft"
