"""News categories and articles."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.scoping import TenantScoped
from app.extensions import db
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

    category: Mapped[Category | None] = relationship(lazy="joined")

    def __str__(self):
        return self.title


def _public_url(article):
    from app.core.models import Tenant
    from app.core.tenancy import tenant_url

    tenant = db.session.get(Tenant, article.tenant_id)
    return tenant_url(tenant, "public.home") + f"news/{article.slug}"


def _propose(article, portal, actor):
    """The portal's copy of a subsite article (R-10); it enters the portal's chain."""
    copy = Article(tenant_id=portal.id)
    for name in Article.revision_fields:
        setattr(copy, name, getattr(article, name))
    copy.category_id = None
    copy.slug = None
    return copy


register(
    ContentType(
        name="article",
        collection="articles",
        model=Article,
        label=_l("News article"),
        public_url=_public_url,
        propose=_propose,
        deadline_days=2,
    )
)
