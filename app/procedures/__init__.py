"""Administrative procedures catalogue (R-19, R-08 e): the national database's record of each procedure,
public list and detail pages, the JSON API and CSV/XLSX bulk import.

The procedure is declared once in ``content.py``; the sitemap, search, media usage and form derive from it.
"""


def init_app(app):
    from app.demo import register as register_demo
    from app.procedures import admin, api, content, views  # noqa: F401  (content: the declaration)
    from app.procedures.demo import load_demo

    app.register_blueprint(views.bp)
    api.init_app(app)
    admin.init_app(app)
    register_demo(load_demo)
