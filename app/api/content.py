"""The staff API of every declared content type, derived from its declaration.

:func:`input_schema` builds the marshmallow schema a type accepts from its fields; :func:`apply_input`
writes accepted data onto an item (API names to attributes, relations resolved in the tenant, dates to
UTC). :func:`register_collection` adds the whole collection (list, detail, create, change) of a type; a
module passes hooks for what is its own (filters, lookup key, extra input, detail body).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any
from urllib.parse import quote

from flask import jsonify, request
from marshmallow import EXCLUDE, Schema, ValidationError, validate, validates_schema
from marshmallow import fields as ma

from app.api.auth import require_staff
from app.api.describe import describe
from app.api.helpers import create_reviewable, edit_reviewable, is_staff, load_json
from app.api.inputs import Id, Reference, StorableDateTime, WholeNumber
from app.api.pagination import page_of_rows
from app.core.errors import APIError
from app.core.fields import TEXT_KINDS, Kind, is_safe_url
from app.core.scoping import get_scoped, scoped
from app.core.tenancy import current_tenant
from app.core.timeutil import to_storage
from app.extensions import db
from app.media.operations import declared_errors
from app.workflow.models import ReviewState, live_items, published

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


def _nullable(model, name):
    column = model.__table__.columns.get(name)
    return column is None or column.nullable


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
        elif value is None and not _nullable(ct.model, field.name):
            raise APIError(422, "Some fields are not valid.", fields={field.key: ["This field may not be null."]})
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


# Largest JSON bodies, in bytes (413 beyond): long texts (articles, pages, press releases, documents, drafts under
# consultation, figures) and the rest (a few fields and short texts).
LARGE_BODY = 1024 * 1024
SMALL_BODY = 64 * 1024
TRANSITION_BODY = 16 * 1024


class ListQuery(Schema):
    """The query of a collection's list; staff add ``state`` (anonymous callers see published items only)."""

    state = ma.Str(
        validate=validate.OneOf([s.value for s in ReviewState]),
        metadata={"description": "Staff only: items in this review state (drafts included)."},
    )


@dataclass
class Collection:
    """One collection of the staff API, as :func:`register_collection` made it (the tests and docs read these)."""

    ct: Any
    key: Callable  # fn(item) -> the URL key of an item (its id, a procedure's code, a dataset's slug)
    example: dict
    max_body: int
    endpoints: dict = field(default_factory=dict)

    def url(self, item):
        return f"/api/v1/{self.ct.collection}/{quote(str(self.key(item)), safe='')}"


COLLECTIONS: dict[str, Collection] = {}


def _by_id(item):
    return item.id


def register_collection(
    bp,
    ct,
    *,
    filters=None,
    query=None,
    lookup=None,
    key=_by_id,
    key_converter="int",
    key_description=None,
    input=None,
    after_apply=None,
    defaults=None,
    detail_schema=None,
    order_by=None,
    former_names=None,
    max_body=SMALL_BODY,
    example=None,
):
    """Add ``GET/POST /<collection>`` and ``GET/PATCH /<collection>/<key>`` for ``ct`` to the blueprint ``bp``.

    Everything a type shares is done here: published items for anonymous callers, every live item (``state=``)
    and drafts for staff, revisions addressable by their own id (staff), 201 + ``Location`` on create, a live
    item changed through its pending revision, ``ETag``/304 on item reads, ``Last-Modified`` on lists, the body
    limit (413) and the description for the OpenAPI document. A module passes only what is its own:

    :param filters: ``fn(stmt, args, staff) -> stmt``: the module's list filters on the base statement (already
        ordered by ``order_by``; a filter may ``order_by(None)`` and give its own order). ``stmt`` is the tenant's
        published items for anonymous callers, its live items (in ``state``) for staff.
    :param query: the marshmallow ``Schema`` class of those filters (for the description).
    :param lookup: ``fn(key, staff) -> item or None`` (default: the tenant's row with that id).
    :param key: ``fn(item) -> URL key`` (default: the id); ``key_converter`` the URL converter of the key.
    :param input: the input schema class (default: :func:`input_schema`'s); a module subclasses it for fields
        of its own (children, former names).
    :param after_apply: ``fn(item, data)`` after the declared fields are written (children, checks); raise
        ``APIError`` to refuse.
    :param defaults: constructor values of a new item (``{"status": "in_effect"}``).
    :param detail_schema: the schema of the item read (default ``ct.schema``: what lists show).
    :param former_names: ``{key: former name}`` of fields integrators may still send under another name: a
        refusal of the field names both.
    :param max_body: the largest JSON body of a create or change, in bytes.
    :param example: a Vietnamese example body of a create.
    """
    model, schema = ct.model, ct.schema
    detail_schema = detail_schema or schema
    collection = ct.collection
    input_cls = input or type(input_schema(ct))
    order = order_by if order_by is not None else (model.published_at.desc().nulls_last(), model.id.desc())
    info = Collection(ct=ct, key=key, example=example or {}, max_body=max_body)
    COLLECTIONS[ct.name] = info

    def load(item_key, write=False):
        staff = is_staff()
        item = lookup(item_key, staff) if lookup is not None else get_scoped(model, item_key)
        if item is None or (not staff and (item.revision_of_id is not None or not item.is_visible)):
            raise APIError(404, "No such item on this site.")
        if write and item.tenant_id != current_tenant.id:
            raise APIError(404, "No such item on this site.")  # served here (a dataset of ctk) but not ours
        return item

    def apply(item, data):
        try:
            apply_input(item, data, ct)
            if after_apply is not None:
                after_apply(item, data)
        except APIError as exc:
            for name, former in (former_names or {}).items():
                if exc.fields and name in exc.fields:
                    exc.fields[former] = exc.fields[name]
            raise

    def list_items():
        staff = is_staff()
        stmt = live_items(model, request.args.get("state")) if staff else published(model)
        stmt = stmt.order_by(*order)
        if filters is not None:
            stmt = filters(stmt, request.args, staff)
        rows, envelope = page_of_rows(stmt)
        response = jsonify({"items": schema(staff=staff).dump(rows, many=True), **envelope})
        response.last_modified = last_modified(rows)
        response.vary.add("Authorization")
        return response

    def get_item(item_key):
        item = load(item_key)
        return conditional(detail_schema(staff=is_staff()).dump(item))

    def create_item():
        user = require_staff()
        data = load_json(input_cls())
        missing = {f.key: ["This field is required."] for f in ct.fields if f.required and not data.get(f.key)}
        if missing:
            raise APIError(422, "Some fields are not valid.", fields=missing)
        item = model(tenant_id=current_tenant.id, state=ReviewState.DRAFT, author_id=user.id, **(defaults or {}))
        create_reviewable(item, user, apply, data)
        return schema(staff=True).dump(item), 201, {"Location": info.url(item)}

    def update_item(item_key):
        user = require_staff()
        item = load(item_key, write=True)
        data = load_json(input_cls())
        return schema(staff=True).dump(edit_reviewable(item, user, apply, data))

    tags = [collection]
    label = str(ct.label).lower() if ct.label else ct.name
    path = {"item_key": key_description or f"The {label}'s id (a pending revision's own id works too, for staff)."}
    query_cls = type(f"{model.__name__}ListQuery", (query, ListQuery), {}) if query else ListQuery
    describe(
        list_items,
        "get",
        tags=tags,
        summary=f"List {collection}",
        description=f"Published {collection} of this site; a staff token shows every {label} (``state=``).",
        query=query_cls,
        response=schema,
        many=True,
        auth="optional",
    )
    describe(
        get_item,
        "get",
        tags=tags,
        summary=f"Read one {label}",
        description="Published only for anonymous callers; staff also read drafts and pending revisions.",
        response=detail_schema,
        auth="optional",
        etag=True,
        errors=(304,),
        path=path,
    )
    describe(
        create_item,
        "post",
        tags=tags,
        summary=f"Create a draft {label}",
        description="Answers 201 with the item and its address in ``Location``; 422 names the fields refused.",
        body=input_cls,
        response=schema,
        status=201,
        auth="staff",
        max_body=max_body,
        example=example,
    )
    describe(
        update_item,
        "patch",
        tags=tags,
        summary=f"Change a {label}",
        description=(
            "Changes the fields sent. A live item is changed through its pending revision (created on the first "
            "change; its own ``id`` and ``revision_of``), which is answered: the public version stays online until "
            "the revision is approved."
        ),
        body=input_cls,
        response=schema,
        auth="staff",
        max_body=max_body,
        example=example,
        path=path,
    )
    item_rule = f"/{collection}/<{key_converter}:item_key>"
    info.endpoints = {
        "list": f"{bp.name}.list_{ct.name}",
        "get": f"{bp.name}.get_{ct.name}",
        "create": f"{bp.name}.create_{ct.name}",
        "update": f"{bp.name}.update_{ct.name}",
    }
    bp.add_url_rule(f"/{collection}", f"list_{ct.name}", list_items, methods=["GET"])
    bp.add_url_rule(f"/{collection}", f"create_{ct.name}", create_item, methods=["POST"])
    bp.add_url_rule(item_rule, f"get_{ct.name}", get_item, methods=["GET"])
    bp.add_url_rule(item_rule, f"update_{ct.name}", update_item, methods=["PATCH"])
    return info


def conditional(body):
    """``body`` as a JSON response with an ``ETag`` of its bytes (so a staff read and an anonymous one never share
    it); 304 when the request's ``If-None-Match`` matches."""
    response = jsonify(body)
    response.vary.add("Authorization")
    response.add_etag()
    return response.make_conditional(request)


def last_modified(rows):
    """The newest ``updated_at`` or ``published_at`` of ``rows`` (stored in UTC), or None for no rows."""
    stamps = [s for row in rows for s in (getattr(row, "updated_at", None), getattr(row, "published_at", None)) if s]
    if not stamps:
        return None
    newest = max(s if s.tzinfo else s.replace(tzinfo=UTC) for s in stamps)
    return newest
