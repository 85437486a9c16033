"""Legal documents and the e-gazette (R-20, R-08 d, m): official metadata, files, relations both ways,
gazette issues, the publication deadline (R-12), the JSON API; found by the site search (R-24).

Documents and gazette issues are declared in ``content.py``; the sitemap, search, media usage and forms
derive from it.
"""


def init_app(app):
    from app.core import hooks
    from app.demo import register as register_demo
    from app.documents import admin, api, content, views  # noqa: F401  (content: the declarations)
    from app.documents.demo import load_demo

    app.register_blueprint(views.bp)
    api.init_app(app)
    admin.init_app(app)
    hooks.add(app, "inbox_badges", _late_badge)
    register_demo(load_demo)


def _late_badge(tenant):
    """The dashboard's count of documents published after their deadline (R-12)."""
    from flask import url_for
    from flask_babel import lazy_gettext as _l

    from app.documents.operations import count_late

    late = count_late(tenant)
    return [(_l("Legal documents published late"), late, url_for("documents_admin.index_view"))] if late else []
