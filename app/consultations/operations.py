"""Consultation operations: receiving and moderating comments, listing, exports, personal data (R-14..R-17).

Functions take the acting user where one acts, change rows, audit, and leave the commit to the caller.
"""

import csv
import io
import logging

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.consultations.models import Comment, CommentStatus, Consultation
from app.core import audit
from app.core.models import Tenant
from app.core.text import nfc
from app.core.timeutil import isoformat, utcnow
from app.extensions import db
from app.moderation import personal_data, wordfilter
from app.workflow.models import visible_filter

log = logging.getLogger(__name__)

# The text version of the consent statement; stored with every comment.
CONSENT_VERSION = "consultation-2026-11"
PURPOSE = _l(
    "Your name, email and phone are used only by the drafting agency to consider your comment and, if needed, "
    "contact you about it. They are never published; only your name or organisation appears next to a "
    "published comment. You may ask for your data to be erased."
)


class ConsultationClosed(Exception):
    """A comment arrived outside the comment period."""


class ModerationError(ValueError):
    pass


def visible_consultations(tenant=None):
    """``select`` of the consultations the public may see, on ``tenant`` (None: every tenant)."""
    stmt = select(Consultation).where(visible_filter(Consultation))
    if tenant is not None:
        stmt = stmt.where(Consultation.tenant_id == tenant.id)
    return stmt


def open_consultations(tenant=None, now=None):
    """Consultations open for comment now, soonest deadline first (R-14)."""
    now = now or utcnow()
    stmt = visible_consultations(tenant).where(Consultation.opens_at <= now, Consultation.closes_at > now)
    return db.session.execute(stmt.order_by(Consultation.closes_at, Consultation.id)).scalars().all()


def section_of(consultation, section_id):
    if section_id in (None, "", 0, "0"):
        return None
    try:
        section_id = int(section_id)
    except (TypeError, ValueError):
        return None
    return next((s for s in consultation.sections if s.id == section_id), None)


def receive_comment(
    consultation,
    *,
    body,
    name,
    email,
    organisation="",
    phone="",
    section=None,
    attachment=None,
    consent=False,
    source="web",
):
    """Store a visitor's comment as pending moderation; return it (flushed).

    :raise ConsultationClosed: outside the comment period.
    """
    if not consultation.is_open:
        raise ConsultationClosed()
    tenant = db.session.get(Tenant, consultation.tenant_id)
    body = nfc(body or "").strip()
    comment = Comment(
        tenant_id=consultation.tenant_id,
        consultation_id=consultation.id,
        section_id=section.id if section is not None else None,
        body=body,
        name=nfc(name or "").strip(),
        organisation=nfc(organisation or "").strip(),
        email=(email or "").strip().lower(),
        phone=(phone or "").strip(),
        attachment_id=attachment.id if attachment is not None else None,
        consent_at=utcnow() if consent else None,
        consent_version=CONSENT_VERSION if consent else "",
        status=CommentStatus.PENDING,
        filter_hits=wordfilter.check(tenant, body, name, organisation),
        source=source,
    )
    db.session.add(comment)
    db.session.flush()
    log.info("comment %s received on consultation %s (tenant %s)", comment.id, consultation.id, tenant.code)
    return comment


def moderate(comment, action, actor, reason="", duplicate_of=None):
    """Publish, hide (with a reason) or mark as duplicate a comment, as ``actor``.

    :raise ModerationError: an unknown action, a missing reason or an invalid duplicate target.
    """
    reason = nfc(reason or "").strip()
    if action == "publish":
        comment.status = CommentStatus.PUBLISHED
        comment.hidden_reason = ""
    elif action == "hide":
        if not reason:
            raise ModerationError(_l("Give the reason for hiding the comment."))
        comment.status = CommentStatus.HIDDEN
        comment.hidden_reason = reason
    elif action == "duplicate":
        if (
            duplicate_of is None
            or duplicate_of.id == comment.id
            or duplicate_of.consultation_id != comment.consultation_id
        ):
            raise ModerationError(_l("Choose the comment of the same consultation that this one repeats."))
        comment.status = CommentStatus.DUPLICATE
        comment.duplicate_of_id = duplicate_of.id
    else:
        raise ModerationError(_l("Unknown action."))
    comment.moderated_at = utcnow()
    comment.moderated_by_id = actor.id
    audit.record(f"comment.{action}", target=f"consultation_comment:{comment.id}", detail=reason, user=actor)
    return comment


def published_comments(consultation):
    stmt = (
        select(Comment)
        .where(Comment.consultation_id == consultation.id, Comment.status == CommentStatus.PUBLISHED)
        .order_by(Comment.created_at, Comment.id)
    )
    return db.session.execute(stmt).scalars().all()


def comment_counts(consultation):
    """Published comments per section id (None: on the draft as a whole)."""
    stmt = (
        select(Comment.section_id, func.count())
        .where(Comment.consultation_id == consultation.id, Comment.status == CommentStatus.PUBLISHED)
        .group_by(Comment.section_id)
    )
    return dict(db.session.execute(stmt).all())


# Exports for the drafting team (every comment, with contact details: staff only).
EXPORT_COLUMNS = (
    "id",
    "received",
    "status",
    "section",
    "name",
    "organisation",
    "email",
    "phone",
    "comment",
    "word_filter",
    "moderation_note",
)


def export_rows(consultation):
    stmt = select(Comment).where(Comment.consultation_id == consultation.id).order_by(Comment.created_at, Comment.id)
    for c in db.session.execute(stmt).scalars():
        yield (
            c.id,
            isoformat(c.created_at),
            c.status,
            c.section.label() if c.section else "",
            c.name,
            c.organisation,
            c.email,
            c.phone,
            c.body,
            ", ".join(c.filter_hits or []),
            c.hidden_reason,
        )


def export_csv(consultation):
    out = io.StringIO()
    out.write("\ufeff")  # Excel opens UTF-8 Vietnamese correctly with a BOM
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows(export_rows(consultation))
    return out.getvalue().encode("utf-8")


def export_xlsx(consultation):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Gop y"
    sheet.append(EXPORT_COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in export_rows(consultation):
        sheet.append(list(row))
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Personal data.
def _comments_of(email, tenant):
    stmt = select(Comment).where(func.lower(Comment.email) == email)
    if tenant is not None:
        stmt = stmt.where(Comment.tenant_id == tenant.id)
    return db.session.execute(stmt).scalars().all()


def export_personal(email, tenant):
    rows = []
    for c in _comments_of(email, tenant):
        rows.append(
            {
                "id": c.id,
                "tenant": db.session.get(Tenant, c.tenant_id).code,
                "title": c.consultation.title,
                "name": c.name,
                "organisation": c.organisation,
                "email": c.email,
                "phone": c.phone,
                "comment": c.body,
                "status": c.status,
                "received": isoformat(c.created_at),
                "consent_at": isoformat(c.consent_at),
                "consent_version": c.consent_version,
            }
        )
    return rows


def erase_comment(comment, actor):
    """Blank the personal fields of one comment; the comment itself stays (R-17)."""
    comment.name = comment.organisation = comment.email = comment.phone = personal_data.ERASED
    comment.erased_at = utcnow()
    audit.record("comment.erase_personal_data", target=f"consultation_comment:{comment.id}", user=actor)


def erase_personal(email, tenant, actor):
    rows = _comments_of(email, tenant)
    for c in rows:
        erase_comment(c, actor)
    return len(rows)


def init_app(app):
    personal_data.register("consultation_comments", export_personal, erase_personal)
