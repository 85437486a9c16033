"""Questions API (contract): answered questions, one case by tracking code, and the public post."""

from flask import Blueprint
from sqlalchemy import select

from app.api.helpers import json_object, text_field
from app.api.pagination import paginate
from app.core.errors import APIError
from app.core.models import Tenant
from app.core.tenancy import current_tenant
from app.extensions import csrf, db
from app.moderation import antispam
from app.questions import operations as ops
from app.questions.models import KINDS
from app.questions.schemas import PublicQuestionSchema, TrackingSchema

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
    data = json_object()
    errors = {}
    kind = data.get("kind") or "question"
    if kind not in KINDS:
        errors["kind"] = "One of: " + ", ".join(KINDS)
    title = text_field(data, "title", 300, True, errors)
    body = text_field(data, "body", 10000, True, errors)
    name = text_field(data, "name", 200, True, errors)
    email = text_field(data, "email", 255, True, errors)
    phone = text_field(data, "phone", 50, False, errors)
    address = text_field(data, "address", 500, False, errors)
    topic = text_field(data, "topic", 200, False, errors)
    if email and "email" not in errors and ("@" not in email or "." not in email.rpartition("@")[2]):
        errors["email"] = "Not a valid email address."
    if data.get("consent") is not True:
        errors["consent"] = "Consent to the stated use of personal data is required (true)."
    publish_allowed = data.get("publish_allowed", False)
    if not isinstance(publish_allowed, bool):
        errors["publish_allowed"] = "Must be true or false."
    target = None
    if data.get("target_tenant"):
        target = (
            db.session.execute(select(Tenant).where(Tenant.code == str(data["target_tenant"]), Tenant.active.is_(True)))
            .scalars()
            .first()
        )
        if target is None or target.is_portal:
            errors["target_tenant"] = "Unknown agency code."
    if errors:
        raise APIError(422, "Some fields are missing or not valid.", fields=errors)
    tenant = current_tenant._get_current_object()
    question = ops.receive(
        tenant,
        kind=kind,
        title=title,
        body=body,
        name=name,
        email=email,
        phone=phone,
        address=address,
        topic=topic,
        target_tenant=target,
        publish_allowed=publish_allowed,
        consent=True,
        source="api",
    )
    db.session.commit()
    ops.send_receipt(question)
    return {
        "tracking_code": question.tracking_code,
        "state": question.status,
        "due_at": TrackingSchema().dump(question)["due_at"],
        "url": TrackingSchema().dump(question)["url"],
        "message": "Received. Keep the tracking code to follow the case.",
    }, 202
