"""API shapes of consultations, sections, published comments and outcomes (contract field names), and the
one input schema of a visitor's comment, loaded by the public form and by the API alike."""

from marshmallow import Schema, fields

from app.consultations.operations import comment_counts, media_links, section_of
from app.core.timeutil import isoformat
from app.moderation.schemas import ContactSchema, Lookup, Text
from app.workflow.schemas import ItemSchema


class SectionSchema(Schema):
    id = fields.Int()
    number = fields.Str()
    title = fields.Str()
    body = fields.Str()


class ConsultationSchema(ItemSchema):
    """A consultation: its declared fields (``app/consultations/content.py``), its sections, its computed
    status, and the attachments linked on its own site's host."""

    sections = fields.List(fields.Nested(SectionSchema))
    status = fields.Function(lambda c: c.status)
    tenant = fields.Function(lambda c: c.tenant.code)
    attachments = fields.Function(
        lambda c: [{"id": m.id, "name": m.original_name, "url": url} for m, url in media_links(c)]
    )
    comment_count = fields.Function(lambda c: sum(comment_counts(c).values()))


class PublicCommentSchema(Schema):
    """A published comment: the author's name or organisation only, never email, phone or address."""

    id = fields.Int()
    section_id = fields.Int(allow_none=True)
    author = fields.Function(lambda c: c.public_name)
    body = fields.Str()
    created_at = fields.Function(lambda c: isoformat(c.created_at))
    state = fields.Function(lambda c: c.status)


class OutcomeSchema(ItemSchema):
    """An outcome report: its declared fields, and the consultation it reports on."""

    consultation_id = fields.Int()


class CommentInputSchema(ContactSchema):
    """A visitor's comment on ``consultation``: who writes, the text, and the section it is about (if any).

    Loads into the keyword arguments of :func:`app.consultations.operations.receive_comment`.
    """

    body = Text(10000, required=True)
    section_id = Lookup(
        lambda schema, value: section_of(schema.consultation, value),
        empty=(None, "", 0, "0"),  # the draft as a whole (the form's first choice is 0)
        attribute="section",
        error_messages={"unknown": "No such section in this consultation."},
    )

    def __init__(self, consultation=None, **kwargs):
        super().__init__(**kwargs)
        self.consultation = consultation
