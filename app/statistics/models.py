"""Datasets (reviewed, type ``dataset``) and the release calendar.

Observations live in the dataset row as a JSON list of ``{indicator, area, period, value, unit, note}``.
They are one of the ``revision_fields``: an import into a published dataset lands in its pending revision
and reaches the public only when that revision is approved, so figures always follow the reviewed version.
"""

import datetime as dt

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, String, Text, UniqueConstraint, event, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.core.scoping import TenantScoped
from app.core.text import slugify
from app.extensions import db
from app.workflow.models import Reviewable
from app.workflow.registry import ContentType, register

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


class Dataset(Reviewable, db.Model):
    __tablename__ = "statistics_dataset"
    __table_args__ = (UniqueConstraint("tenant_id", "slug", name="uq_statistics_dataset_tenant_slug"),)
    content_type = "dataset"
    revision_fields = (
        "title", "title_en", "summary", "topic", "units", "source", "period_covered", "methodology", "analysis",
        "release_date", "attachments", "observations",
    )  # fmt: skip

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300), default="")
    slug: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    topic: Mapped[str] = mapped_column(String(120), default="", index=True)
    units: Mapped[str] = mapped_column(String(120), default="")
    source: Mapped[str] = mapped_column(String(300), default="")
    period_covered: Mapped[str] = mapped_column(String(120), default="")
    methodology: Mapped[str] = mapped_column(Text, default="")
    analysis: Mapped[str] = mapped_column(Text, default="")
    release_date: Mapped[dt.date | None] = mapped_column()
    attachments: Mapped[list] = mapped_column(JSON, default=list)
    observations: Mapped[list] = mapped_column(JSON, default=list)

    def __str__(self):
        return self.title

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


def _public_url(dataset):
    from app.core.models import Tenant
    from app.core.tenancy import tenant_url

    return tenant_url(db.session.get(Tenant, dataset.tenant_id), "statistics.dataset", slug=dataset.slug)


def _edit_url(dataset):
    from flask import url_for

    return url_for("statistics_datasets.edit_view", id=dataset.id)


def _search_document(dataset):
    """``(title, summary, text, language)`` for the search index: metadata, methodology, analysis, dimensions."""
    from app.core.text import plain_text

    parts = [
        dataset.title,
        dataset.title_en,
        dataset.summary,
        dataset.topic,
        dataset.source,
        dataset.period_covered,
        plain_text(dataset.methodology),
        plain_text(dataset.analysis),
        " ".join(dataset.dimension("indicator")),
        " ".join(dataset.dimension("area")),
    ]
    return dataset.title, plain_text(dataset.summary, limit=400), " ".join(p for p in parts if p)[:20000], "vi"


def _dump(dataset):
    from app.statistics.schemas import DatasetSchema

    return DatasetSchema().dump(dataset)


register(
    ContentType(
        name="dataset",
        collection="datasets",
        model=Dataset,
        label=_l("Statistical dataset"),
        public_url=_public_url,
        edit_url=_edit_url,
        dump=_dump,
        deadline_days=2,
        extra={"search": _search_document},
    )
)


@event.listens_for(Session, "before_flush")
def _assign_slugs(session, flush_context, instances):
    """A new live dataset without a slug gets one from its title; revision copies keep none."""
    for obj in list(session.new):
        if isinstance(obj, Dataset) and not obj.slug and obj.revision_of_id is None and obj.title and obj.tenant_id:
            base = slugify(obj.title)
            with session.no_autoflush:
                taken = set(
                    session.execute(
                        select(Dataset.slug).where(Dataset.tenant_id == obj.tenant_id, Dataset.slug.like(base + "%"))
                    ).scalars()
                )
            slug, n = base, 1
            while slug in taken:
                n += 1
                slug = f"{base}-{n}"
            obj.slug = slug
