"""Review states, the ``Reviewable`` mixin, and the stored transitions and revisions."""

from datetime import datetime

from flask import g, has_request_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, String, Text, and_, or_, text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from app.core.enums import LabelledEnum
from app.core.errors import APIError
from app.core.scoping import TenantScoped, scoped
from app.core.timeutil import utcnow
from app.extensions import db


class ReviewState(LabelledEnum):
    """The states of the contract; each carries its label (``ReviewState.DRAFT.label``)."""

    DRAFT = "draft", _l("Draft")
    IN_REVIEW = "in_review", _l("In review")
    CHANGES_REQUESTED = "changes_requested", _l("Changes requested")
    REJECTED = "rejected", _l("Rejected")
    SCHEDULED = "scheduled", _l("Scheduled")
    PUBLISHED = "published", _l("Published")
    UNPUBLISHED = "unpublished", _l("Unpublished")
    ARCHIVED = "archived", _l("Archived")


LIVE_STATES = (ReviewState.PUBLISHED, ReviewState.SCHEDULED)
EDITABLE_STATES = (ReviewState.DRAFT, ReviewState.CHANGES_REQUESTED, ReviewState.IN_REVIEW)


class Reviewable(TenantScoped):
    """Mixin for content that passes the tenant's review chain before it is public.

    A content class sets ``content_type`` (the registry name) and ``revision_fields`` (the
    columns an edit may change; copied between the live item and its pending revision).
    Editing a live item creates a *revision copy*: a row of the same table with
    ``revision_of_id`` set, which goes through the chain while the live row stays online.
    """

    content_type = None
    revision_fields = ()

    state: Mapped[str] = mapped_column(String(20), default=ReviewState.DRAFT, index=True)
    review_step: Mapped[int] = mapped_column(default=0)
    submitted_at: Mapped[datetime | None] = mapped_column()
    due_at: Mapped[datetime | None] = mapped_column(index=True)
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    publish_at: Mapped[datetime | None] = mapped_column()
    expire_at: Mapped[datetime | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Proposals to the portal: the copy credits its source and links back to it.
    source_tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenant.id", ondelete="SET NULL"))
    source_url: Mapped[str] = mapped_column(String(500), default="")
    source_object_id: Mapped[int | None] = mapped_column()

    @declared_attr
    def author_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)

    @declared_attr
    def last_editor_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    @declared_attr
    def revision_of_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey(f"{cls.__tablename__}.id", ondelete="CASCADE"), index=True)

    @declared_attr
    def author(cls):
        return relationship("User", foreign_keys=[cls.author_id], lazy="joined")

    @declared_attr
    def last_editor(cls):
        return relationship("User", foreign_keys=[cls.last_editor_id])

    @declared_attr
    def source_tenant(cls):
        return relationship("Tenant", foreign_keys=[cls.source_tenant_id], lazy="joined")

    @property
    def effective_state(self):
        """The state as a visitor sees it now: a scheduled item past its time is published."""
        now = utcnow()
        if self.state == ReviewState.SCHEDULED and self.publish_at and self.publish_at <= now:
            return ReviewState.PUBLISHED.value
        return str(self.state)

    @property
    def is_visible(self):
        """True when the public may see the item now (publish_at / expire_at at read time)."""
        now = utcnow()
        if self.id is not None and self.id == _preview(type(self)):
            return True
        return (
            self.revision_of_id is None
            and self.state in LIVE_STATES
            and (self.publish_at is None or self.publish_at <= now)
            and (self.expire_at is None or self.expire_at > now)
        )

    @property
    def is_overdue(self):
        return self.state == ReviewState.IN_REVIEW and self.due_at is not None and self.due_at < utcnow()

    def display_title(self):
        return getattr(self, "title", None) or f"{self.content_type} #{self.id}"


class TitledItem:
    """Columns of a published item with a public slug: its title (and English title) and its attachments.

    ``slug`` is empty on revision copies; ``attachments`` are media ids of the tenant, in display order.
    """

    title: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300), default="")
    slug: Mapped[str | None] = mapped_column(String(200))
    attachments: Mapped[list] = mapped_column(JSON, default=list)

    def __str__(self):
        return self.title


class WrittenItem(TitledItem):
    """A titled item with a summary and a rich-text body, each with an optional English version (R-06)."""

    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    # The English site lists items that have an English title.
    summary_en: Mapped[str] = mapped_column(Text, default="")
    body_en: Mapped[str] = mapped_column(Text, default="")

    @property
    def has_english(self):
        return bool((self.title_en or "").strip())


def _preview(model):
    """The id of the item of ``model`` this request previews (app/workflow/admin.py, staff only), or None: a draft
    or a scheduled item then counts as visible."""
    if not has_request_context():
        return None
    preview = g.get("preview")
    if preview is None or preview[0] is not model:
        return None
    return preview[1]


def visible_filter(model, now=None):
    """WHERE clause: the items the public may see now."""
    now = now or utcnow()
    clause = and_(
        model.revision_of_id.is_(None),
        model.state.in_([s.value for s in LIVE_STATES]),
        or_(model.publish_at.is_(None), model.publish_at <= now),
        or_(model.expire_at.is_(None), model.expire_at > now),
    )
    preview = _preview(model)
    return clause if preview is None else or_(clause, model.id == preview)


def published(model, tenant=None):
    """``select(model)`` for the tenant's items the public may see now."""
    return scoped(model, tenant).where(visible_filter(model))


def unique_live(table, column):
    """A unique index of ``column`` per tenant over live items only (a pending revision repeats its item's value)."""
    live = text("revision_of_id IS NULL")
    name = f"uq_{table}_tenant_{column}"
    return Index(name, "tenant_id", column, unique=True, sqlite_where=live, postgresql_where=live)


def value_taken(model, column, tenant_id, value, exclude_id=None):
    """True when a live item of the tenant (other than ``exclude_id``) has ``value`` in ``column``."""
    stmt = scoped(model, tenant_id, model.id).where(getattr(model, column) == value, model.revision_of_id.is_(None))
    if exclude_id is not None:
        stmt = stmt.where(model.id != exclude_id)
    return db.session.execute(stmt).first() is not None


def live_items(model, state=None, tenant=None):
    """``select(model)`` for the tenant's items without their pending revisions, in review ``state`` if given
    (what staff list with ``?state=``).

    :raise APIError 400: ``state`` is not a review state.
    """
    stmt = scoped(model, tenant).where(model.revision_of_id.is_(None))
    if state:
        if state not in {s.value for s in ReviewState}:
            raise APIError(400, "Unknown state.", fields={"state": "unknown"})
        stmt = stmt.where(model.state == state)
    return stmt


class Transition(TenantScoped, db.Model):
    """One recorded step of an item's life: who, when, from, to, step, comment (R-09)."""

    __tablename__ = "workflow_transition"

    id: Mapped[int] = mapped_column(primary_key=True)
    content_type: Mapped[str] = mapped_column(String(40), index=True)
    object_id: Mapped[int] = mapped_column(index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    actor_name: Mapped[str] = mapped_column(String(255), default="")
    action: Mapped[str] = mapped_column(String(30))
    from_state: Mapped[str] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    step: Mapped[int | None] = mapped_column()
    step_role: Mapped[str] = mapped_column(String(30), default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    revision_number: Mapped[int | None] = mapped_column()
    # The content version (``operations.content_version``) submitted, approved or edited: what the actor saw.
    version: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    actor = relationship("User")


class Revision(TenantScoped, db.Model):
    """A snapshot of every published version of an item (R-13: nothing published is lost)."""

    __tablename__ = "workflow_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    content_type: Mapped[str] = mapped_column(String(40), index=True)
    object_id: Mapped[int] = mapped_column(index=True)
    number: Mapped[int] = mapped_column()
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
