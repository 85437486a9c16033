"""News operations: default categories, media checks and copies, cleaning an article's fields.

Views, the API and the demo loader call these; state changes go through ``app.workflow.operations``.
"""

import logging
import os
import shutil
import uuid

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.core.text import nfc, sanitize_html
from app.extensions import db
from app.media.models import MediaFile
from app.media.operations import files_by_ids
from app.news.models import DEFAULT_CATEGORIES, Article, Category

log = logging.getLogger(__name__)

# Which media kind each single-file reference accepts.
MEDIA_SLOTS = {"cover_id": ("image",), "audio_id": ("audio",), "video_id": ("video",)}
MEDIA_LISTS = {"gallery": ("image",), "attachments": ("document", "image", "audio", "video")}
TEXT_FIELDS = ("title", "summary", "title_en", "summary_en", "byline", "source_name", "cover_caption")


def ensure_default_categories(tenant):
    """Create the missing default categories of ``tenant``; return how many were created."""
    existing = set(db.session.execute(select(Category.slug).where(Category.tenant_id == tenant.id)).scalars())
    created = 0
    for order, (slug, name_vi, name_en) in enumerate(DEFAULT_CATEGORIES):
        if slug not in existing:
            db.session.add(Category(tenant_id=tenant.id, slug=slug, name_vi=name_vi, name_en=name_en, sort_order=order))
            created += 1
    if created:
        db.session.flush()
        log.info("created %s default news categories for tenant %s", created, tenant.code)
    return created


def has_categories(tenant):
    return bool(db.session.execute(select(func.count(Category.id)).where(Category.tenant_id == tenant.id)).scalar())


class ArticleError(ValueError):
    """Invalid article data; ``fields`` maps a field name to its message."""

    def __init__(self, fields):
        super().__init__("; ".join(f"{k}: {v}" for k, v in fields.items()))
        self.fields = fields


def media_errors(article):
    """Check that every media reference belongs to the article's tenant and is of the right kind."""
    errors = {}
    rows = {m.id: m for m in files_by_ids(sorted(set(article.media_ids())), article.tenant_id)}
    for name, kinds in MEDIA_SLOTS.items():
        value = getattr(article, name)
        if value and (value not in rows or rows[value].kind not in kinds):
            errors[name.removesuffix("_id")] = str(
                _l("Choose a file of this site's media library of type %(kind)s.", kind=kinds[0])
            )
    for name, kinds in MEDIA_LISTS.items():
        for value in getattr(article, name) or []:
            if value not in rows or rows[value].kind not in kinds:
                errors[name] = str(_l("Every file must come from this site's media library."))
                break
    return errors


def clean(article):
    """Normalise text to NFC and sanitise the rich-text bodies; call before every save."""
    for name in TEXT_FIELDS:
        value = getattr(article, name)
        if value is not None:
            setattr(article, name, nfc(value).strip())
    article.body = sanitize_html(article.body or "")
    article.body_en = sanitize_html(article.body_en or "")
    article.tags = [nfc(t).strip() for t in (article.tags or []) if t and str(t).strip()]
    article.gallery = [int(i) for i in article.gallery or []]
    article.attachments = [int(i) for i in article.attachments or []]
    if article.language not in ("vi", "en"):
        article.language = "vi"


def check(article):
    """Clean ``article`` and raise :class:`ArticleError` on bad references."""
    clean(article)
    errors = {}
    if not (article.title or "").strip():
        errors["title"] = str(_l("A title is required."))
    if article.category_id is not None:
        category = db.session.get(Category, article.category_id)
        if category is None or category.tenant_id != article.tenant_id:
            errors["category"] = str(_l("Choose one of this site's categories."))
    if article.publish_at and article.expire_at and article.expire_at <= article.publish_at:
        errors["expire_at"] = str(_l("The end of publication must come after its start."))
    errors.update(media_errors(article))
    if errors:
        raise ArticleError(errors)


def copy_media_to(ids, tenant, actor=None):
    """Copy media files into ``tenant``'s library (proposals to the portal); return ``{old_id: new_id}``."""
    result = {}
    root = current_app.config["MEDIA_ROOT"]
    for media in db.session.execute(select(MediaFile).where(MediaFile.id.in_(set(ids)))).scalars():
        token = uuid.uuid4().hex
        ext = media.stored_name.rsplit(".", 1)[-1]
        stored = f"{token}.{ext}"
        thumb = f"{token}-thumb.{ext}" if media.thumb_name else ""
        try:
            shutil.copyfile(os.path.join(root, media.stored_name), os.path.join(root, stored))
            if thumb:
                shutil.copyfile(os.path.join(root, media.thumb_name), os.path.join(root, thumb))
        except OSError:
            log.warning("media file %s missing; not copied to tenant %s", media.stored_name, tenant.code)
            continue
        copy = MediaFile(
            tenant_id=tenant.id,
            kind=media.kind,
            stored_name=stored,
            thumb_name=thumb,
            original_name=media.original_name,
            content_type=media.content_type,
            size=media.size,
            width=media.width,
            height=media.height,
            sha256=media.sha256,
            alt=media.alt,
            caption=media.caption,
            uploaded_by_id=actor.id if actor else None,
        )
        db.session.add(copy)
        db.session.flush()
        result[media.id] = copy.id
    return result


def media_usage(tenant):
    """``{media_id: number of articles using it}`` for the media library (live items and revisions)."""
    counts = {}
    rows = db.session.execute(
        select(Article.cover_id, Article.audio_id, Article.video_id, Article.gallery, Article.attachments).where(
            Article.tenant_id == tenant.id
        )
    )
    for cover_id, audio_id, video_id, gallery, attachments in rows:
        for media_id in {cover_id, audio_id, video_id, *(gallery or []), *(attachments or [])} - {None}:
            counts[media_id] = counts.get(media_id, 0) + 1
    return counts
