"""API shapes of questions (public ones carry nothing personal, the staff view of an answer), and the one
input schema of a visitor's question, loaded by the public form and by the API alike."""

from marshmallow import Schema, fields

from app.core.tenancy import current_tenant, tenant_url
from app.core.timeutil import isoformat
from app.moderation.schemas import Choice, ContactSchema, Flag, Lookup, Text
from app.questions.models import KINDS
from app.questions.operations import find_agency, published_answer
from app.workflow.schemas import ItemSchema


class _CaseSchema(Schema):
    """What any visitor may know of a case: never the asker's name, email, phone or address."""

    kind = fields.Str()
    title = fields.Str()
    state = fields.Function(lambda q: q.status)
    received_at = fields.Function(lambda q: isoformat(q.received_at))
    answered_at = fields.Function(lambda q: isoformat(q.answered_at))
    answer = fields.Function(lambda q: _answer(q))


class PublicQuestionSchema(_CaseSchema):
    """An answered question whose asker allowed publication, as the list shows it."""

    id = fields.Int()
    topic = fields.Str()
    body = fields.Str()
    answered_by = fields.Function(lambda q: q.tenant.code if q.tenant else None)
    url = fields.Function(lambda q: _list_url(q))


class TrackingSchema(_CaseSchema):
    """The status of one case for whoever holds its tracking code."""

    tracking_code = fields.Str()
    due_at = fields.Function(lambda q: isoformat(q.due_at))
    handled_by = fields.Function(lambda q: q.tenant.code if q.tenant else None)
    url = fields.Function(lambda q: _track_url(q))


class AnswerStaffSchema(ItemSchema):
    """An answer as staff see it: its declared body, and the question it answers."""

    question_id = fields.Int()
    title = fields.Str()


def _answer(question):
    item = published_answer(question)
    return item.body if item else None


def _track_url(question):
    return tenant_url(question.origin_tenant, "questions.track", code=question.tracking_code)


def _list_url(question):
    return tenant_url(current_tenant._get_current_object(), "questions.index") + f"#question-{question.id}"


class QuestionInputSchema(ContactSchema):
    """A visitor's question, feedback or petition, and the agency it is meant for (on the portal).

    Loads into the keyword arguments of :func:`app.questions.operations.receive`.
    """

    class Meta(ContactSchema.Meta):
        exclude = ("organisation",)

    kind = Choice(KINDS, default="question")
    topic = Text(200)
    title = Text(300, required=True)
    body = Text(10000, required=True)
    address = Text(500)
    publish_allowed = Flag()
    target_tenant = Lookup(lambda schema, code: find_agency(code), error_messages={"unknown": "Unknown agency code."})
