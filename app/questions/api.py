"""Questions API (contract): answered questions, one case by tracking code, and the public post."""

from flask import Blueprint

from app.api.pagination import paginate
from app.core.errors import APIError
from app.core.tenancy import current_tenant
from app.extensions import csrf, db
from app.moderation import antispam
from app.moderation.schemas import load_json
from app.questions import operations as ops
from app.questions.schemas import PublicQuestionSchema, QuestionInputSchema, TrackingSchema

bp = Blueprint("questions_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.get("/questions")
def list_questions():
    """Answered questions whose askers allowed publication; nothing personal."""
    return paginate(ops.public_questions(current_tenant._get_current_object()), PublicQuestionSchema())


@bp.get("/questions/<code>")
def get_question(code):
    """The status and answer of one case by its tracking code; nothing personal."""
    question = ops.find_by_code(code, current_tenant._get_current_object())
    if question is None:
        raise APIError(404, "No case with this tracking code on this site.")
    return TrackingSchema().dump(question)


@bp.post("/questions")
@antispam.rate_limit("question")
def post_question():
    """Receive a question: 202 with its ``tracking_code`` (also emailed to the asker)."""
    data = load_json(QuestionInputSchema())
    question = ops.receive(current_tenant._get_current_object(), **data, source="api")
    db.session.commit()
    ops.send_receipt(question)
    tracking = TrackingSchema().dump(question)
    return {
        "tracking_code": question.tracking_code,
        "state": question.status,
        "due_at": tracking["due_at"],
        "url": tracking["url"],
        "message": "Received. Keep the tracking code to follow the case.",
    }, 202
