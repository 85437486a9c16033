"""What the press API shows beyond the declared fields."""

from marshmallow import fields

from app.workflow.schemas import ItemSchema


class PressReleaseSchema(ItemSchema):
    slug = fields.Str(allow_none=True)
