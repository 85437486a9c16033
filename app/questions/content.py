"""Questions declared once: the visitor's case (a plain row, mostly personal data) and the agency's answer
(reviewable); cleaning, media usage, search and the back-office form come from here."""

from flask import url_for
from flask_babel import lazy_gettext as _l

from app.core.fields import Field, Kind, declare
from app.core.tenancy import tenant_url
from app.core.text import plain_text
from app.core.timeutil import utcnow
from app.questions.models import KINDS, Answer, Question
from app.questions.operations import CONSENT_VERSION, deadline_for, new_tracking_code
from app.questions.schemas import AnswerStaffSchema
from app.workflow.registry import ContentType, register


def _answer_url(answer):
    """Where the public reads an answer: with its question on the list of the site it was asked on.

    Never the tracking page (its code is the asker's secret, and URLs of published items travel), and
    nothing when the asker did not allow publication: then the answer has no public place (R-17).
    """
    question = answer.question
    if question is None or not question.publish_allowed:
        return None
    return tenant_url(question.origin_tenant, "questions.index") + f"#question-{question.id}"


def _answer_preview_url(answer):
    """Where staff preview an answer: its case's tracking page on the site handling it."""
    return tenant_url(answer.question.tenant, "questions.track", code=answer.question.tracking_code)


def _answer_document(answer):
    """An answer is found by its question (what people search with) and its own text."""
    question = answer.question
    text = plain_text(answer.body)
    return question.title, plain_text(answer.body, limit=400), f"{question.title} {question.body} {text}", "vi"


def sample_answer(tenant, author):
    """A draft answer to a new question asked on ``tenant``, whose asker allowed publication."""
    now = utcnow()
    question = Question(
        tenant_id=tenant.id,
        origin_tenant_id=tenant.id,
        tracking_code=new_tracking_code(now),
        title="Câu hỏi mẫu về thời hạn giải quyết thủ tục",
        body="Xin hỏi thời hạn giải quyết hồ sơ là bao lâu?",
        publish_allowed=True,
        consent_at=now,
        consent_version=CONSENT_VERSION,
        received_at=now,
        due_at=deadline_for("question", now),
    )
    return Answer(question=question, body="<p>Thời hạn giải quyết là 10 ngày làm việc.</p>")


ANSWER = register(
    ContentType(
        name="answer",
        model=Answer,
        label=_l("Answer to a citizen"),
        public_url=_answer_url,
        search=_answer_document,
        # The list of answered questions is in the sitemap (views.sitemap_entries), not each anchor on it.
        sitemap=False,
        admin_endpoint="question_answers",
        # Staff preview an answer on its case's tracking page: the list shows only answered cases.
        extra={"preview_url": _answer_preview_url},
        schema=AnswerStaffSchema,
        sample=sample_answer,
        fields=(
            # Sent by the API as ``question`` (the case's id) when an answer is created; fixed afterwards.
            Field(
                "question_id",
                Kind.RELATION,
                _l("Question"),
                api_name="question",
                relation="question",
                required=True,
                form=False,
            ),
            Field("body", Kind.RICH_TEXT, _l("Answer"), search="body", required=True),
        ),
    )
)

# What a visitor sends (plain text, never HTML). Name, contact details and address never leave the
# handling staff, and are erased on request.
QUESTION = declare(
    Question,
    (
        Field("kind", Kind.CHOICE, _l("Kind"), choices=tuple(KINDS.items())),
        Field("topic", Kind.TEXT, _l("Topic"), max_length=200),
        Field("title", Kind.TEXT, _l("Title"), required=True, max_length=300),
        Field("body", Kind.TEXT, _l("Content"), required=True, max_length=10000),
        Field("name", Kind.TEXT, _l("Name"), personal=True, max_length=200),
        Field("email", Kind.EMAIL, _l("Email"), personal=True, max_length=255),
        Field("phone", Kind.TEXT, _l("Phone"), personal=True, max_length=50),
        Field("address", Kind.TEXT, _l("Address"), personal=True, max_length=500),
        Field("forward_note", Kind.TEXT, _l("Forwarding note")),
    ),
    label=_l("Question"),
    edit_url=lambda question: url_for("question_inbox.detail", question_id=question.id),
)
