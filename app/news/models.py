"""News categories and articles."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, event, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from app.core.scoping import TenantScoped
from app.core.text import slugify
from app.extensions import db
from app.media.models import MediaFile
from app.workflow.models import Reviewable
from app.workflow.registry import ContentType, register

DEFAULT_CATEGORIES = (
    ("chinh-tri", "Chính trị", "Politics"),
    ("kinh-te", "Kinh tế", "Economy"),
    ("van-hoa-xa-hoi", "Văn hóa - Xã hội", "Culture and society"),
    ("quoc-phong-an-ninh", "Quốc phòng - An ninh", "Defence and security"),
    ("chi-dao-dieu-hanh", "Chỉ đạo điều hành", "Direction and administration"),
    ("thong-bao", "Thông báo", "Announcements"),
)


class Category(TenantScoped, db.Model):
    __tablename__ = "news_category"
    __table_args__ = (UniqueConstraint("tenant_id", "slug", name="uq_news_category_tenant_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120))
    name_vi: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    sort_order: Mapped[int] = mapped_column(default=0)

    def __str__(self):
        return self.name_vi


class Article(Reviewable, db.Model):
    """A news item. ``slug`` is unaccented Vietnamese; revision copies have no slug."""

    __tablename__ = "news_article"
    __table_args__ = (UniqueConstraint("tenant_id", "slug", name="uq_news_article_tenant_slug"),)
    content_type = "article"
    revision_fields = (
        "title",
        "summary",
        "body",
        "title_en",
        "summary_en",
        "body_en",
        "category_id",
        "featured",
        "byline",
        "source_name",
        "tags",
        "language",
        "cover_id",
        "cover_caption",
        "gallery",
        "audio_id",
        "video_id",
        "attachments",
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    slug: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    # Optional English version; the English site lists items that have one.
    title_en: Mapped[str] = mapped_column(String(300), default="")
    summary_en: Mapped[str] = mapped_column(Text, default="")
    body_en: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(5), default="vi")
    category_id: Mapped[int | None] = mapped_column(ForeignKey("news_category.id", ondelete="SET NULL"), index=True)
    featured: Mapped[bool] = mapped_column(default=False)
    byline: Mapped[str] = mapped_column(String(200), default="")
    source_name: Mapped[str] = mapped_column(String(200), default="")
    tags: Mapped[list] = mapped_column(JSON, default=list)
    # Media of the same tenant: a cover image with its caption, a gallery and attachments
    # (lists of media ids, in display order), one audio and one video file.
    cover_id: Mapped[int | None] = mapped_column(ForeignKey("media_file.id", ondelete="SET NULL"))
    cover_caption: Mapped[str] = mapped_column(String(500), default="")
    gallery: Mapped[list] = mapped_column(JSON, default=list)
    audio_id: Mapped[int | None] = mapped_column(ForeignKey("media_file.id", ondelete="SET NULL"))
    video_id: Mapped[int | None] = mapped_column(ForeignKey("media_file.id", ondelete="SET NULL"))
    attachments: Mapped[list] = mapped_column(JSON, default=list)

    category: Mapped[Category | None] = relationship(lazy="joined")
    cover: Mapped[MediaFile | None] = relationship(foreign_keys=[cover_id], lazy="joined")
    audio: Mapped[MediaFile | None] = relationship(foreign_keys=[audio_id])
    video: Mapped[MediaFile | None] = relationship(foreign_keys=[video_id])

    @property
    def has_english(self):
        return bool((self.title_en or "").strip())

    def media_ids(self):
        """Every media file the article uses (for the media library's usage counts)."""
        ids = [self.cover_id, self.audio_id, self.video_id, *(self.gallery or []), *(self.attachments or [])]
        return [i for i in ids if i]

    def __str__(self):
        return self.title


def _public_url(article):
    from app.core.models import Tenant
    from app.core.tenancy import tenant_url

    tenant = db.session.get(Tenant, article.tenant_id)
    return tenant_url(tenant, "news.article", slug=article.slug)


def _edit_url(article):
    from flask import url_for

    return url_for("news_articles.edit_view", id=article.id)


def _propose(article, portal, actor):
    """The portal's copy of a subsite article (R-10); it enters the portal's chain with copies of its media."""
    from app.news.operations import copy_media_to

    copy = Article(tenant_id=portal.id)
    for name in Article.revision_fields:
        setattr(copy, name, getattr(article, name))
    copy.category_id = None
    if article.category is not None:
        copy.category_id = db.session.execute(
            select(Category.id).where(Category.tenant_id == portal.id, Category.slug == article.category.slug)
        ).scalar()
    copy.slug = None
    copy.publish_at, copy.expire_at = None, article.expire_at
    ids = copy_media_to(article.media_ids(), portal, actor)
    copy.cover_id = ids.get(article.cover_id)
    copy.audio_id = ids.get(article.audio_id)
    copy.video_id = ids.get(article.video_id)
    copy.gallery = [ids[i] for i in article.gallery or [] if i in ids]
    copy.attachments = [ids[i] for i in article.attachments or [] if i in ids]
    return copy


def _dump(article):
    from app.news.schemas import ArticleSchema

    return ArticleSchema().dump(article)


register(
    ContentType(
        name="article",
        collection="articles",
        model=Article,
        label=_l("News article"),
        public_url=_public_url,
        edit_url=_edit_url,
        propose=_propose,
        dump=_dump,
        deadline_days=2,
    )
)


@event.listens_for(Session, "before_flush")
def _assign_slugs(session, flush_context, instances):
    """Give every new or published live article a unique slug; revision copies keep none."""
    taken = set()
    for obj in list(session.new) + list(session.dirty):
        if not isinstance(obj, Article) or obj.slug or obj.revision_of_id is not None or not obj.title:
            continue
        if obj.tenant_id is None:
            continue
        with session.no_autoflush:
            obj.slug = unique_slug(session, obj.tenant_id, obj.title, taken, exclude_id=obj.id)
        taken.add((obj.tenant_id, obj.slug))


def unique_slug(session, tenant_id, title, taken=(), exclude_id=None, max_length=120):
    """``slugify(title)``, with ``-2``, ``-3``... appended when the tenant already has it."""
    base = slugify(title, max_length=max_length)
    stmt = select(Article.slug).where(Article.tenant_id == tenant_id, Article.slug.like(base + "%"))
    if exclude_id is not None:
        stmt = stmt.where(Article.id != exclude_id)
    existing = set(session.execute(stmt).scalars()) | {slug for tid, slug in taken if tid == tenant_id}
    slug, n = base, 1
    while slug in existing:
        n += 1
        slug = f"{base}-{n}"
    return slug
