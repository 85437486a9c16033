"""Consultation operations: receiving and moderating comments, listing, exports, personal data (R-14..R-17).

Functions take the acting user where one acts, change rows, audit, and leave the commit to the caller.
"""

import io
import logging
from datetime import timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.auth.operations import active_members
from app.consultations.models import Comment, CommentStatus, Consultation
from app.core import audit, tabular
from app.core.errors import DomainError
from app.core.notices import notify
from app.core.scoping import scope_filter
from app.core.tenancy import tenant_url
from app.core.text import nfc
from app.core.timeutil import isoformat, to_local, utcnow
from app.extensions import db
from app.media.operations import files_by_ids
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


class ConsultationClosed(DomainError):
    """A comment arrived outside the comment period."""

    def __init__(self):
        super().__init__("The comment period is not open.", status=409, code="consultation_closed")


class ModerationError(DomainError):
    """A moderation action refused: unknown, without its reason or with a wrong duplicate target."""


def visible_consultations(tenant=None):
    """``select`` of the consultations the public may see, on ``tenant`` (None: every tenant)."""
    stmt = select(Consultation).where(visible_filter(Consultation))
    if tenant is not None:
        stmt = stmt.where(scope_filter(Consultation, tenant))
    return stmt


def visible_consultation(consultation_id, tenant):
    """The consultation ``consultation_id`` if the public may see it on ``tenant``, else None."""
    stmt = visible_consultations(tenant).where(Consultation.id == consultation_id)
    return db.session.execute(stmt).scalars().first()


def open_consultations(tenant=None, now=None):
    """Consultations open for comment now, soonest deadline first (R-14)."""
    now = now or utcnow()
    stmt = visible_consultations(tenant).where(Consultation.opens_at <= now, Consultation.closes_at > now)
    return db.session.execute(stmt.order_by(Consultation.closes_at, Consultation.id)).scalars().all()


def check(consultation):
    """Raise :class:`DomainError` (422, with ``fields``) when ``consultation`` cannot be saved as it is."""
    if consultation.opens_at and consultation.closes_at and consultation.closes_at <= consultation.opens_at:
        raise DomainError(_l("The closing time must be after the opening time."), field="closes_at")


def section_of(consultation, section_id):
    """The section ``section_id`` (an id, or its digits) of ``consultation``, or None."""
    if isinstance(section_id, str) and section_id.isdecimal() and len(section_id) < 19:
        section_id = int(section_id)
    if isinstance(section_id, bool) or not isinstance(section_id, int):
        return None
    return next((s for s in consultation.sections if s.id == section_id), None)


def media_links(item, ids=None):
    """``(media, absolute url)`` of the item's attachments that belong to its tenant, in order."""
    ids = [i for i in (item.attachments if ids is None else ids) or [] if i]
    if not ids:
        return []
    return [(m, tenant_url(item.tenant, "media.serve", name=m.stored_name)) for m in files_by_ids(ids, item.tenant_id)]


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
    """Store a visitor's comment, as loaded by :class:`~app.consultations.schemas.CommentInputSchema`, as
    pending moderation; return it (flushed). Its text is cleaned on the way in (``content.COMMENT``).

    :raise ConsultationClosed: outside the comment period.
    """
    if not consultation.is_open:
        raise ConsultationClosed()
    tenant = consultation.tenant
    comment = Comment(
        tenant_id=consultation.tenant_id,
        consultation_id=consultation.id,
        section_id=section.id if section is not None else None,
        body=body,
        name=name,
        organisation=organisation,
        email=email,
        phone=phone,
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
    _notify_staff(
        consultation,
        "moderation",
        _("[%(site)s] New comment waiting for moderation: %(title)s", site=tenant.code, title=consultation.title),
        _("A new comment waits for moderation on “%(title)s”.", title=consultation.title),
        tenant_url(tenant, "comment_moderation.index", consultation=consultation.id),
    )
    return comment


# Roles that moderate comments and draft outcomes (as the back office's moderation queue).
STAFF_ROLES = ("editor", "secretary", "deputy_head", "head", "tenant_admin")
# Settings (override in config): one comment per key.
NOTICE_DEFAULTS = {
    # Days after the closing when the drafting agency is reminded to publish the outcome.
    "CONSULTATION_OUTCOME_REMIND_DAYS": 30,
    # Opening or closing longer ago than this: no notice any more (a first run on old data stays quiet).
    "CONSULTATION_NOTICE_WINDOW_DAYS": 7,
}


def _staff_users(tenant):
    return active_members(tenant, STAFF_ROLES)


def _notify_staff(consultation, kind, subject, text, link, key=None):
    """A notice to the drafting agency's staff and an email to them and the consultation's receiving address."""
    extra = [consultation.receiving_email] if consultation.receiving_email else []
    notify(
        _staff_users(consultation.tenant), consultation.tenant, kind, text, link, subject, extra_emails=extra, key=key
    )


def send_notices(now=None):
    """Tell the drafting agency that a consultation opened, closed, or still lacks its outcome (R-14); once each.

    :return: the number of notices queued.
    """
    from flask import current_app

    def setting(name):
        return int(current_app.config.get(name, NOTICE_DEFAULTS[name]))

    now = now or utcnow()
    window = timedelta(days=setting("CONSULTATION_NOTICE_WINDOW_DAYS"))
    remind = timedelta(days=setting("CONSULTATION_OUTCOME_REMIND_DAYS"))
    sent = 0
    stmt = visible_consultations().where(Consultation.opens_at <= now, Consultation.closes_at > now - remind - window)
    for c in db.session.execute(stmt.order_by(Consultation.id)).scalars().all():
        link = tenant_url(c.tenant, "comment_moderation.index", consultation=c.id)
        with force_locale("vi"):
            if c.opens_at > now - window and c.closes_at > now:
                subject = _("[%(site)s] Consultation open: %(title)s", site=c.tenant.code, title=c.title)
                text = _(
                    "The consultation “%(title)s” is open for comments until %(date)s.",
                    title=c.title,
                    date=to_local(c.closes_at).strftime("%d/%m/%Y %H:%M"),
                )
                key = f"consultation-opened:{c.id}"
            elif now - window < c.closes_at <= now:
                count = db.session.execute(select(func.count()).where(Comment.consultation_id == c.id)).scalar()
                subject = _("[%(site)s] Consultation closed: %(title)s", site=c.tenant.code, title=c.title)
                text = _(
                    "The consultation “%(title)s” has closed (%(count)d comments). Moderate the last comments "
                    "and publish the outcome.",
                    title=c.title,
                    count=count,
                )
                key = f"consultation-closed:{c.id}"
            elif now - remind - window < c.closes_at <= now - remind and c.published_outcome() is None:
                subject = _("[%(site)s] Outcome not yet published: %(title)s", site=c.tenant.code, title=c.title)
                text = _(
                    "The consultation “%(title)s” closed on %(date)s; its outcome is not published yet.",
                    title=c.title,
                    date=to_local(c.closes_at).strftime("%d/%m/%Y"),
                )
                key = f"consultation-outcome:{c.id}"
            else:
                continue
        if _already_sent(key):
            continue
        _notify_staff(c, "moderation", subject, text, link, key=key)
        sent += 1
    return sent


def _already_sent(key):
    from app.core.outbox import OutboxMessage

    return db.session.execute(select(OutboxMessage.id).where(OutboxMessage.key == key)).first() is not None


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
            raise ModerationError(_l("Give the reason for hiding the comment."), field="reason")
        comment.status = CommentStatus.HIDDEN
        comment.hidden_reason = reason
    elif action == "duplicate":
        if (
            duplicate_of is None
            or duplicate_of.id == comment.id
            or duplicate_of.consultation_id != comment.consultation_id
        ):
            raise ModerationError(
                _l("Choose the comment of the same consultation that this one repeats."), field="duplicate_of"
            )
        comment.status = CommentStatus.DUPLICATE
        comment.duplicate_of_id = duplicate_of.id
    else:
        raise ModerationError(_l("Unknown action."), field="action")
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
    """The comments as CSV (with a BOM for Excel); a comment that starts like a formula is not one."""
    return tabular.csv_bytes([EXPORT_COLUMNS, *export_rows(consultation)])


def export_xlsx(consultation):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Gop y"
    sheet.append(EXPORT_COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    tabular.append_rows(sheet, export_rows(consultation))
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# Personal data.
def _personal(c):
    return {
        "title": c.consultation.title,
        "name": c.name,
        "organisation": c.organisation,
        "email": c.email,
        "phone": c.phone,
        "comment": c.body,
        "status": c.status,
        "received": isoformat(c.created_at),
    }


def erase_comment(comment, actor):
    """Blank the personal fields of one comment; the comment itself stays (R-17)."""
    comment.name = comment.organisation = comment.email = comment.phone = personal_data.ERASED
    comment.erased_at = utcnow()
    audit.record("comment.erase_personal_data", target=f"consultation_comment:{comment.id}", user=actor)


def init_app(app):
    personal_data.register_rows("consultation_comments", Comment, _personal, erase_comment)
