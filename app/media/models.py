from datetime import datetime

from sqlalchemy import ForeignKey, String, event
from sqlalchemy.orm import Mapped, mapped_column

from app.core.scoping import TenantScoped
from app.core.text import unaccent
from app.core.timeutil import utcnow
from app.extensions import db

MEDIA_KINDS = ("image", "audio", "video", "document")


class MediaFile(TenantScoped, db.Model):
    """An uploaded file; stored under a server-generated name, reusable by the tenant's items only."""

    __tablename__ = "media_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    thumb_name: Mapped[str] = mapped_column(String(80), default="")
    original_name: Mapped[str] = mapped_column(String(255), default="")
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column()
    width: Mapped[int | None] = mapped_column()
    height: Mapped[int | None] = mapped_column()
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    alt: Mapped[str] = mapped_column(String(500), default="")
    caption: Mapped[str] = mapped_column(String(500), default="")
    # Name, alt text and caption without accents, lower-case: "hoi nghi" finds "Hội nghị" on any database.
    search_text: Mapped[str] = mapped_column(String(1300), default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def url(self):
        return f"/media/{self.stored_name}"

    @property
    def thumb_url(self):
        return f"/media/{self.thumb_name}" if self.thumb_name else self.url

    def srcset(self, ext=None):
        """``srcset`` of the responsive copies (app/media/images.py) in ``ext`` (default: the stored format);
        '' when the image has none."""
        from flask import current_app

        from app.media import images

        ext = ext or self.stored_name.rsplit(".", 1)[-1]
        found = images.widths(current_app.config["MEDIA_ROOT"], self)
        if not found:
            return ""
        urls = [
            self.url if (w == self.width and ext == self.stored_name.rsplit(".", 1)[-1])
            else f"/media/{images.variant_name(self.stored_name, w, ext)}"
            for w in found
        ]  # fmt: skip
        return ", ".join(f"{url} {w}w" for url, w in zip(urls, found, strict=True))

    def __str__(self):
        return self.original_name or self.stored_name


def search_key(text):
    """The form ``search_text`` is stored and searched in: unaccented, lower-case, single-spaced."""
    return " ".join(unaccent(text or "").lower().split())


@event.listens_for(MediaFile, "before_insert")
@event.listens_for(MediaFile, "before_update")
def _fill_search_text(mapper, connection, media):
    media.search_text = search_key(f"{media.original_name} {media.alt} {media.caption}")[:1300]
