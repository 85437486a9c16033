"""Questions API (contract): answered questions and one case by tracking code for everyone, the public post;
for the staff of the site handling a case, its list and detail, the answer and (on the portal) forwarding.

The staff endpoints call the back office's operations (``app/questions/operations.py``): who may act, the
deadline, the forwarding notice and the audit log are theirs. Only the staff of the site handling a case
see it as staff, and only those who may act there (not the inspector) see the asker's name and contact.
"""

from flask import Blueprint, request
from marshmallow import ValidationError
from sqlalchemy import and_, not_

from app.api.auth import require_staff
from app.api.content import apply_input
from app.api.describe import operation
from app.api.helpers import is_staff
from app.api.helpers import load_json as load_staff_json
from app.api.pagination import paginate
from app.auth.permissions import can_write
from app.core.errors import APIError
from app.core.scoping import scoped
from app.core.tenancy import current_tenant
from app.core.timeutil import utcnow
from app.extensions import csrf, db
from app.moderation import antispam
from app.moderation.schemas import load_json
from app.questions import operations as ops
from app.questions.content import ANSWER
from app.questions.models import Question, QuestionStatus
from app.questions.schemas import (
    PERSONAL_FIELDS,
    AnswerWriteSchema,
    ForwardInputSchema,
    PublicQuestionSchema,
    QuestionInputSchema,
    QuestionReceiptSchema,
    StaffQuestionQuerySchema,
    StaffQuestionSchema,
    TrackingSchema,
    answer_result_schema,
)
from app.workflow.models import ReviewState
from app.workflow.operations import WorkflowError, record_edit, start_revision, transition

bp = Blueprint("questions_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

# Largest bodies, in bytes (``max_body``: 413 beyond, see ``app.api.helpers.json_object``): a question
# (10,000 characters of text and the contact), an answer (rich text), a forwarding note.
QUESTION_MAX_BODY = 64 * 1024
ANSWER_MAX_BODY = 512 * 1024
FORWARD_MAX_BODY = 16 * 1024
AnswerResultSchema = answer_result_schema(ANSWER.schema)
TRACKING_CODE = {"tracking_code": "The case's tracking code, such as HD-2026-7KQ4M9XA (case-insensitive)."}


def _staff_schema(user=None):
    """The staff view of cases; the asker's name and contact only for those who may act on this site."""
    user = user or require_staff(write=False)
    return StaffQuestionSchema(exclude=() if can_write(user, current_tenant) else PERSONAL_FIELDS)


def _handled_case(tracking_code, required=True):
    """The case ``tracking_code`` this site handles now, else 404 (or None when not ``required``); once
    forwarded, a case is handled by the agency, not by the site where it was asked."""
    stmt = scoped(Question).where(Question.tracking_code == ops.normalise_code(tracking_code))
    question = db.session.execute(stmt).scalars().first()
    if question is None and required:
        raise APIError(404, "This site handles no case with this tracking code.")
    return question


def _refused(exc):
    """The JSON error of a refusal from the back office's operations."""
    db.session.rollback()
    fields = {name: [str(m) for m in messages] for name, messages in exc.fields.items()}
    return APIError(exc.status, str(exc.message), exc.code, fields or None)


@bp.get("/questions")
@operation(
    tags=["questions"],
    summary="Answered questions (anonymous) or this site's cases (staff token)",
    description=(
        "Anonymous callers get the answered questions whose askers allowed publication, with nothing personal. "
        "With a staff token of this site: every case this site handles, soonest deadline first, filtered by "
        "`state` (a status, or `open`: not yet answered) and `overdue`; the asker's name, email, phone and "
        "address only for roles that may act on the site (not the inspector)."
    ),
    query=StaffQuestionQuerySchema,
    response=StaffQuestionSchema,
    many=True,
    auth="optional",
)
def list_questions():
    """Answered questions whose askers allowed publication; with a staff token, this site's cases."""
    if not is_staff():
        return paginate(ops.public_questions(current_tenant._get_current_object()), PublicQuestionSchema())
    schema = _staff_schema()
    try:
        args = StaffQuestionQuerySchema().load(request.args)
    except ValidationError as exc:
        raise APIError(400, "Some query parameters are not valid.", fields=exc.messages) from None
    stmt = scoped(Question)
    state = args.get("state")
    if state == "open":
        stmt = stmt.where(Question.status != QuestionStatus.ANSWERED)
    elif state:
        stmt = stmt.where(Question.status == state)
    if "overdue" in args:
        late = and_(Question.status != QuestionStatus.ANSWERED, Question.due_at < utcnow())
        stmt = stmt.where(late if args["overdue"] else not_(late))
    return paginate(stmt.order_by(Question.due_at.asc().nulls_last(), Question.id), schema)


@bp.get("/questions/<tracking_code>")
@operation(
    tags=["questions"],
    summary="One case by its tracking code",
    description=(
        "Anyone holding the tracking code sees the status and the answer, on the site where the case was asked "
        "or the one handling it. The staff of the handling site see the staff view (deadline, forwarding, the "
        "answer being written, and the asker's contact for roles that may act)."
    ),
    response=StaffQuestionSchema,
    auth="optional",
    path=TRACKING_CODE,
)
def get_question(tracking_code):
    """The status and answer of one case by its tracking code; the staff view for the handling site's staff."""
    if is_staff():
        question = _handled_case(tracking_code, required=False)
        if question is not None:
            return _staff_schema().dump(question)
    question = ops.find_by_code(tracking_code, current_tenant._get_current_object())
    if question is None:
        raise APIError(404, "No case with this tracking code on this site.")
    return TrackingSchema().dump(question)


@bp.post("/questions")
@operation(
    tags=["questions"],
    summary="Send a question, feedback or petition",
    description=(
        "Held for the handling agency; answers 202 with the `tracking_code` (also emailed to the asker). "
        "On the portal, `target_tenant` names the agency meant. Rate-limited per address."
    ),
    body=QuestionInputSchema,
    response=QuestionReceiptSchema,
    status=202,
    max_body=QUESTION_MAX_BODY,
    example={
        "kind": "question",
        "topic": "Thuế, phí",
        "title": "Thủ tục hoàn thuế thu nhập cá nhân",
        "body": "Tôi muốn hỏi thời hạn giải quyết hồ sơ hoàn thuế thu nhập cá nhân năm 2025.",
        "name": "Phạm Thị Dung",
        "email": "dung.pham@example.vn",
        "phone": "0911222333",
        "publish_allowed": True,
        "consent": True,
    },
)
@antispam.rate_limit("question")
def post_question():
    """Receive a question: 202 with its ``tracking_code`` (also emailed to the asker)."""
    data = load_json(QuestionInputSchema())
    question = ops.receive(current_tenant._get_current_object(), **data, source="api")
    db.session.commit()
    ops.send_receipt(question)
    return QuestionReceiptSchema().dump(question), 202


@bp.post("/questions/<tracking_code>/answer")
@operation(
    tags=["questions"],
    summary="Write or change the answer to a case",
    description=(
        "Writes the answer of the site handling the case and sends it into the site's review chain (unless "
        "`submit` is false), as the back office does; a reviewer then approves it with "
        "`POST /answers/<id>/transitions`. Sent again while the answer is a draft, returned for changes or in "
        "review, it changes that answer (a change in review starts the review again); sent after the answer "
        "is published, it writes a revision (`revision_of`: the published answer) that replaces it once "
        "approved. Answers 201 with the answer row written."
    ),
    body=AnswerWriteSchema,
    response=AnswerResultSchema,
    status=201,
    errors=(409,),
    auth="staff",
    max_body=ANSWER_MAX_BODY,
    path=TRACKING_CODE,
    example={
        "body": "<p>Thời hạn giải quyết hồ sơ hoàn thuế thu nhập cá nhân là 06 ngày làm việc kể từ ngày nhận "
        "đủ hồ sơ hợp lệ.</p>"
    },
)
def answer_question(tracking_code):
    """Write the answer to a case this site handles (or change it), and send it into review."""
    user = require_staff()
    data = load_staff_json(AnswerWriteSchema())
    question = _handled_case(tracking_code)
    current = ops.pending_answer(question)
    try:
        if current is None:
            item = ops.answer(question, data["body"], user, submit=data["submit"])
        else:
            item = _change_answer(current, data, user)
    except (ops.QuestionError, WorkflowError) as exc:
        raise _refused(exc) from None
    db.session.commit()
    return AnswerResultSchema().dump(item), 201, {"Location": f"/api/v1/{ANSWER.collection}/{item.id}"}


def _change_answer(current, data, user):
    """Write ``data`` on the case's answer (its pending revision once it is published); return the row."""
    target = start_revision(current, user)
    apply_input(target, {"body": data["body"]}, ANSWER)
    record_edit(target, user)
    if data["submit"] and target.state in (ReviewState.DRAFT, ReviewState.CHANGES_REQUESTED):
        transition(target, "submit", user)
    return target


@bp.post("/questions/<tracking_code>/forward")
@operation(
    tags=["questions"],
    summary="Forward a case to the responsible agency (portal)",
    description=(
        "The portal's editorial board passes a case to an active agency, which is emailed and then handles it "
        "(the portal's token no longer acts on it). 422 for an unknown or inactive agency or the portal "
        "itself; 409 once the case is answered or while an answer is in review."
    ),
    body=ForwardInputSchema,
    response=StaffQuestionSchema,
    errors=(409,),
    auth="staff",
    max_body=FORWARD_MAX_BODY,
    path=TRACKING_CODE,
    example={"target_tenant": "stc", "note": "Đề nghị Sở Tài chính trả lời công dân theo thẩm quyền."},
)
def forward_question(tracking_code):
    """Forward a case the portal handles to an agency, with a note for it."""
    user = require_staff()
    if not current_tenant.is_portal:
        raise APIError(403, "Only the portal's editorial board forwards cases.")
    data = load_staff_json(ForwardInputSchema())
    question = _handled_case(tracking_code)
    agency = ops.find_agency(data["target_tenant"])
    if agency is None:
        raise APIError(
            422,
            "Some fields are not valid.",
            fields={"target_tenant": ["No active agency with this code (the portal itself cannot be chosen)."]},
        )
    try:
        ops.forward(question, agency, user, data["note"])
    except ops.QuestionError as exc:
        raise _refused(exc) from None
    db.session.commit()
    # This site no longer handles the case: it sees what the handling agency is, not the asker's contact.
    return StaffQuestionSchema(exclude=PERSONAL_FIELDS).dump(question)
