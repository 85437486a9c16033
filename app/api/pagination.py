"""List responses of the contract: ``{"items", "page", "per_page", "total"}``."""

from flask import request
from sqlalchemy import func, select

from app.core.errors import APIError
from app.extensions import db

MAX_PER_PAGE = 100


def page_args(default_per_page=20):
    try:
        page = int(request.args.get("page", 1))
        per_page = int(request.args.get("per_page", default_per_page))
    except ValueError:
        raise APIError(400, "page and per_page must be whole numbers.", fields={"page": "integer"}) from None
    if page < 1 or per_page < 1 or per_page > MAX_PER_PAGE:
        raise APIError(
            400, f"page must be at least 1 and per_page between 1 and {MAX_PER_PAGE}.", fields={"per_page": "range"}
        )
    return page, per_page


def paginate(stmt, schema, default_per_page=20):
    """Run ``stmt`` one page at a time and dump the rows with the marshmallow ``schema``."""
    page, per_page = page_args(default_per_page)
    total = db.session.execute(select(func.count()).select_from(stmt.order_by(None).subquery())).scalar_one()
    rows = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).scalars().all()
    return {"items": schema.dump(rows, many=True), "page": page, "per_page": per_page, "total": total}
