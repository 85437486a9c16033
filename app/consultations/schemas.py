"""API shapes of consultations, sections, comments (published ones, and the moderators' view) and outcomes
(contract field names), the one input schema of a visitor's comment, loaded by the public form and by the
API alike, and the comments' moderation queue (``app/moderation/api.py``)."""

from marshmallow import Schema, fields

from app.consultations.models import Comment, CommentStatus
from app.consultations.operations import ModerationError, comment_counts, media_links, moderate, section_of
from app.core.tenancy import tenant_url
from app.moderation.api import Queue
from app.moderation.schemas import ComputedBool, ComputedDateTime, ComputedStr, ContactSchema, Lookup, Text
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
    """A published comment: the author's name or organisation only, never email, phone or address; ``url`` is
    its place on the consultation's public page, on the consultation's own site."""

    id = fields.Int()
    consultation_id = fields.Int()
    section_id = fields.Int(allow_none=True)
    author = ComputedStr(lambda c: c.public_name)
    body = fields.Str()
    created_at = ComputedDateTime(lambda c: c.created_at)
    state = ComputedStr(lambda c: c.status)
    url = ComputedStr(lambda c: comment_url(c))


def comment_url(comment):
    """The comment's anchor on its consultation's public page (absolute, on the consultation's host)."""
    page = tenant_url(comment.tenant, "consultations.detail", consultation_id=comment.consultation_id)
    return f"{page}#comment-{comment.id}"


class CommentReceiptSchema(Schema):
    """What the sender of a comment keeps (``POST /consultations/<id>/comments``, 202): it waits for moderation."""

    id = fields.Int()
    consultation_id = fields.Int()
    section_id = fields.Int(allow_none=True)
    state = fields.Str()
    message = fields.Str()
    purpose = fields.Str()
    consent_version = fields.Str()


# What only moderators see of a comment's author.
COMMENT_PERSONAL_FIELDS = ("name", "email", "phone")


class StaffCommentSchema(PublicCommentSchema):
    """A comment as this site's moderators see it: where it belongs, when it came, the word-filter hits,
    the moderation so far, and (for moderators only) who wrote it and how to reach them."""

    consultation_title = ComputedStr(lambda c: c.consultation.title)
    section = ComputedStr(lambda c: c.section.label() if c.section else None, allow_none=True)
    received_at = ComputedDateTime(lambda c: c.created_at)
    organisation = fields.Str()
    filter_hits = fields.List(fields.Str())
    hidden_reason = fields.Str()
    duplicate_of = fields.Int(attribute="duplicate_of_id", allow_none=True)
    moderated_at = ComputedDateTime(lambda c: c.moderated_at, allow_none=True)
    attachment_id = fields.Int(allow_none=True)
    source = fields.Str()
    name = fields.Str()
    email = fields.Str()
    phone = fields.Str()
    personal_data_erased = ComputedBool(lambda c: c.erased_at is not None)


def comment_queue(roles):
    """The comments' moderation queue, for :func:`app.moderation.api.register_queue`; ``roles`` are the
    moderators' roles of the back office's queue (``admin.MODERATOR_ROLES``)."""
    return Queue(
        collection="comments",
        model=Comment,
        statuses=tuple(s.value for s in CommentStatus),
        actions=("publish", "hide", "duplicate"),
        moderate=moderate,
        refusal=ModerationError,
        schema=StaffCommentSchema,
        roles=tuple(roles),
        personal=COMMENT_PERSONAL_FIELDS,
        filters={"consultation_id": Comment.consultation_id},
        tag="comments",
        example={"action": "hide", "reason": "Nội dung không liên quan đến dự thảo."},
    )


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
