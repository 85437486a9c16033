"""The one pager of the public lists: which page was asked for, the rows on it, and links to the others.

Views call :func:`page_of`; templates show the result with the ``pager`` macro of ``_pager.html``.
The JSON API has its own rules (400 errors, ``per_page``): see :mod:`app.api.pagination`.
"""

import math

from flask import abort, request, url_for
from sqlalchemy import func, select

from app.extensions import db


def count_rows(stmt):
    """How many rows ``stmt`` returns, its ordering dropped."""
    return db.session.execute(select(func.count()).select_from(stmt.order_by(None).subquery())).scalar_one()


# No list has this many pages; a bigger number would overflow the database's OFFSET.
MAX_PAGE = 10_000_000


def requested_page():
    """The ``page`` query argument: 1 when it is missing, empty, zero or not a number.

    :raise 404: for a page below 1 or above :data:`MAX_PAGE`.
    """
    page = request.args.get("page", 1, type=int) or 1
    if not 1 <= page <= MAX_PAGE:
        abort(404)
    return page


class Pager:
    """Where a list stands: ``page`` of ``pages`` (at least one), ``total`` rows, ``per_page`` on each.

    :meth:`url` links another page of the same view with the other query arguments kept.
    """

    def __init__(self, page, total, per_page):
        self.page = page
        self.total = total
        self.per_page = per_page
        self.pages = max(1, math.ceil(total / per_page))
        self.endpoint = request.endpoint
        self.view_args = dict(request.view_args or {})
        # Blank filters and url_for's own "_external"-style keys are left out of the links.
        self.args = {
            key: values
            for key, values in ((k, [v for v in vs if v]) for k, vs in request.args.lists())
            if values and key != "page" and not key.startswith("_")
        }

    @property
    def offset(self):
        """How many rows come before this page."""
        return (self.page - 1) * self.per_page

    def url(self, page):
        """The URL of ``page`` of this list."""
        return url_for(self.endpoint, **{**self.args, **self.view_args, "page": page})


def pager_for(page, total, per_page):
    """A :class:`Pager` for ``page`` of a list of ``total`` rows.

    :raise 404: for a page past the last one.
    """
    pager = Pager(page, total, per_page)
    if page > pager.pages:
        abort(404)
    return pager


def page_of(stmt, per_page):
    """Run ``stmt`` for the page the request asks for.

    :return: ``(rows, pager)``.
    :raise 404: for a page below 1 or past the last one.
    """
    page = requested_page()
    pager = pager_for(page, count_rows(stmt), per_page)
    rows = db.session.execute(stmt.limit(per_page).offset(pager.offset)).scalars().all()
    return rows, pager
