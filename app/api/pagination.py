"""List responses of the contract: ``{"items", "page", "per_page", "total"}``."""

from flask import request

from app.core.errors import APIError
from app.core.pagination import count_rows
from app.extensions import db

MAX_PER_PAGE = 100
# The last page one may ask for: its offset must fit the databases' 64-bit integers.
MAX_PAGE = 10_000_000


def page_args(default_per_page=20):
    """``(page, per_page)`` of the request; a 400 naming the argument that is not a whole number in range."""
    page = _whole_number("page", 1, 1, MAX_PAGE)
    per_page = _whole_number("per_page", default_per_page, 1, MAX_PER_PAGE)
    return page, per_page


def _whole_number(name, default, low, high):
    value = request.args.get(name, "").strip() or str(default)
    if not (value.isascii() and value.isdigit()) or len(value) > 12 or not low <= int(value) <= high:
        raise APIError(400, f"{name} must be a whole number from {low} to {high}.", fields={name: "range"})
    return int(value)


def paginate(stmt, schema, default_per_page=20):
    """Run ``stmt`` one page at a time and dump the rows with the marshmallow ``schema``."""
    rows, envelope = page_of_rows(stmt, default_per_page)
    return {"items": schema.dump(rows, many=True), **envelope}


def page_of_rows(stmt, default_per_page=20):
    """``(rows, envelope)``: the request's page of ``stmt`` and ``{"page", "per_page", "total"}``."""
    page, per_page = page_args(default_per_page)
    total = count_rows(stmt)
    rows = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).scalars().all()
    return rows, {"page": page, "per_page": per_page, "total": total}


def paginate_list(items, default_per_page=20):
    """The contract's envelope of the request's page of ``items``, a list already in memory (the inbox)."""
    page, per_page = page_args(default_per_page)
    start = (page - 1) * per_page
    return {"items": items[start : start + per_page], "page": page, "per_page": per_page, "total": len(items)}
