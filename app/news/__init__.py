"""News (R-05, R-06, R-08 c, R-10, R-11, R-33): categories, articles, their public pages, feeds and API.

Articles pass the review chain (``app.workflow``); subsites propose theirs to the portal.
"""

from flask_babel import lazy_gettext as _l


def init_app(app):
    from app import demo
    from app.core import hooks
    from app.extensions import db
    from app.news import api, content, views  # noqa: F401  (content: the article's declaration)
    from app.news.admin import ArticleView, CategoryView
    from app.news.demo import load_news
    from app.news.models import Article, Category

    app.register_blueprint(views.bp)
    api.init_app(app)
    admin = app.extensions["portal_admin"]
    admin.add_view(ArticleView(Article, db, name=_l("Articles"), endpoint="news_articles", category=_l("News")))
    admin.add_view(CategoryView(Category, db, name=_l("Categories"), endpoint="news_categories", category=_l("News")))
    hooks.add(app, "home", views.home_block)
    hooks.add(app, "home", views.agencies_block)
    demo.register(load_news)
