"""Marshmallow schemas of the articles API (contract field names)."""

from flask import has_request_context, request
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from app.core.timeutil import isoformat
from app.extensions import db


def _absolute(path):
    if not path:
        return None
    if has_request_context():
        return request.host_url.rstrip("/") + path
    return path


def _media(media):
    if media is None:
        return None
    return {
        "id": media.id,
        "kind": media.kind,
        "url": _absolute(media.url),
        "thumb_url": _absolute(media.thumb_url),
        "name": media.original_name,
        "content_type": media.content_type,
    }


class LocalDateTime(fields.Field):
    def _serialize(self, value, attr, obj, **kwargs):
        return isoformat(value)


class ArticleSchema(Schema):
    """An article as the API shows it: contract fields, media with absolute URLs, the attribution (R-11)."""

    id = fields.Int()
    title = fields.Str()
    slug = fields.Str(allow_none=True)
    summary = fields.Str()
    body = fields.Str()
    title_en = fields.Str()
    summary_en = fields.Str()
    body_en = fields.Str()
    language = fields.Str()
    category = fields.Method("get_category")
    category_name = fields.Method("get_category_name")
    featured = fields.Bool()
    byline = fields.Str()
    source = fields.Str(attribute="source_name")
    tags = fields.List(fields.Str())
    publish_at = LocalDateTime()
    expire_at = LocalDateTime()
    published_at = LocalDateTime()
    updated_at = LocalDateTime()
    state = fields.Str(attribute="effective_state")
    url = fields.Method("get_url")
    source_tenant = fields.Method("get_source_tenant")
    source_url = fields.Str()
    cover = fields.Method("get_cover")
    gallery = fields.Method("get_gallery")
    audio = fields.Method("get_audio")
    video = fields.Method("get_video")
    attachments = fields.Method("get_attachments")
    attribution = fields.Method("get_attribution")
    revision_of = fields.Int(attribute="revision_of_id", allow_none=True)

    def _tenant(self, article):
        from app.core.models import Tenant

        return db.session.get(Tenant, article.tenant_id)

    def get_category(self, article):
        return article.category.slug if article.category else None

    def get_category_name(self, article):
        return article.category.name_vi if article.category else None

    def get_url(self, article):
        from app.core.tenancy import tenant_url

        if article.slug is None:
            return tenant_url(self._tenant(article), "news.index")
        return tenant_url(self._tenant(article), "news.article", slug=article.slug)

    def get_source_tenant(self, article):
        source = article.source_tenant
        if source is None:
            return None
        return {"code": source.code, "name": source.name_vi, "name_en": source.name_en}

    def get_cover(self, article):
        data = _media(article.cover)
        if data is not None:
            data["caption"] = article.cover_caption
        return data

    def _list(self, article, name):
        from app.media.operations import files_by_ids

        return [_media(m) for m in files_by_ids(getattr(article, name), article.tenant_id)]

    def get_gallery(self, article):
        return self._list(article, "gallery")

    def get_attachments(self, article):
        return self._list(article, "attachments")

    def get_audio(self, article):
        return _media(article.audio)

    def get_video(self, article):
        return _media(article.video)

    def get_attribution(self, article):
        lang = request.args.get("lang", "vi") if has_request_context() else "vi"
        return self._tenant(article).attribution("en" if lang == "en" else "vi")


class ArticleInputSchema(Schema):
    """What staff send to create or change an article; unknown fields are ignored."""

    class Meta:
        unknown = EXCLUDE

    title = fields.Str(validate=validate.Length(min=1, max=300))
    summary = fields.Str(validate=validate.Length(max=5000))
    body = fields.Str()
    title_en = fields.Str(validate=validate.Length(max=300))
    summary_en = fields.Str(validate=validate.Length(max=5000))
    body_en = fields.Str()
    language = fields.Str(validate=validate.OneOf(["vi", "en"]))
    category = fields.Raw(allow_none=True)
    featured = fields.Bool()
    byline = fields.Str(validate=validate.Length(max=200))
    source = fields.Str(validate=validate.Length(max=200), data_key="source")
    tags = fields.List(fields.Str(validate=validate.Length(max=100)), validate=validate.Length(max=30))
    publish_at = fields.DateTime(allow_none=True)
    expire_at = fields.DateTime(allow_none=True)
    cover = fields.Int(allow_none=True, strict=True)
    cover_caption = fields.Str(validate=validate.Length(max=500))
    gallery = fields.List(fields.Int(strict=True), validate=validate.Length(max=100))
    audio = fields.Int(allow_none=True, strict=True)
    video = fields.Int(allow_none=True, strict=True)
    attachments = fields.List(fields.Int(strict=True), validate=validate.Length(max=100))

    @validates_schema
    def _title_not_blank(self, data, **kwargs):
        if "title" in data and not data["title"].strip():
            raise ValidationError("A title is required.", "title")
