"""Procedures API (contract): list and detail for everyone, create and change for staff with a token."""

from flask import Blueprint, request

from app.api.auth import require_staff
from app.api.helpers import create_reviewable, edit_reviewable, is_staff, load_json
from app.api.pagination import paginate
from app.core.errors import APIError
from app.core.scoping import scoped
from app.core.tenancy import current_tenant
from app.core.text import nfc
from app.extensions import csrf, db
from app.media.operations import files_by_ids
from app.procedures.models import Procedure
from app.procedures.operations import ProcedureError, check
from app.procedures.schemas import ProcedureInputSchema, ProcedureSchema
from app.procedures.views import filtered
from app.workflow.models import ReviewState

bp = Blueprint("procedures_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.get("/procedures")
def list_procedures():
    """Published procedures; filters ``agency``, ``field``, ``level``, ``online_level``, ``q``."""
    stmt = filtered(request.args)
    if is_staff() and request.args.get("state"):
        state = request.args["state"]
        if state not in {s.value for s in ReviewState}:
            raise APIError(400, "Unknown state.", fields={"state": "unknown"})
        # Staff asking for a state see every item in it, not only the public ones.
        stmt = _staff_stmt(request.args).where(Procedure.state == state)
    return paginate(stmt, ProcedureSchema())


def _staff_stmt(args):
    stmt = scoped(Procedure).where(Procedure.revision_of_id.is_(None))
    for key, column in (
        ("agency", Procedure.implementing_agency),
        ("field", Procedure.field),
        ("level", Procedure.level),
        ("online_level", Procedure.online_level),
    ):
        if args.get(key):
            stmt = stmt.where(column == nfc(args[key]))
    return stmt.order_by(Procedure.code)


def _load(code):
    proc = (
        db.session.execute(scoped(Procedure).where(Procedure.code == code, Procedure.revision_of_id.is_(None)))
        .scalars()
        .first()
    )
    if proc is None and code.isdigit() and is_staff():
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
    return ProcedureSchema().dump(_load(code))


def _apply(proc, data):
    for key, value in data.items():
        if isinstance(value, str):
            value = nfc(value)
        if key == "legal_basis" and isinstance(value, list):
            value = "\n".join(nfc(str(v)) for v in value)
        if key == "steps":
            value = [nfc(s) for s in value]
        setattr(proc, key, value)
    form_ids = [c["form_id"] for c in data.get("components", []) if c.get("form_id")]
    if form_ids:
        found = {m.id for m in files_by_ids(form_ids, current_tenant.id)}
        if set(form_ids) - found:
            raise APIError(422, "Some fields are not valid.", fields={"components": ["Unknown form file."]})
    try:
        check(proc)
    except ProcedureError as exc:
        raise APIError(422, "Some fields are not valid.", fields=exc.fields) from None


@bp.post("/procedures")
def create_procedure():
    """Create a draft procedure; 201 with the item, 422 with ``fields`` on bad input."""
    user = require_staff()
    data = load_json(ProcedureInputSchema())
    missing = {k: ["This field is required."] for k in ("code", "name") if not data.get(k)}
    if missing:
        raise APIError(422, "Some fields are not valid.", fields=missing)
    proc = Procedure(tenant_id=current_tenant.id, state=ReviewState.DRAFT, level="province", online_level="none")
    create_reviewable(proc, user, _apply, data)
    return ProcedureSchema().dump(proc), 201, {"Location": f"/api/v1/procedures/{proc.code}"}


@bp.patch("/procedures/<code>")
def update_procedure(code):
    """Change a procedure; a live one is changed through its pending revision."""
    user = require_staff()
    proc = _load(code)
    data = load_json(ProcedureInputSchema())
    if "code" in data and data["code"] != proc.code and proc.is_visible:
        raise APIError(
            422, "Some fields are not valid.", fields={"code": ["The code of a published procedure is fixed."]}
        )
    target = edit_reviewable(proc, user, _apply, data)
    return ProcedureSchema().dump(target)


def init_app(app):
    app.register_blueprint(bp)
