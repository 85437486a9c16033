"""How the API shows a declared item: the fields every reviewable item carries, plus its declared fields.

:func:`schema_for` builds a content type's output schema from its declaration; a module gives a base
class (a subclass of :class:`ItemSchema`) only for what is special (a category's name, a caption on the
cover). Personal data is never shown.
"""

from flask import g, has_request_context, request
from marshmallow import Schema, fields, post_dump
from werkzeug.routing import BuildError

from app.core.fields import Kind
from app.core.tenancy import public_base_url, tenant_home_url
from app.core.timeutil import isoformat
from app.media.operations import files_by_ids


def absolute(path):
    """``path`` on the request tenant's public host (media URLs in API output are absolute)."""
    if not path:
        return None
    tenant = g.get("tenant") if has_request_context() else None
    if tenant is not None:
        return public_base_url(tenant) + path
    return path


def media_dump(media):
    """The API shape of one media file."""
    if media is None:
        return None
    return {
        "id": media.id,
        "kind": media.kind,
        "url": absolute(media.url),
        "thumb_url": absolute(media.thumb_url),
        "name": media.original_name,
        "content_type": media.content_type,
        "size": media.size,
    }


class LocalDateTime(fields.Field):
    """ISO 8601 with the offset of Asia/Ho_Chi_Minh."""

    def _serialize(self, value, attr, obj, **kwargs):
        return isoformat(value)


class ItemSchema(Schema):
    """What every reviewable item carries: id, state, url, publication times, revision and source.

    :param staff: the reader is staff of the site (a module's schema may show them more).
    """

    id = fields.Int()
    state = fields.Str(attribute="effective_state")
    url = fields.Method("get_url", allow_none=True)
    publish_at = LocalDateTime(allow_none=True)
    expire_at = LocalDateTime(allow_none=True)
    published_at = LocalDateTime(allow_none=True)
    updated_at = LocalDateTime(allow_none=True)
    # The live item a pending revision revises (its own id is what staff address it by); null for an original.
    revision_of = fields.Int(attribute="revision_of_id", allow_none=True)
    source_tenant = fields.Method("get_source_tenant", allow_none=True)
    source_url = fields.Str(allow_none=True)
    attribution = fields.Method("get_attribution", allow_none=True)
    # {former key: declared key}: a field shown again under the name it had before, for integrators.
    former_names = {}

    def __init__(self, *args, staff=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = staff

    @post_dump
    def _former_names(self, data, **kwargs):
        for former, key in self.former_names.items():
            if key in data:
                data[former] = data[key]
        return data

    def get_url(self, item):
        """The public page (a revision points to its live item's page; a draft without a page to the site)."""
        target = item
        if item.revision_of_id is not None:
            from app.extensions import db

            target = db.session.get(type(item), item.revision_of_id) or item
        public_url = item.declaration.public_url
        if public_url is not None:
            try:
                return public_url(target)
            except BuildError:
                pass
        return tenant_home_url(item.tenant)

    def get_source_tenant(self, item):
        source = item.source_tenant
        if source is None:
            return None
        return {"code": source.code, "name": source.name_vi, "name_en": source.name_en}

    def get_attribution(self, item):
        lang = request.args.get("lang", "vi") if has_request_context() else "vi"
        return item.tenant.attribution("en" if lang == "en" else "vi")


def _media_one(name):
    return fields.Function(lambda item: media_dump(_tenant_file(item, getattr(item, name))), allow_none=True)


def _tenant_file(item, media_id):
    rows = files_by_ids([media_id], item.tenant_id) if media_id else []
    return rows[0] if rows else None


def _media_list(name):
    return fields.Function(lambda item: [media_dump(m) for m in files_by_ids(getattr(item, name), item.tenant_id)])


def _relation(field):
    def dump(item):
        related = getattr(item, field.relation, None) if field.relation else None
        if related is None:
            return getattr(item, field.name, None)
        return getattr(related, "slug", None) or related.id

    return fields.Function(dump, allow_none=True)


def _output_field(field):
    attribute = {"attribute": field.name} if field.key != field.name else {}
    kind = field.kind
    if kind == Kind.MEDIA:
        return _media_one(field.name)
    if kind == Kind.MEDIA_LIST:
        return _media_list(field.name)
    if kind == Kind.RELATION:
        return _relation(field)
    if kind == Kind.DATETIME:
        return LocalDateTime(allow_none=True, **attribute)
    if kind == Kind.DATE:
        return fields.Date(allow_none=True, **attribute)
    if kind == Kind.MONEY:
        return fields.Decimal(as_string=True, allow_none=True, **attribute)
    if kind == Kind.FLAG:
        return fields.Bool(allow_none=True, **attribute)
    if kind == Kind.NUMBER:
        return fields.Int(allow_none=True, **attribute)
    if kind == Kind.TAGS:
        return fields.List(fields.Str(), allow_none=True, **attribute)
    if kind == Kind.DATA:
        return fields.Raw(allow_none=True, **attribute)
    return fields.Str(allow_none=True, **attribute)


def schema_for(content_type, base=None):
    """The output schema class of ``content_type``: ``base`` (default :class:`ItemSchema`) plus every declared,
    non-personal field that ``base`` does not define itself."""
    base = base or ItemSchema
    declared = getattr(base, "_declared_fields", {})
    attrs = {f.key: _output_field(f) for f in content_type.fields if not f.personal and f.api and f.key not in declared}
    return type(f"{content_type.model.__name__}Schema", (base,), attrs)
