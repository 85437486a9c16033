"""Datasets (reviewed, type ``dataset``) and the release calendar.

Observations live in the dataset row as a JSON list of ``{indicator, area, period, value, unit, note}``.
They are a declared field (``app/statistics/content.py``) copied with every revision: an import into a
published dataset lands in its pending revision and reaches the public only when that revision is approved,
so figures always follow the reviewed version.
"""

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.scoping import TenantScoped
from app.extensions import db
from app.workflow.models import Reviewable, TitledItem

NOTE_FLAGS = {
    "": _l("final"),
    "provisional": _l("provisional"),
    "estimated": _l("estimated"),
    "revised": _l("revised"),
}
RELEASE_STATUSES = {
    "provisional": _l("Provisional date"),
    "confirmed": _l("Confirmed"),
    "cancelled": _l("Cancelled"),
}
DATE_PRECISIONS = {"day": _l("Exact day"), "month": _l("Month")}


class Dataset(TitledItem, Reviewable, db.Model):
    """A dataset at ``/statistics/<slug>``; its fields are declared in ``app/statistics/content.py``."""

    __tablename__ = "statistics_dataset"
    __table_args__ = (UniqueConstraint("tenant_id", "slug", name="uq_statistics_dataset_tenant_slug"),)
    content_type = "dataset"

    id: Mapped[int] = mapped_column(primary_key=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    topic: Mapped[str] = mapped_column(String(120), default="", index=True)
    units: Mapped[str] = mapped_column(String(120), default="")
    source: Mapped[str] = mapped_column(String(300), default="")
    period_covered: Mapped[str] = mapped_column(String(120), default="")
    methodology: Mapped[str] = mapped_column(Text, default="")
    analysis: Mapped[str] = mapped_column(Text, default="")
    release_date: Mapped[dt.date | None] = mapped_column()
    observations: Mapped[list] = mapped_column(JSON, default=list)

    def dimension(self, name):
        """Distinct values of ``indicator``, ``area`` or ``period`` in file order (periods sorted)."""
        seen = {}
        for row in self.observations or []:
            seen.setdefault(row.get(name, ""), None)
        values = list(seen)
        return sorted(values) if name == "period" else values


class Release(TenantScoped, db.Model):
    """An announced release in the calendar; ``history`` keeps every change of date or status with its note.

    A release names the slug of the dataset it will publish; once that dataset is public it replaces the
    announcement in the calendar.
    """

    __tablename__ = "statistics_release"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    topic: Mapped[str] = mapped_column(String(120), default="")
    planned_date: Mapped[dt.date] = mapped_column(index=True)
    precision: Mapped[str] = mapped_column(String(10), default="day")
    status: Mapped[str] = mapped_column(String(20), default="provisional")
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    dataset_slug: Mapped[str] = mapped_column(String(200), default="")
    change_note: Mapped[str] = mapped_column(Text, default="")
    history: Mapped[list] = mapped_column(JSON, default=list)

    def __str__(self):
        return self.title

    def date_label(self):
        if self.precision == "month":
            return self.planned_date.strftime("%m/%Y")
        return self.planned_date.strftime("%d/%m/%Y")
