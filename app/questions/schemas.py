"""API shapes of questions (public ones carry nothing personal; the staff view of a case and of an answer),
the one input schema of a visitor's question, loaded by the public form and by the API alike, and what
staff send to answer, forward or list cases."""

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates

from app.core.tenancy import current_tenant, tenant_url
from app.core.text import plain_text
from app.moderation.schemas import (
    Choice,
    ComputedBool,
    ComputedDateTime,
    ComputedInt,
    ComputedStr,
    ContactSchema,
    Flag,
    Lookup,
    Text,
)
from app.questions.models import KINDS, QuestionStatus
from app.questions.operations import find_agency, pending_answer, published_answer
from app.workflow.schemas import ItemSchema

# What only the staff handling a case see of its asker.
PERSONAL_FIELDS = ("name", "email", "phone", "address")


class _CaseSchema(Schema):
    """What any visitor may know of a case: never the asker's name, email, phone or address."""

    kind = fields.Str()
    title = fields.Str()
    state = ComputedStr(lambda q: q.status)
    received_at = ComputedDateTime(lambda q: q.received_at)
    answered_at = ComputedDateTime(lambda q: q.answered_at, allow_none=True)
    answer = ComputedStr(lambda q: _answer(q), allow_none=True)


class PublicQuestionSchema(_CaseSchema):
    """An answered question whose asker allowed publication, as the list shows it."""

    id = fields.Int()
    topic = fields.Str()
    body = fields.Str()
    answered_by = ComputedStr(lambda q: q.tenant.code if q.tenant else None, allow_none=True)
    url = ComputedStr(lambda q: _list_url(q))


class TrackingSchema(_CaseSchema):
    """The status of one case for whoever holds its tracking code."""

    tracking_code = fields.Str()
    due_at = ComputedDateTime(lambda q: q.due_at, allow_none=True)
    handled_by = ComputedStr(lambda q: q.tenant.code if q.tenant else None, allow_none=True)
    url = ComputedStr(lambda q: _track_url(q))


class StaffQuestionSchema(TrackingSchema):
    """A case as the staff of the site handling it see it: the tracking view, the deadline, where it was
    asked and forwarded, the answer being written, and (``exclude=()``) the asker's name and contact.

    Every field of the public list is here too, so one schema describes both answers of ``GET /questions``.
    """

    id = fields.Int()
    topic = fields.Str()
    body = fields.Str()
    answered_by = ComputedStr(lambda q: q.tenant.code if q.status == QuestionStatus.ANSWERED else None, allow_none=True)
    overdue = ComputedBool(lambda q: q.is_overdue)
    asked_on = ComputedStr(lambda q: q.origin_tenant.code)
    target_tenant = ComputedStr(lambda q: q.target_tenant.code if q.target_tenant else None, allow_none=True)
    forwarded_to = ComputedStr(lambda q: q.tenant.code if q.forwarded_at else None, allow_none=True)
    forwarded_at = ComputedDateTime(lambda q: q.forwarded_at, allow_none=True)
    forward_note = fields.Str()
    publish_allowed = fields.Bool()
    filter_hits = fields.List(fields.Str())
    source = fields.Str()
    answer_id = ComputedInt(lambda q: _answer_attr(q, "id"), allow_none=True)
    answer_state = ComputedStr(lambda q: _answer_attr(q, "effective_state"), allow_none=True)
    name = fields.Str()
    email = fields.Str()
    phone = fields.Str()
    address = fields.Str()
    personal_data_erased = ComputedBool(lambda q: q.erased_at is not None)


class QuestionReceiptSchema(Schema):
    """What the sender of a question keeps: the tracking code, the deadline and the page to follow the case."""

    tracking_code = fields.Str()
    state = ComputedStr(lambda q: q.status)
    due_at = ComputedDateTime(lambda q: q.due_at, allow_none=True)
    url = ComputedStr(lambda q: _track_url(q))
    message = ComputedStr(lambda q: "Received. Keep the tracking code to follow the case.")


class AnswerStaffSchema(ItemSchema):
    """An answer as staff see it: its declared body, and the question it answers."""

    question_id = fields.Int()
    title = fields.Str()


def answer_result_schema(answer_schema):
    """What ``POST /questions/<tracking_code>/answer`` answers: the answer row written (``answer_schema``: the
    declared type's full schema, ``ANSWER.schema``), and its case's tracking code and state."""
    attrs = {
        "tracking_code": ComputedStr(lambda a: a.question.tracking_code),
        "question_state": ComputedStr(lambda a: a.question.status),
    }
    return type("AnswerResultSchema", (answer_schema,), attrs)


def _answer(question):
    item = published_answer(question)
    return item.body if item else None


def _answer_attr(question, name):
    """``name`` of the case's current answer (the one written or in review, else the published one)."""
    item = pending_answer(question)
    return getattr(item, name) if item is not None else None


def _track_url(question):
    return tenant_url(question.origin_tenant, "questions.track", code=question.tracking_code)


def _list_url(question):
    return tenant_url(current_tenant._get_current_object(), "questions.index") + f"#question-{question.id}"


class StaffQuestionQuerySchema(Schema):
    """The filters of the staff list of cases (``GET /questions`` with a staff token)."""

    class Meta:
        unknown = EXCLUDE

    state = fields.Str(validate=validate.OneOf([*(s.value for s in QuestionStatus), "open"]))
    overdue = fields.Bool()


class AnswerWriteSchema(Schema):
    """An answer written by staff: rich text (sanitised when stored), sent into review unless ``submit`` is
    false."""

    class Meta:
        unknown = EXCLUDE

    body = fields.Str(required=True, validate=validate.Length(max=100_000))
    submit = fields.Bool(load_default=True)

    @validates("body")
    def _not_blank(self, value, **kwargs):
        if not plain_text(value):
            raise ValidationError("Write the answer.")


class ForwardInputSchema(Schema):
    """Where the portal's board forwards a case: an active agency's code, and a note for it."""

    class Meta:
        unknown = EXCLUDE

    target_tenant = fields.Str(required=True, validate=validate.Length(min=1, max=60))
    note = fields.Str(load_default="", validate=validate.Length(max=2000))


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
