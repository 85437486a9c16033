"""Marshmallow schemas of the documents API (contract field names)."""

from marshmallow import EXCLUDE, Schema, fields, validate

from app.core.timeutil import isoformat
from app.documents.models import RELATIONS, STATUSES


def _day(value):
    return value.isoformat() if value else None


class DocumentSchema(Schema):
    id = fields.Int()
    number = fields.Str()
    doc_type = fields.Str()
    issuer = fields.Str()
    signer = fields.Str()
    title = fields.Str()
    issued_on = fields.Function(lambda d: _day(d.issued_on))
    effective_on = fields.Function(lambda d: _day(d.effective_on))
    expires_on = fields.Function(lambda d: _day(d.expires_on))
    status = fields.Str()
    field = fields.Str()
    summary = fields.Str()
    body = fields.Str()
    files = fields.Method("get_files")
    gazette = fields.Method("get_gazette")
    relations = fields.Method("get_relations")
    state = fields.Str(attribute="effective_state")
    published_at = fields.Function(lambda d: isoformat(d.published_at))
    updated_at = fields.Function(lambda d: isoformat(d.updated_at))
    url = fields.Method("get_url")

    def __init__(self, *args, staff=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = staff

    def get_url(self, doc):
        from app.documents.models import _public_url

        return _public_url(doc)

    def get_files(self, doc):
        from app.core.models import Tenant
        from app.core.tenancy import tenant_home_url
        from app.documents.views import files_of
        from app.extensions import db

        home = tenant_home_url(db.session.get(Tenant, doc.tenant_id)).rstrip("/")
        return [
            {"id": m.id, "name": m.original_name, "content_type": m.content_type, "size": m.size, "url": home + m.url}
            for m in files_of(doc)
        ]

    def get_gazette(self, doc):
        issue = doc.gazette_issue
        return {"number": issue.number, "date": _day(issue.issued_on)} if issue else None

    def get_relations(self, doc):
        """Both directions: ``kind`` is amends/replaces/guides or is_amended_by/is_replaced_by/is_guided_by."""
        from app.documents.models import _public_url
        from app.documents.operations import relations_of

        outgoing, incoming = relations_of(doc, public=not self.staff)
        names = {str(v): k for k, v in RELATIONS.items()}
        out = []
        for label, other in outgoing:
            kind = next((r["kind"] for r in doc.relations if r["target_id"] == other.id), names.get(str(label)))
            out.append({"kind": kind, "id": other.id, "number": other.number, "url": _public_url(other)})
        for _label, other in incoming:
            for r in other.relations or []:
                if r.get("target_id") == doc.id:
                    inverse = {"amends": "is_amended_by", "replaces": "is_replaced_by", "guides": "is_guided_by"}
                    out.append(
                        {"kind": inverse[r["kind"]], "id": other.id, "number": other.number, "url": _public_url(other)}
                    )
        return out


class RelationInput(Schema):
    class Meta:
        unknown = EXCLUDE

    kind = fields.Str(required=True, validate=validate.OneOf(list(RELATIONS)))
    target_id = fields.Int(required=True)


class DocumentInputSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    number = fields.Str(validate=validate.Length(min=1, max=100))
    doc_type = fields.Str(validate=validate.Length(max=100))
    issuer = fields.Str(validate=validate.Length(max=300))
    signer = fields.Str(validate=validate.Length(max=200))
    title = fields.Str(validate=validate.Length(min=1, max=1000))
    issued_on = fields.Date(allow_none=True)
    effective_on = fields.Date(allow_none=True)
    expires_on = fields.Date(allow_none=True)
    status = fields.Str(validate=validate.OneOf(list(STATUSES)))
    field = fields.Str(validate=validate.Length(max=200))
    summary = fields.Str()
    body = fields.Str()
    files = fields.List(fields.Int())
    gazette_issue_id = fields.Int(allow_none=True)
    relations = fields.List(fields.Nested(RelationInput))
