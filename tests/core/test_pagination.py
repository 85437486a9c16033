"""The one pager of the public lists: the page asked for, 404 outside the list, links that keep the filters."""

import pytest
from flask import render_template_string
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from app.core.models import Tenant
from app.core.pagination import page_of
from app.extensions import db

TENANTS = select(Tenant).order_by(Tenant.code)


def _page(app, query, per_page=10):
    with app.test_request_context(f"/procedures/{query}"):
        rows, pager = page_of(TENANTS, per_page)
        return rows, pager, [pager.url(n) for n in range(1, pager.pages + 1)]


def test_page_of_returns_the_rows_of_the_page_asked_for(app):
    with app.app_context():
        everyone = db.session.execute(TENANTS).scalars().all()
        rows, pager, _ = _page(app, "?page=2")
        assert [t.code for t in rows] == [t.code for t in everyone[10:20]]
        assert (pager.page, pager.total, pager.per_page, pager.offset) == (2, len(everyone), 10, 10)
        assert pager.pages == -(-len(everyone) // 10)


@pytest.mark.parametrize("query", ["", "?page=", "?page=0", "?page=x"])
def test_a_missing_or_unreadable_page_is_the_first(app, query):
    with app.app_context():
        assert _page(app, query)[1].page == 1


@pytest.mark.parametrize("query", ["?page=-1", "?page=99"])
def test_a_page_outside_the_list_is_not_found(app, query):
    with app.app_context(), pytest.raises(NotFound):
        _page(app, query)


def test_an_empty_list_has_one_page(app):
    with app.test_request_context("/procedures/"):
        rows, pager = page_of(TENANTS.where(Tenant.code == "none"), 10)
        assert rows == [] and (pager.page, pager.pages, pager.total) == (1, 1, 0)


def test_page_links_keep_the_other_arguments_but_not_blank_ones(app):
    with app.app_context():
        urls = _page(app, "?field=Thu%E1%BA%BF&q=&page=1&tag=a&tag=b")[2]
        assert urls[1] == "/procedures/?field=Thu%E1%BA%BF&tag=a&tag=b&page=2"


def test_page_links_keep_the_path_arguments(app):
    with app.test_request_context("/news/category/kinh-te?page=1"):
        _, pager = page_of(TENANTS, 10)
        assert pager.url(3) == "/news/category/kinh-te?page=3"


def _nav(app, page, pages):
    with app.test_request_context("/"):
        return render_template_string(
            '{% from "_pager.html" import pagination %}{{ pagination(p) }}',
            p={"page": page, "pages": pages, "url": lambda n: f"/list?page={n}"},
        )


def test_the_pager_marks_the_current_page_and_links_its_neighbours(app):
    html = _nav(app, 10, 20)
    assert '<nav class="pagination" aria-label="Trang">' in html
    assert '<span aria-current="page">10</span>' in html
    assert 'rel="prev" href="/list?page=9"' in html and 'rel="next" href="/list?page=11"' in html
    assert 'href="/list?page=1"' in html and 'href="/list?page=20"' in html and 'href="/list?page=8"' in html
    assert 'href="/list?page=5"' not in html and html.count("…") == 2


def test_a_single_page_has_no_pager(app):
    assert _nav(app, 1, 1).strip() == ""
