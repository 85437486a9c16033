"""Review states, the ``Reviewable`` mixin, and the stored transitions and revisions."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, String, Text, and_, or_
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from app.core.scoping import TenantScoped, scoped
from app.core.timeutil import utcnow
from app.extensions import db


class ReviewState(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    CHANGES_REQUESTED = "changes_requested"
    REJECTED = "rejected"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    UNPUBLISHED = "unpublished"
    ARCHIVED = "archived"


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


def visible_filter(model, now=None):
    """WHERE clause: the items the public may see now."""
    now = now or utcnow()
    return and_(
        model.revision_of_id.is_(None),
        model.state.in_([s.value for s in LIVE_STATES]),
        or_(model.publish_at.is_(None), model.publish_at <= now),
        or_(model.expire_at.is_(None), model.expire_at > now),
    )


def published(model, tenant=None):
    """``select(model)`` for the tenant's items the public may see now."""
    return scoped(model, tenant).where(visible_filter(model))


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
