"""API shapes of consultations, sections, published comments and outcomes (contract field names)."""

from marshmallow import Schema, fields

from app.core.timeutil import isoformat


class SectionSchema(Schema):
    id = fields.Int()
    number = fields.Str()
    title = fields.Str()
    body = fields.Str()


class ConsultationSchema(Schema):
    id = fields.Int()
    title = fields.Str()
    summary = fields.Str()
    document_type = fields.Str()
    field = fields.Str()
    drafting_unit = fields.Str()
    sections = fields.List(fields.Nested(SectionSchema))
    opens_at = fields.Function(lambda c: isoformat(c.opens_at))
    closes_at = fields.Function(lambda c: isoformat(c.closes_at))
    receiving_address = fields.Str()
    receiving_email = fields.Str()
    status = fields.Function(lambda c: c.status)
    state = fields.Function(lambda c: c.effective_state)
    url = fields.Function(lambda c: _url(c))
    tenant = fields.Function(lambda c: _tenant_code(c))
    attachments = fields.Function(lambda c: _attachments(c))
    comment_count = fields.Function(lambda c: _count(c))


class PublicCommentSchema(Schema):
    """A published comment: the author's name or organisation only, never email, phone or address."""

    id = fields.Int()
    section_id = fields.Int(allow_none=True)
    author = fields.Function(lambda c: c.public_name)
    body = fields.Str()
    created_at = fields.Function(lambda c: isoformat(c.created_at))
    state = fields.Function(lambda c: c.status)


class OutcomeSchema(Schema):
    id = fields.Int()
    consultation_id = fields.Int()
    title = fields.Str()
    summary = fields.Str()
    state = fields.Function(lambda o: o.effective_state)
    published_at = fields.Function(lambda o: isoformat(o.published_at))
    url = fields.Function(lambda o: _url(o))


def _url(item):
    from app.consultations.models import _public_url

    return _public_url(item)


def _tenant_code(item):
    from app.consultations.models import _tenant

    return _tenant(item).code


def _attachments(consultation):
    from app.consultations.views import media_links

    return [{"id": m.id, "name": m.original_name, "url": url} for m, url in media_links(consultation)]


def _count(consultation):
    from app.consultations.operations import comment_counts

    return sum(comment_counts(consultation).values())
