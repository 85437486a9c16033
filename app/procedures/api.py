"""Procedures API (contract): list and detail for everyone, create and change for staff with a token.

Staff input is the declaration's (``content.py``) plus the parsing of the ordered children (steps,
channels, dossier components) and of ``legal_basis``, which may be sent as a list of lines.
"""

from urllib.parse import quote

from flask import Blueprint, request
from marshmallow import fields, post_load

from app.api.auth import require_staff
from app.api.content import apply_input, input_schema
from app.api.helpers import create_reviewable, edit_reviewable, invalid, is_staff, load_json
from app.api.inputs import Lines
from app.api.pagination import paginate
from app.core.errors import APIError
from app.core.filters import where_args
from app.core.limits import MAX_ID
from app.core.scoping import scoped
from app.core.tenancy import current_tenant
from app.core.text import nfc
from app.extensions import csrf, db
from app.procedures.content import PROCEDURE
from app.procedures.models import Procedure
from app.procedures.schemas import ChannelSchema, ComponentSchema
from app.procedures.views import FILTER_COLUMNS, filtered
from app.workflow.models import ReviewState, live_items

bp = Blueprint("procedures_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


class ProcedureInputSchema(type(input_schema(PROCEDURE))):
    """What staff send: the declared fields, the ordered children as lists, ``legal_basis`` as text or lines."""

    steps = fields.List(fields.Str())
    channels = fields.List(fields.Nested(ChannelSchema))
    components = fields.List(fields.Nested(ComponentSchema))
    legal_basis = Lines()

    @post_load
    def _children(self, data, **kwargs):
        # JSON children are not cleaned by their declaration (DATA): their text is normalised here.
        if "steps" in data:
            data["steps"] = [nfc(step).strip() for step in data["steps"] if step.strip()]
        for component in data.get("components", []):
            component["name"] = nfc(component["name"]).strip()
        return data


@bp.get("/procedures")
def list_procedures():
    """Published procedures; filters ``agency``, ``field``, ``level``, ``online_level``, ``q``."""
    stmt = filtered(request.args)
    if is_staff() and request.args.get("state"):
        # Staff asking for a state see every item in it, not only the public ones.
        stmt = live_items(Procedure, request.args["state"])
        stmt = where_args(stmt, request.args, FILTER_COLUMNS).order_by(Procedure.code)
    return paginate(stmt, PROCEDURE.schema())


def _load(code):
    proc = (
        db.session.execute(scoped(Procedure).where(Procedure.code == code, Procedure.revision_of_id.is_(None)))
        .scalars()
        .first()
    )
    if proc is None and code.isascii() and code.isdigit() and int(code) <= MAX_ID and is_staff():
        proc = (
            db.session.execute(scoped(Procedure).where(Procedure.id == int(code), Procedure.revision_of_id.is_(None)))
            .scalars()
            .first()
        )
    if proc is None or (not is_staff() and not proc.is_visible):
        raise APIError(404, "No such procedure on this site.")
    return proc


@bp.get("/procedures/<code>")
def get_procedure(code):
    """One procedure by its code (published only for anonymous callers)."""
    return PROCEDURE.schema().dump(_load(code))


def _apply(proc, data):
    apply_input(proc, data, PROCEDURE)


@bp.post("/procedures")
def create_procedure():
    """Create a draft procedure; 201 with the item, 422 with ``fields`` on bad input."""
    user = require_staff()
    data = load_json(ProcedureInputSchema())
    proc = Procedure(tenant_id=current_tenant.id, state=ReviewState.DRAFT, level="province", online_level="none")
    create_reviewable(proc, user, _apply, data)
    return PROCEDURE.schema().dump(proc), 201, {"Location": f"/api/v1/procedures/{quote(proc.code, safe='')}"}


@bp.patch("/procedures/<code>")
def update_procedure(code):
    """Change a procedure; a live one is changed through its pending revision."""
    user = require_staff()
    proc = _load(code)
    data = load_json(ProcedureInputSchema())
    if "code" in data and data["code"] != proc.code and proc.is_visible:
        raise invalid({"code": ["The code of a published procedure is fixed."]})
    target = edit_reviewable(proc, user, _apply, data)
    return PROCEDURE.schema().dump(target)


def init_app(app):
    app.register_blueprint(bp)
