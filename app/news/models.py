"""News categories and articles."""

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.scoping import TenantScoped
from app.extensions import db
from app.media.models import MediaFile
from app.workflow.models import Reviewable, WrittenItem

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


class Article(WrittenItem, Reviewable, db.Model):
    """A news item (title, summary, body, English versions, attachments: ``WrittenItem``).

    ``slug`` is unaccented Vietnamese; revision copies have no slug.
    """

    __tablename__ = "news_article"
    __table_args__ = (UniqueConstraint("tenant_id", "slug", name="uq_news_article_tenant_slug"),)
    content_type = "article"

    id: Mapped[int] = mapped_column(primary_key=True)
    language: Mapped[str] = mapped_column(String(5), default="vi")
    category_id: Mapped[int | None] = mapped_column(ForeignKey("news_category.id", ondelete="SET NULL"), index=True)
    featured: Mapped[bool] = mapped_column(default=False)
    byline: Mapped[str] = mapped_column(String(200), default="")
    source_name: Mapped[str] = mapped_column(String(200), default="")
    tags: Mapped[list] = mapped_column(JSON, default=list)
    # Media of the same tenant: a cover image with its caption, a gallery (media ids, in display
    # order), one audio and one video file; attachments come with ``WrittenItem``.
    cover_id: Mapped[int | None] = mapped_column(ForeignKey("media_file.id", ondelete="SET NULL"))
    cover_caption: Mapped[str] = mapped_column(String(500), default="")
    gallery: Mapped[list] = mapped_column(JSON, default=list)
    audio_id: Mapped[int | None] = mapped_column(ForeignKey("media_file.id", ondelete="SET NULL"))
    video_id: Mapped[int | None] = mapped_column(ForeignKey("media_file.id", ondelete="SET NULL"))

    category: Mapped[Category | None] = relationship(lazy="joined")
    cover: Mapped[MediaFile | None] = relationship(foreign_keys=[cover_id], lazy="joined")
    audio: Mapped[MediaFile | None] = relationship(foreign_keys=[audio_id])
    video: Mapped[MediaFile | None] = relationship(foreign_keys=[video_id])
