"""Consultations in the API: the generic collections of drafts (with their sections) and of outcomes, the
published comments, and the public comment post.

A draft's ``sections`` are rows that comments point at: a change sent for a published consultation changes
its sections in place (their ids stay, so do the comments on them), as the back office does, while the other
fields go through the pending revision.
"""

from flask import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select, update

from app.api.content import LARGE_BODY, SMALL_BODY, input_schema, register_collection
from app.api.describe import operation
from app.api.helpers import invalid
from app.api.inputs import Id
from app.api.pagination import paginate
from app.consultations import operations as ops
from app.consultations.content import CONSULTATION, OUTCOME
from app.consultations.models import Comment, CommentStatus, Consultation, ConsultationSection, Status
from app.consultations.schemas import CommentInputSchema, CommentReceiptSchema, PublicCommentSchema
from app.core.errors import APIError
from app.core.tenancy import current_tenant
from app.core.timeutil import utcnow
from app.extensions import csrf, db
from app.moderation import antispam
from app.moderation.schemas import load_json

bp = Blueprint("consultations_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
# The largest comment body, in bytes (10,000 characters and the contact).
COMMENT_MAX_BODY = 64 * 1024
STATUSES = (Status.UPCOMING, Status.OPEN, Status.CLOSED, Status.OUTCOME_PUBLISHED)


class SectionInput(Schema):
    """One section of the draft: ``id`` to change an existing one, none to add one."""

    id = Id()
    number = fields.Str(validate=validate.Length(max=60), load_default="")
    title = fields.Str(validate=validate.Length(max=500), load_default="")
    body = fields.Str(validate=validate.Length(max=200_000), load_default="")


class ConsultationInputSchema(type(input_schema(CONSULTATION))):
    """The declared fields and ``sections``: the whole list, in order (sections left out are removed)."""

    sections = fields.List(fields.Nested(SectionInput), validate=validate.Length(max=500))


class ConsultationQuery(Schema):
    status = fields.Str(metadata={"enum": [str(s.value) for s in STATUSES]})
    all = fields.Bool(metadata={"description": "On the portal: every site's consultations."})


def filters(stmt, args, staff):
    """``status`` (upcoming, open, closed); on the portal ``all=1`` lists every site's published ones."""
    tenant = current_tenant._get_current_object()
    if not staff and tenant.is_portal and args.get("all") in ("1", "true"):
        stmt = ops.visible_consultations(None)
    stmt = stmt.order_by(None).order_by(Consultation.closes_at, Consultation.id)
    status = args.get("status")
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
    return stmt


def write_sections(consultation, data):
    """Make the consultation's sections those of ``data["sections"]`` (on the live consultation for a revision)."""
    if "sections" not in data:
        return
    target = consultation
    if consultation.revision_of_id is not None:
        target = db.session.get(Consultation, consultation.revision_of_id)
    existing = {s.id: s for s in target.sections} if target.id is not None else {}
    unknown = [s["id"] for s in data["sections"] if s.get("id") is not None and s["id"] not in existing]
    if unknown:
        raise invalid({"sections": [f"No section {i} in this consultation." for i in unknown]})
    kept = {s["id"] for s in data["sections"] if s.get("id") is not None}
    gone = [section for section_id, section in existing.items() if section_id not in kept]
    if gone:
        db.session.execute(update(Comment).where(Comment.section_id.in_([s.id for s in gone])).values(section_id=None))
    sections = []
    for position, values in enumerate(data["sections"]):
        section = existing.get(values.get("id")) or ConsultationSection(tenant_id=target.tenant_id)
        section.position = position
        section.number, section.title, section.body = values["number"], values["title"], values["body"]
        sections.append(section)
    target.sections = sections


register_collection(
    bp,
    CONSULTATION,
    filters=filters,
    query=ConsultationQuery,
    input=ConsultationInputSchema,
    after_apply=write_sections,
    order_by=(Consultation.closes_at, Consultation.id),
    max_body=LARGE_BODY,
    example={
        "title": "Dự thảo Nghị quyết quy định mức thu phí tham quan di tích tỉnh Bình Phước",
        "document_type": "Nghị quyết",
        "drafting_unit": "Sở Văn hóa, Thể thao và Du lịch",
        "summary": "Lấy ý kiến nhân dân về mức thu phí tham quan các di tích trên địa bàn tỉnh.",
        "opens_at": "2027-03-01T08:00:00+07:00",
        "closes_at": "2027-03-31T17:00:00+07:00",
        "receiving_email": "gopy@svhttdl.binhphuoc.gov.vn",
        "sections": [
            {"number": "Điều 1", "title": "Phạm vi điều chỉnh", "body": "Nghị quyết này quy định mức thu phí."},
            {"number": "Điều 2", "title": "Mức thu", "body": "Mức thu phí tham quan là 20.000 đồng/lượt."},
        ],
    },
)
register_collection(
    bp,
    OUTCOME,
    max_body=SMALL_BODY,
    example={
        "consultation": 1,
        "title": "Báo cáo tiếp thu, giải trình ý kiến góp ý dự thảo Nghị quyết",
        "summary": "Đã nhận 25 ý kiến; tiếp thu 18 ý kiến, giải trình 7 ý kiến.",
    },
)


def _load(consultation_id):
    consultation = ops.visible_consultation(consultation_id, current_tenant._get_current_object())
    if consultation is None:
        raise APIError(404, "No such consultation on this site.")
    return consultation


@bp.get("/consultations/<int:consultation_id>/comments")
@operation(
    tags=["comments"],
    summary="Published comments on a consultation",
    description="Published comments only, oldest first: the author's name or organisation, never contact details.",
    response=PublicCommentSchema,
    many=True,
    path={"consultation_id": "The id of a published consultation of this site."},
)
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
@operation(
    tags=["comments"],
    summary="Send a comment on a consultation",
    description=(
        "Held for moderation (202); 409 `consultation_closed` outside the comment period. `section_id`: a section "
        "of this consultation, or 0/none for the draft as a whole. Rate-limited per address."
    ),
    body=CommentInputSchema,
    response=CommentReceiptSchema,
    status=202,
    errors=(409,),
    max_body=COMMENT_MAX_BODY,
    path={"consultation_id": "The id of a published consultation of this site."},
    example={
        "name": "Lê Văn Cường",
        "email": "cuong@example.vn",
        "organisation": "Hợp tác xã Tân Phú",
        "section_id": 0,
        "body": "Đề nghị ghi rõ thời điểm áp dụng mức thu phí tại Điều 1.",
        "consent": True,
    },
)
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
