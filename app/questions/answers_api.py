"""Answers in the API: the generic collection of the declared type (``/answers``).

An answer is created for a case this site handles (``question``: the case's id), one at a time: while the
case has an answer (in review or published) a new one is 409, and that answer is changed instead. The case
it answers is fixed. ``POST /questions/<code>/answer`` (:mod:`app.questions.api`) does the same by tracking code.
"""

from flask import Blueprint
from sqlalchemy import select

from app.api.content import register_collection
from app.api.helpers import invalid
from app.core.errors import APIError
from app.extensions import csrf, db
from app.questions import operations as ops
from app.questions.content import ANSWER
from app.questions.models import Answer, Question, QuestionStatus

bp = Blueprint("answers_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
ANSWER_BODY = 512 * 1024


def after_apply(answer, data):
    """A new answer: its case has no other; a change: the case stays the same."""
    if answer.id is None:
        question = db.session.get(Question, answer.question_id)
        if ops.pending_answer(question) is not None:
            raise APIError(409, "This case already has an answer: change that one.")
        question.status = QuestionStatus.IN_PROGRESS
    elif "question" in data:
        stored = db.session.execute(select(Answer.question_id).where(Answer.id == answer.id)).scalar()
        if stored != answer.question_id:
            raise invalid({"question": ["The case an answer answers is fixed."]})


register_collection(
    bp,
    ANSWER,
    after_apply=after_apply,
    order_by=(Answer.published_at.desc().nulls_last(), Answer.id.desc()),
    max_body=ANSWER_BODY,
    example={
        "question": 1,
        "body": "<p>Thời hạn giải quyết hồ sơ hoàn thuế thu nhập cá nhân là 06 ngày làm việc kể từ ngày nhận đủ "
        "hồ sơ hợp lệ.</p>",
    },
)
