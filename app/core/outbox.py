"""The outbox: every outgoing message is a row written in the transaction of the change that causes it, then
delivered by the worker (:func:`deliver_due`) with retries at growing delays, and marked ``failed`` after the last.

Delivery is claimed row by row with one conditional UPDATE (no two workers send the same row), sent, then marked
``sent``. The Message-ID is made once, when the row is written: if a worker dies between the mail server's
acceptance and the mark, the claim's lease expires and the message is sent again *with the same Message-ID*, which
mail servers and clients use to drop the copy. That window is the time of one commit (milliseconds).
"""

import logging
import os
from datetime import datetime, timedelta
from email.policy import SMTP

from flask import current_app, has_app_context
from sqlalchemy import JSON, ForeignKey, Index, String, Text, event, func, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.core.timeutil import utcnow
from app.extensions import db

log = logging.getLogger(__name__)

QUEUED, SENDING, SENT, FAILED = "queued", "sending", "sent", "failed"
STATUSES = (QUEUED, SENDING, SENT, FAILED)

# Settings (override in config or the environment): one comment per key.
DEFAULTS = {
    # Seconds to wait before each retry; after the last one the message is marked failed (about 17 hours).
    "OUTBOX_RETRY_DELAYS": (60, 300, 900, 3600, 4 * 3600, 12 * 3600),
    # Seconds a worker holds a claimed message; past it another worker may send it again (same Message-ID).
    "OUTBOX_LEASE_SECONDS": 120,
    # Messages one delivery pass sends at most (the next pass goes on).
    "OUTBOX_BATCH": 200,
}


def setting(name):
    """``name`` from the app config, else the environment (comma-separated for lists), else :data:`DEFAULTS`."""
    if has_app_context() and name in current_app.config:
        return current_app.config[name]
    raw = os.environ.get(name, "").strip()
    default = DEFAULTS[name]
    if not raw:
        return default
    if isinstance(default, tuple):
        return tuple(int(float(part)) for part in raw.split(",") if part.strip())
    return int(float(raw))


class OutboxMessage(db.Model):
    """One outgoing email, as it will be sent (``raw``), with its delivery state."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The site the message belongs to (the back office shows a tenant admin their site's); None: the platform's.
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenant.id", ondelete="SET NULL"), index=True)
    # One message per event when set (e.g. ``question-receipt:12``): queuing the same key again does nothing.
    key: Mapped[str | None] = mapped_column(String(200), unique=True)
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    recipients: Mapped[list] = mapped_column(JSON, default=list)
    subject: Mapped[str] = mapped_column(String(1000), default="")
    raw: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=QUEUED, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column()
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column()

    def __repr__(self):
        return f"<OutboxMessage {self.id} {self.status} {self.subject!r}>"


def queue(message, recipients, *, key=None, tenant_id=None):
    """Add ``message`` (an :class:`email.message.EmailMessage` with its Message-ID) to the caller's transaction.

    :param key: one message per event: when a row with this key exists, nothing is added and that row returned.
    :return: the :class:`OutboxMessage` (pending until the caller commits).
    """
    if key:
        for pending in db.session.new:
            if isinstance(pending, OutboxMessage) and pending.key == key:
                return pending
        existing = db.session.execute(select(OutboxMessage).where(OutboxMessage.key == key)).scalars().first()
        if existing is not None:
            return existing
    row = OutboxMessage(
        tenant_id=tenant_id,
        key=key,
        message_id=str(message["Message-ID"]),
        recipients=list(recipients),
        subject=str(message["Subject"] or "")[:1000],
        raw=message.as_bytes(policy=SMTP).decode("utf-8"),  # CRLF lines, RFC 2047 headers: the bytes as sent
        status=QUEUED,
        attempts=0,
        next_attempt_at=utcnow(),
        last_error="",
    )
    db.session.add(row)
    db.session.info["outbox_pending"] = True
    return row


# After the commit that wrote messages: ask the worker to deliver now rather than at its next sweep.
_kickers = []


def on_commit(kick):
    """Call ``kick()`` after every commit of the request session that wrote outbox messages."""
    if kick not in _kickers:
        _kickers.append(kick)


@event.listens_for(db.session, "after_commit")
def _after_commit(session):
    if session.info.pop("outbox_pending", False):
        for kick in _kickers:
            try:
                kick()
            except Exception:  # noqa: BLE001 - the rows are committed: the worker's sweep sends them anyway
                log.exception("outbox: could not wake the worker; the next sweep delivers")


@event.listens_for(db.session, "after_rollback")
def _after_rollback(session):
    session.info.pop("outbox_pending", False)


def commit_leftovers(exc=None):
    """At the end of an app context: commit messages queued after the caller's last commit (e.g. on response close).

    Only messages: a context that still has other uncommitted changes, or that ended with an error, is left alone.
    """
    session = db.session
    if exc is not None or not session.info.get("outbox_pending"):
        return
    pending = list(session.new) + list(session.dirty) + list(session.deleted)
    if pending and all(isinstance(obj, OutboxMessage) for obj in pending):
        session.commit()


def retry_delay(attempts):
    """Seconds before the next attempt after ``attempts`` failed ones, or None when it was the last."""
    delays = setting("OUTBOX_RETRY_DELAYS")
    return delays[attempts - 1] if 0 < attempts <= len(delays) else None


def _due(now):
    return or_(
        (OutboxMessage.status == QUEUED) & (OutboxMessage.next_attempt_at <= now),
        (OutboxMessage.status == SENDING) & (OutboxMessage.locked_until < now),
    )


def _claim(session, row_id, now):
    """Take the message for this worker: True when this UPDATE was the one that changed it."""
    lease = timedelta(seconds=setting("OUTBOX_LEASE_SECONDS"))
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == row_id, _due(now))
        .values(status=SENDING, locked_until=now + lease, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return result.rowcount == 1


def deliver_due(send, now=None, limit=None):
    """Send every message that is due with ``send(raw, recipients)``; return ``(sent, failed_attempts)``.

    Runs in sessions of its own (never the request's), so it may run right after a request's commit.
    """
    sent = failures = 0
    limit = limit or setting("OUTBOX_BATCH")
    with Session(db.engine, expire_on_commit=False) as session:
        ids = session.execute(
            select(OutboxMessage.id).where(_due(now or utcnow())).order_by(OutboxMessage.id).limit(limit)
        ).scalars()
        for row_id in list(ids):
            moment = utcnow() if now is None else now
            if not _claim(session, row_id, moment):
                continue  # another worker has it
            row = session.get(OutboxMessage, row_id)
            try:
                send(row.raw, row.recipients)
            except Exception as exc:  # noqa: BLE001 - any failure of one message is recorded on it
                failures += 1
                delay = retry_delay(row.attempts)
                values = {"last_error": f"{type(exc).__name__}: {exc}"[:2000], "locked_until": None}
                if delay is None:
                    values["status"] = FAILED
                    log.error("outbox: message %s failed for good after %d attempts: %s", row.id, row.attempts, exc)
                else:
                    values.update(status=QUEUED, next_attempt_at=moment + timedelta(seconds=delay))
                    log.warning(
                        "outbox: message %s attempt %d failed (%s); retry in %ds", row.id, row.attempts, exc, delay
                    )
            else:
                sent += 1
                values = {"status": SENT, "sent_at": utcnow(), "locked_until": None, "last_error": ""}
                log.info("outbox: message %s sent to %d recipient(s)", row.id, len(row.recipients))
            session.execute(update(OutboxMessage).where(OutboxMessage.id == row_id).values(**values))
            session.commit()
    return sent, failures


def next_due_at():
    """When the earliest message is due, or None when none waits: a queued message's next attempt, or the end of
    the lease of one a worker took and did not mark (it died in the middle of sending)."""
    with Session(db.engine) as session:
        queued = session.execute(
            select(func.min(OutboxMessage.next_attempt_at)).where(OutboxMessage.status == QUEUED)
        ).scalar()
        leased = session.execute(
            select(func.min(OutboxMessage.locked_until)).where(OutboxMessage.status == SENDING)
        ).scalar()
    due = [t for t in (queued, leased) if t is not None]
    return min(due) if due else None


def send_again(rows):
    """Put failed (or any unsent) messages back in the queue, due now, with a fresh count of attempts."""
    count = 0
    for row in rows:
        if row.status == SENT:
            continue
        row.status, row.attempts, row.next_attempt_at, row.locked_until = QUEUED, 0, utcnow(), None
        count += 1
    if count:
        db.session.info["outbox_pending"] = True
    return count


def counts():
    """``{status: number}`` over the whole outbox (the metrics and the back office)."""
    rows = db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all()
    return {status: 0 for status in STATUSES} | dict(rows)
