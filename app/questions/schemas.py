"""API shapes of questions: public (nothing personal) and the staff view of an answer."""

from marshmallow import Schema, fields

from app.core.timeutil import isoformat


class PublicQuestionSchema(Schema):
    """An answered, publishable question: never the asker's name, email, phone or address."""

    id = fields.Int()
    kind = fields.Str()
    topic = fields.Str()
    title = fields.Str()
    body = fields.Str()
    state = fields.Function(lambda q: q.status)
    received_at = fields.Function(lambda q: isoformat(q.received_at))
    answered_at = fields.Function(lambda q: isoformat(q.answered_at))
    answer = fields.Function(lambda q: _answer(q))
    answered_by = fields.Function(lambda q: q.tenant.code if q.tenant else None)
    url = fields.Function(lambda q: _list_url(q))


class TrackingSchema(Schema):
    """The status of one case for whoever holds its tracking code: nothing personal."""

    tracking_code = fields.Str()
    kind = fields.Str()
    title = fields.Str()
    state = fields.Function(lambda q: q.status)
    received_at = fields.Function(lambda q: isoformat(q.received_at))
    due_at = fields.Function(lambda q: isoformat(q.due_at))
    answered_at = fields.Function(lambda q: isoformat(q.answered_at))
    handled_by = fields.Function(lambda q: q.tenant.code if q.tenant else None)
    answer = fields.Function(lambda q: _answer(q))
    url = fields.Function(lambda q: _track_url(q))


class AnswerStaffSchema(Schema):
    id = fields.Int()
    question_id = fields.Int()
    title = fields.Str()
    body = fields.Str()
    state = fields.Function(lambda a: a.effective_state)
    published_at = fields.Function(lambda a: isoformat(a.published_at))


def _answer(question):
    from app.questions.operations import published_answer

    item = published_answer(question)
    return item.body if item else None


def _track_url(question):
    from app.core.tenancy import tenant_url

    return tenant_url(question.origin_tenant, "questions.track", code=question.tracking_code)


def _list_url(question):
    from app.core.tenancy import current_tenant, tenant_url

    return tenant_url(current_tenant._get_current_object(), "questions.index") + f"#question-{question.id}"
