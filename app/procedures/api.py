"""Procedures in the API: the generic collection of the declared type, addressed by the national code.

Staff input is the declaration's (``content.py``) plus the parsing of the ordered children (steps,
channels, dossier components) and of ``legal_basis``, which may be sent as a list of lines. Staff may
also address a procedure by its id (a pending revision has its live item's code, and an id of its own).
"""

from flask import Blueprint
from marshmallow import Schema, fields, post_load

from app.api.content import input_schema, register_collection
from app.api.helpers import invalid
from app.api.inputs import Lines
from app.core.filters import where_args, where_words
from app.core.limits import MAX_ID
from app.core.scoping import get_scoped, scoped
from app.core.text import nfc
from app.extensions import csrf, db
from app.procedures.content import PROCEDURE
from app.procedures.models import LEVELS, ONLINE_LEVELS, Procedure
from app.procedures.schemas import ChannelSchema, ComponentSchema
from app.procedures.views import FILTER_COLUMNS

bp = Blueprint("procedures_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
PROCEDURE_BODY = 256 * 1024


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


class ProcedureQuery(Schema):
    agency = fields.Str(metadata={"description": "The implementing agency."})
    field = fields.Str(metadata={"description": "The field (lĩnh vực)."})
    level = fields.Str(metadata={"enum": list(LEVELS)})
    online_level = fields.Str(metadata={"enum": list(ONLINE_LEVELS)})
    q = fields.Str(metadata={"description": "Words of the code, name or agencies (diacritics optional)."})


def filters(stmt, args, staff):
    """``agency``, ``field``, ``level``, ``online_level``, ``q``; by field then code."""
    stmt = where_words(where_args(stmt, args, FILTER_COLUMNS), Procedure.search_text, args.get("q"))
    return stmt.order_by(None).order_by(Procedure.field, Procedure.code)


def lookup(code, staff):
    """The live procedure ``code``; for staff also the procedure (or pending revision) with that id."""
    proc = (
        db.session.execute(scoped(Procedure).where(Procedure.code == code, Procedure.revision_of_id.is_(None)))
        .scalars()
        .first()
    )
    if proc is None and staff and code.isascii() and code.isdigit() and int(code) <= MAX_ID:
        proc = get_scoped(Procedure, int(code))
    return proc


def after_apply(proc, data):
    """The code of a published procedure is fixed (people and the national portal cite it)."""
    if proc.revision_of_id is not None and "code" in data:
        live = db.session.get(Procedure, proc.revision_of_id)
        if live is not None and proc.code != live.code:
            raise invalid({"code": ["The code of a published procedure is fixed."]})


def key(proc):
    """A procedure's URL key: its code; a pending revision's, its own id (the code is its live item's)."""
    return proc.id if proc.revision_of_id is not None else proc.code


register_collection(
    bp,
    PROCEDURE,
    filters=filters,
    query=ProcedureQuery,
    lookup=lookup,
    key=key,
    key_converter="string",
    key_description="The procedure's code (staff: also its id, or a pending revision's own id).",
    input=ProcedureInputSchema,
    after_apply=after_apply,
    defaults={"level": "province", "online_level": "none"},
    order_by=(Procedure.field, Procedure.code),
    max_body=PROCEDURE_BODY,
    example={
        "code": "1.004227",
        "name": "Cấp giấy phép xây dựng nhà ở riêng lẻ",
        "level": "district",
        "field": "Xây dựng",
        "implementing_agency": "Ủy ban nhân dân huyện",
        "steps": ["Nộp hồ sơ tại Bộ phận một cửa", "Nhận kết quả sau 15 ngày"],
        "legal_basis": ["Luật Xây dựng năm 2014", "Nghị định số 15/2021/NĐ-CP"],
        "online_level": "partial",
    },
)


def init_app(app):
    app.register_blueprint(bp)
