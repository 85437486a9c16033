"""Marshmallow schemas of the procedures API (contract field names)."""

from marshmallow import EXCLUDE, Schema, fields, validate

from app.core.timeutil import isoformat
from app.extensions import db
from app.media.operations import files_by_ids
from app.procedures.models import CHANNELS, LEVELS, ONLINE_LEVELS


class ProcedureSchema(Schema):
    id = fields.Int()
    code = fields.Str()
    name = fields.Str()
    level = fields.Str()
    procedure_type = fields.Str()
    field = fields.Str()
    implementing_agency = fields.Str()
    competent_agency = fields.Str()
    steps = fields.List(fields.Str())
    channels = fields.Raw()
    components = fields.Method("get_components")
    applicants = fields.Str()
    requirements = fields.Str()
    legal_basis = fields.Method("get_legal_basis")
    result = fields.Str()
    online_level = fields.Str()
    online_url = fields.Str()
    announced_on = fields.Method("get_announced_on")
    decision_number = fields.Str()
    state = fields.Str(attribute="effective_state")
    published_at = fields.Method("get_published_at")
    updated_at = fields.Method("get_updated_at")
    url = fields.Method("get_url")

    def get_components(self, proc):

        media = {m.id: m for m in files_by_ids(proc.form_ids(), proc.tenant_id)}
        out = []
        for c in proc.components or []:
            form = media.get(c.get("form_id"))
            out.append(
                {
                    "name": c.get("name"),
                    "quantity": c.get("quantity", 1),
                    "form_url": _absolute(proc, form.url) if form else None,
                    "form_name": form.original_name if form else None,
                }
            )
        return out

    def get_legal_basis(self, proc):
        return [line.strip() for line in (proc.legal_basis or "").splitlines() if line.strip()]

    def get_announced_on(self, proc):
        return proc.announced_on.isoformat() if proc.announced_on else None

    def get_published_at(self, proc):
        return isoformat(proc.published_at)

    def get_updated_at(self, proc):
        return isoformat(proc.updated_at)

    def get_url(self, proc):
        from app.procedures.models import _public_url

        return _public_url(proc)


def _absolute(proc, path):
    from app.core.models import Tenant
    from app.core.tenancy import tenant_home_url

    home = tenant_home_url(db.session.get(Tenant, proc.tenant_id)).rstrip("/")
    return home + path


class ChannelSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    channel = fields.Str(required=True, validate=validate.OneOf(list(CHANNELS)))
    processing_days = fields.Float(allow_none=True, validate=validate.Range(min=0))
    processing_time = fields.Str(load_default="")
    fee = fields.Int(allow_none=True, validate=validate.Range(min=0))
    fee_note = fields.Str(load_default="")


class ComponentSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    name = fields.Str(required=True, validate=validate.Length(min=1, max=500))
    quantity = fields.Int(load_default=1, validate=validate.Range(min=1))
    form_id = fields.Int(allow_none=True, load_default=None)


class ProcedureInputSchema(Schema):
    """What staff send to create or change a procedure; unknown fields are ignored."""

    class Meta:
        unknown = EXCLUDE

    code = fields.Str(validate=validate.Length(min=1, max=40))
    name = fields.Str(validate=validate.Length(min=1, max=500))
    level = fields.Str(validate=validate.OneOf(list(LEVELS)))
    procedure_type = fields.Str(validate=validate.Length(max=100))
    field = fields.Str(validate=validate.Length(max=200))
    implementing_agency = fields.Str(validate=validate.Length(max=300))
    competent_agency = fields.Str(validate=validate.Length(max=300))
    steps = fields.List(fields.Str())
    channels = fields.List(fields.Nested(ChannelSchema))
    components = fields.List(fields.Nested(ComponentSchema))
    applicants = fields.Str()
    requirements = fields.Str()
    legal_basis = fields.Raw()
    result = fields.Str()
    online_level = fields.Str(validate=validate.OneOf(list(ONLINE_LEVELS)))
    online_url = fields.Str(validate=validate.Length(max=500))
    announced_on = fields.Date(allow_none=True)
    decision_number = fields.Str(validate=validate.Length(max=100))
