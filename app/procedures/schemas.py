"""Marshmallow schemas of the procedures API (contract field names)."""

from marshmallow import EXCLUDE, Schema, fields, validate

from app.api.inputs import Id, WholeNumber
from app.media.operations import files_by_ids
from app.procedures.models import CHANNELS
from app.workflow.schemas import ItemSchema, absolute


class ProcedureSchema(ItemSchema):
    """A procedure: its dossier with the form templates' addresses, and ``legal_basis`` as a list of lines."""

    components = fields.Method("get_components")
    legal_basis = fields.Method("get_legal_basis")

    def get_components(self, proc):
        media = {m.id: m for m in files_by_ids(proc.form_ids(), proc.tenant_id)}
        out = []
        for c in proc.components or []:
            form = media.get(c.get("form_id"))
            out.append(
                {
                    "name": c.get("name"),
                    "quantity": c.get("quantity", 1),
                    "form_url": absolute(form.url) if form else None,
                    "form_name": form.original_name if form else None,
                }
            )
        return out

    def get_legal_basis(self, proc):
        return [line.strip() for line in (proc.legal_basis or "").splitlines() if line.strip()]


class ChannelSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    channel = fields.Str(required=True, validate=validate.OneOf(list(CHANNELS)))
    processing_days = fields.Float(allow_none=True, validate=validate.Range(min=0))
    processing_time = fields.Str(load_default="")
    fee = WholeNumber(low=0, allow_none=True)
    fee_note = fields.Str(load_default="")


class ComponentSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    name = fields.Str(required=True, validate=validate.Length(min=1, max=500))
    quantity = WholeNumber(low=1, load_default=1)
    form_id = Id(allow_none=True, load_default=None)
