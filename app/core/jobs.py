"""Runs of periodic jobs: one row per job and scheduled minute. Its unique (name, slot) is the cluster-wide lock:
every server's worker tries to insert the row, one succeeds and runs the job, the others skip it.
"""

import logging
from datetime import datetime

from sqlalchemy import String, Text, UniqueConstraint, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.core.timeutil import utcnow
from app.extensions import db

log = logging.getLogger(__name__)

RUNNING, DONE, FAILED = "running", "done", "failed"


class TaskRun(db.Model):
    """One run of a periodic job, with its outcome."""

    __tablename__ = "task_run"
    __table_args__ = (UniqueConstraint("name", "slot", name="uq_task_run_name_slot"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), index=True)
    # The scheduled minute, ``YYYY-MM-DDTHH:MM`` (UTC).
    slot: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default=RUNNING)
    detail: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column()


def slot_of(moment):
    return moment.strftime("%Y-%m-%dT%H:%M")


def claim(name, slot):
    """Take the run ``(name, slot)`` for this server: its id, or None when another server has it."""
    with Session(db.engine) as session:
        row = TaskRun(name=name, slot=slot, status=RUNNING, detail="", started_at=utcnow())
        session.add(row)
        try:
            session.commit()
        except IntegrityError:
            session.rollback()
            return None
        return row.id


def finish(run_id, status, detail=""):
    with Session(db.engine) as session:
        values = {"status": status, "detail": str(detail)[:4000], "finished_at": utcnow()}
        session.execute(update(TaskRun).where(TaskRun.id == run_id).values(**values))
        session.commit()


def last_success(name):
    """The latest successful run of ``name`` (a :class:`TaskRun`), or None."""
    stmt = select(TaskRun).where(TaskRun.name == name, TaskRun.status == DONE).order_by(TaskRun.finished_at.desc())
    return db.session.execute(stmt.limit(1)).scalars().first()
