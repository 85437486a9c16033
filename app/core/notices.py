"""Notices to staff (a question or comment waiting for moderation, an item waiting for their review, their item
approved or sent back): one row per person, shown as a badge in the back office, and one email through the outbox.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, String, func, select
from sqlalchemy.orm import Mapped, mapped_column

from app.core.mail import send_mail
from app.core.scoping import scope_filter
from app.core.timeutil import utcnow
from app.extensions import db

KINDS = ("moderation", "review", "published", "changes_requested", "rejected")


class StaffNotice(db.Model):
    """Something one staff member should look at, until they mark it read."""

    __tablename__ = "staff_notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(String(500), default="")
    url: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column()


def notify(users, tenant, kind, text, url="", subject=None, body=None, extra_emails=(), key=None):
    """Give each of ``users`` a notice on ``tenant`` and, with ``subject``, one email (through the outbox).

    :param extra_emails: addresses without an account (the site's contact address) that get the email only.
    :param key: one email per event (see :func:`app.core.mail.send_mail`).
    """
    users = [u for u in users if u is not None and getattr(u, "active", True)]
    for user in {u.id: u for u in users}.values():
        db.session.add(StaffNotice(tenant_id=tenant.id, user_id=user.id, kind=kind, text=text[:500], url=url[:1000]))
    emails = sorted({u.email for u in users} | set(extra_emails))
    if subject is not None and emails:
        text_body = body if body is not None else "\n".join(filter(None, [text, url]))
        send_mail(emails, subject, text_body, key=key, tenant=tenant)


def unread(user, tenant=None, limit=10):
    """``(count, latest notices)`` of ``user``'s unread notices (on ``tenant`` when given)."""
    where = [StaffNotice.user_id == user.id, StaffNotice.read_at.is_(None)]
    if tenant is not None:
        where.append(scope_filter(StaffNotice, tenant))
    count = db.session.execute(select(func.count()).select_from(StaffNotice).where(*where)).scalar()
    rows = db.session.execute(select(StaffNotice).where(*where).order_by(StaffNotice.id.desc()).limit(limit))
    return count, list(rows.scalars())


def mark_read(user, notice_ids=None, tenant=None):
    """Mark ``user``'s notices (these ids, or all) read; return how many."""
    where = [StaffNotice.user_id == user.id, StaffNotice.read_at.is_(None)]
    if tenant is not None:
        where.append(scope_filter(StaffNotice, tenant))
    if notice_ids is not None:
        where.append(StaffNotice.id.in_(list(notice_ids)))
    rows = db.session.execute(select(StaffNotice).where(*where)).scalars().all()
    now = utcnow()
    for row in rows:
        row.read_at = now
    return len(rows)
