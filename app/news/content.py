"""The article, declared once: its fields and where it lives; everything else is derived from this."""

from flask_babel import lazy_gettext as _l

from app.core.fields import ATTACHMENTS, COVER, Field, Kind, english, titled
from app.news.models import Article
from app.news.operations import check
from app.news.schemas import ArticleSchema
from app.workflow.operations import copy_for_portal
from app.workflow.registry import ContentType, register

TEXT = titled()
LANGUAGES = (("vi", "Tiếng Việt"), ("en", "English"))


def sample(tenant, author):
    return Article(
        title="Bài viết mẫu về cải cách hành chính",
        summary="Tóm tắt bài viết mẫu.",
        body="<p>Nội dung bài viết mẫu.</p>",
    )


ARTICLE = register(
    ContentType(
        name="article",
        model=Article,
        label=_l("News article"),
        endpoint="news.article",
        admin_endpoint="news_articles",
        schema=ArticleSchema,
        propose=copy_for_portal,
        slug_from="title",
        sample=sample,
        check=check,
        fields=(
            *TEXT,
            Field("category_id", Kind.RELATION, _l("Category"), api_name="category", relation="category"),
            COVER,
            Field("cover_caption", Kind.TEXT, _l("Cover caption"), max_length=500),
            Field("gallery", Kind.MEDIA_LIST, _l("Photo gallery"), media_kinds=("image",)),
            Field("audio_id", Kind.MEDIA, _l("Audio"), api_name="audio", media_kinds=("audio",)),
            Field("video_id", Kind.MEDIA, _l("Video"), api_name="video", media_kinds=("video",)),
            ATTACHMENTS,
            Field("byline", Kind.TEXT, _l("Author (byline)"), max_length=200),
            Field("source_name", Kind.TEXT, _l("Source"), api_name="source", max_length=200),
            Field("tags", Kind.TAGS, _l("Tags"), description=_l("Separate tags with commas.")),
            Field("featured", Kind.FLAG, _l("Featured")),
            Field("language", Kind.CHOICE, _l("Language"), choices=LANGUAGES, form=False),
            *english(TEXT),
        ),
    )
)
