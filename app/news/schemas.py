"""What the articles API shows beyond the declared fields (contract names: ``category``, ``source``, ``cover``)."""

from marshmallow import fields

from app.workflow.schemas import ItemSchema, media_dump


class ArticleSchema(ItemSchema):
    """An article: its declared fields (``app/news/content.py``), the category's name, the cover's caption."""

    slug = fields.Str(allow_none=True)
    category_name = fields.Method("get_category_name")
    cover = fields.Method("get_cover")

    def get_category_name(self, article):
        return article.category.name_vi if article.category else None

    def get_cover(self, article):
        data = media_dump(article.cover)
        if data is not None:
            data["caption"] = article.cover_caption
        return data
