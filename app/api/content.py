"""The staff API of every declared content type, derived from its declaration.

:func:`input_schema` builds the marshmallow schema a type accepts from its fields; :func:`apply_input`
writes accepted data onto an item (API names to attributes, relations resolved in the tenant, dates to
UTC). :func:`register_collection` adds the whole collection (list, detail, create, change) for a type
that needs nothing of its own, such as press releases.
"""

from flask import request
from marshmallow import EXCLUDE, Schema, ValidationError, validate, validates_schema
from marshmallow import fields as ma

from app.api.auth import require_staff
from app.api.helpers import create_reviewable, edit_reviewable, is_staff, load_json
from app.api.inputs import Id, Reference, StorableDateTime, WholeNumber
from app.api.pagination import paginate
from app.core.errors import APIError
from app.core.fields import TEXT_KINDS, Kind, is_safe_url
from app.core.scoping import get_scoped, scoped
from app.core.tenancy import current_tenant
from app.core.timeutil import to_storage
from app.extensions import db
from app.media.operations import declared_errors
from app.workflow.models import ReviewState, published

_INPUT_CACHE = {}


def _safe_url(value):
    if not is_safe_url(value):
        raise ValidationError("Use an http://, https:// or mailto: address.")


def _schema_field(field):
    kind = field.kind
    length = validate.Length(max=field.max_length) if field.max_length else None
    text = {"validate": length} if length else {}
    if kind in (Kind.TEXT, Kind.RICH_TEXT):
        return ma.Str(**text)
    if kind == Kind.URL:
        return ma.Str(validate=[v for v in (length, _safe_url) if v])
    if kind == Kind.EMAIL:
        return ma.Email(allow_none=True) if not field.required else ma.Email()
    if kind == Kind.DATETIME:
        return StorableDateTime(allow_none=True)
    if kind == Kind.DATE:
        return ma.Date(allow_none=True)
    if kind == Kind.MONEY:
        # The columns are NUMERIC(20, 2): whole đồng below 10^18.
        return ma.Decimal(allow_none=True, places=0, validate=validate.Range(min=0, max=10**18 - 1))
    if kind == Kind.MEDIA:
        return Id(allow_none=True)
    if kind == Kind.MEDIA_LIST:
        return ma.List(Id(), validate=validate.Length(max=100))
    if kind == Kind.FLAG:
        return ma.Bool()
    if kind == Kind.NUMBER:
        return WholeNumber(allow_none=True)
    if kind == Kind.CHOICE:
        return ma.Str(validate=validate.OneOf([value for value, _label in field.choices]))
    if kind == Kind.TAGS:
        return ma.List(ma.Str(validate=validate.Length(max=100)), validate=validate.Length(max=30))
    if kind == Kind.RELATION:
        return Reference(allow_none=True)
    return ma.Raw()


def input_schema(ct):
    """The marshmallow schema (an instance) of what staff may send for ``ct``; unknown fields are ignored."""
    cls = _INPUT_CACHE.get(ct.name)
    if cls is None:
        attrs = {f.key: _schema_field(f) for f in ct.fields if f.api}
        attrs["publish_at"] = StorableDateTime(allow_none=True)
        attrs["expire_at"] = StorableDateTime(allow_none=True)
        required = [f.key for f in ct.fields if f.api and f.required]

        def not_blank(self, data, **kwargs):
            blank = {k: ["This field may not be blank."] for k in required if k in data and not data[k]}
            if blank:
                raise ValidationError(blank)

        attrs["_not_blank"] = validates_schema(not_blank)
        attrs["Meta"] = type("Meta", (), {"unknown": EXCLUDE})
        cls = type(f"{ct.model.__name__}InputSchema", (Schema,), attrs)
        _INPUT_CACHE[ct.name] = cls
    return cls()


def resolve_relation(field, model, value):
    """The id of the tenant's row ``value`` (an id, or a slug where the row has one), or a 422."""
    target = getattr(model, field.relation).property.mapper.class_
    if value in (None, ""):
        return None
    stmt = scoped(target, None, target.id)
    if isinstance(value, int) and not isinstance(value, bool):
        row = db.session.execute(stmt.where(target.id == value)).scalar()
    elif isinstance(value, str) and hasattr(target, "slug"):
        row = db.session.execute(stmt.where(target.slug == value)).scalar()
    else:
        row = None
    if row is None:
        raise APIError(422, "Some fields are not valid.", fields={field.key: ["Unknown on this site."]})
    return row


def apply_input(item, data, ct):
    """Write validated ``data`` (API names) onto ``item``; 422 naming the fields that cannot be stored."""
    by_key = {f.key: f for f in ct.fields}
    for key, value in data.items():
        field = by_key.get(key)
        if key in ("publish_at", "expire_at"):
            setattr(item, key, to_storage(value))
        elif field is None:
            continue
        elif value is None and field.kind in TEXT_KINDS:
            setattr(item, field.name, "")  # a text column's empty value is "" (they are NOT NULL)
        elif field.kind == Kind.RELATION:
            setattr(item, field.name, resolve_relation(field, ct.model, value))
        elif field.kind == Kind.DATETIME:
            setattr(item, field.name, to_storage(value))
        else:
            setattr(item, field.name, value)
    errors = declared_errors(item, ct)
    if item.publish_at and item.expire_at and item.expire_at <= item.publish_at:
        errors.setdefault("expire_at", ["The end of publication must come after its start."])
    if errors:
        raise APIError(422, "Some fields are not valid.", fields=errors)


def register_collection(bp, ct, order_by=None):
    """Add ``GET/POST /<collection>`` and ``GET/PATCH /<collection>/<id>`` for ``ct`` to the blueprint ``bp``."""
    model, schema = ct.model, ct.schema
    collection = ct.collection

    def load(item_id):
        item = get_scoped(model, item_id)
        if item is None or item.revision_of_id is not None or (not is_staff() and not item.is_visible):
            raise APIError(404, "No such item on this site.")
        return item

    def list_items():
        if is_staff():
            stmt = scoped(model).where(model.revision_of_id.is_(None))
            state = request.args.get("state")
            if state:
                if state not in {s.value for s in ReviewState}:
                    raise APIError(400, "Unknown state.", fields={"state": ["unknown"]})
                stmt = stmt.where(model.state == state)
        else:
            stmt = published(model)
        order = order_by if order_by is not None else (model.published_at.desc().nulls_last(), model.id.desc())
        return paginate(stmt.order_by(*order), schema())

    def get_item(item_id):
        return schema().dump(load(item_id))

    def create_item():
        user = require_staff()
        data = load_json(input_schema(ct))
        missing = {f.key: ["This field is required."] for f in ct.fields if f.required and not data.get(f.key)}
        if missing:
            raise APIError(422, "Some fields are not valid.", fields=missing)
        item = model(tenant_id=current_tenant.id, state=ReviewState.DRAFT, author_id=user.id)
        create_reviewable(item, user, lambda i, d: apply_input(i, d, ct), data)
        return schema().dump(item), 201, {"Location": f"/api/v1/{collection}/{item.id}"}

    def update_item(item_id):
        user = require_staff()
        item = load(item_id)
        data = load_json(input_schema(ct))
        return schema().dump(edit_reviewable(item, user, lambda i, d: apply_input(i, d, ct), data))

    bp.add_url_rule(f"/{collection}", f"list_{ct.name}", list_items, methods=["GET"])
    bp.add_url_rule(f"/{collection}", f"create_{ct.name}", create_item, methods=["POST"])
    bp.add_url_rule(f"/{collection}/<int:item_id>", f"get_{ct.name}", get_item, methods=["GET"])
    bp.add_url_rule(f"/{collection}/<int:item_id>", f"update_{ct.name}", update_item, methods=["PATCH"])
