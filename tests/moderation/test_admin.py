"""R-16, R-17, R-04: back-office pages of participation load for the right roles; the word filter's lists."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.moderation.models import FilterTerm

PAGES = [
    "/admin/consultations_admin/",
    "/admin/consultations_admin/new/",
    "/admin/consultation_sections/new/",
    "/admin/consultation_outcomes/new/",
    "/admin/comments/",
    "/admin/questions/",
    "/admin/question_answers/",
    "/admin/word_filter/",
    "/admin/word_filter/new/",
    "/admin/personal-data/?email=someone@example.vn",
]


@pytest.mark.parametrize("path", PAGES)
def test_pages_load_for_a_tenant_admin_and_head(client_for, make_user, path):
    """No 500 anywhere in the participation back office."""
    stc = client_for("stc")
    admin = make_user("tenant_admin", "stc")
    make_user("head", "stc", admin)  # the same person also heads the editorial board
    stc.login(admin)
    assert stc.get(path).status_code == 200


def _add_term(client, term, is_global=False):
    token = client.csrf_token("/admin/word_filter/new/")
    data = {"csrf_token": token, "term": term, "note": ""}
    if is_global:
        data["is_global"] = "y"
    return client.post("/admin/word_filter/new/", data=data)


def test_tenant_admin_adds_local_terms_only(app, client_for, make_user):
    """R-16: a tenant admin adds a term for their site; the global list is the province admin's."""
    stc = client_for("stc")
    stc.login(make_user("tenant_admin", "stc"))
    _add_term(stc, "cá độ")
    _add_term(stc, "phản động", is_global=True)
    portal = client_for("portal")
    portal.login(make_user("province_admin", "portal"))
    _add_term(portal, "lừa đảo", is_global=True)
    with app.app_context():
        rows = {t.term: t.is_global for t in db.session.execute(select(FilterTerm)).scalars()}
    assert rows == {"cá độ": False, "lừa đảo": True}


def test_editors_cannot_manage_terms(client_for, make_user):
    stc = client_for("stc")
    stc.login(make_user("editor", "stc"))
    assert stc.get("/admin/word_filter/").status_code == 403


def test_overview_lists_every_tenant_for_the_province_admin(client_for, make_user):
    """R-12: the province admin's overview answers on the portal."""
    client_for("stc").post(
        "/api/v1/questions",
        json={"title": "Câu hỏi", "body": "Nội dung", "name": "A", "email": "a@example.vn", "consent": True},
    )
    portal = client_for("portal")
    portal.login(make_user("province_admin", "portal"))
    assert "Sở Tài chính" in portal.get("/admin/questions/overview").get_data(as_text=True)
