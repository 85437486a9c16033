"""Consultations API (contract): list, detail, published comments, and the public comment post."""

from flask import Blueprint, request
from sqlalchemy import select

from app.api.pagination import paginate
from app.consultations import operations as ops
from app.consultations.content import CONSULTATION
from app.consultations.models import Comment, CommentStatus, Consultation, Status
from app.consultations.schemas import CommentInputSchema, PublicCommentSchema
from app.core.errors import APIError
from app.core.tenancy import current_tenant
from app.core.timeutil import utcnow
from app.extensions import csrf, db
from app.moderation import antispam
from app.moderation.schemas import load_json

bp = Blueprint("consultations_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


def _load(consultation_id):
    consultation = ops.visible_consultation(consultation_id, current_tenant._get_current_object())
    if consultation is None:
        raise APIError(404, "No such consultation on this site.")
    return consultation


@bp.get("/consultations")
def list_consultations():
    """This site's published consultations (``?status=open`` etc.); on the portal ``?all=1`` adds every site's
    open ones."""
    tenant = current_tenant._get_current_object()
    everywhere = tenant.is_portal and request.args.get("all") in ("1", "true")
    stmt = ops.visible_consultations(None if everywhere else tenant).order_by(Consultation.closes_at, Consultation.id)
    status = request.args.get("status")
    if status:
        now = utcnow()
        if status == Status.OPEN:
            stmt = stmt.where(Consultation.opens_at <= now, Consultation.closes_at > now)
        elif status == Status.UPCOMING:
            stmt = stmt.where(Consultation.opens_at > now)
        elif status in (Status.CLOSED, Status.OUTCOME_PUBLISHED):
            stmt = stmt.where(Consultation.closes_at <= now)
        else:
            raise APIError(400, "Unknown status.", fields={"status": "one of upcoming, open, closed"})
    return paginate(stmt, CONSULTATION.schema())


@bp.get("/consultations/<int:consultation_id>")
def get_consultation(consultation_id):
    """One published consultation with its sections, dates, receiving address and computed status."""
    return CONSULTATION.schema().dump(_load(consultation_id))


@bp.get("/consultations/<int:consultation_id>/comments")
def list_comments(consultation_id):
    """Published comments only, without any personal data."""
    consultation = _load(consultation_id)
    stmt = (
        select(Comment)
        .where(Comment.consultation_id == consultation.id, Comment.status == CommentStatus.PUBLISHED)
        .order_by(Comment.created_at, Comment.id)
    )
    return paginate(stmt, PublicCommentSchema())


@bp.post("/consultations/<int:consultation_id>/comments")
@antispam.rate_limit("consultation-comment")
def post_comment(consultation_id):
    """Receive a comment for moderation: 202 with what the caller may keep; 409 outside the period."""
    consultation = _load(consultation_id)
    if not consultation.is_open:
        raise ops.ConsultationClosed()
    data = load_json(CommentInputSchema(consultation))
    comment = ops.receive_comment(consultation, **data, source="api")
    db.session.commit()
    return {
        "id": comment.id,
        "consultation_id": consultation.id,
        "section_id": comment.section_id,
        "state": comment.status,
        "message": "Received. The comment appears after moderation.",
        "purpose": str(ops.PURPOSE),
        "consent_version": comment.consent_version,
    }, 202
