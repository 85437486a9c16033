"""Legal documents and the e-gazette (R-20, R-08 d, m): official metadata, files, relations both ways,
gazette issues, the publication deadline (R-12), the JSON API and the search provider (R-24)."""


def init_app(app):
    from app.core import hooks
    from app.demo import register as register_demo
    from app.documents import admin, api, views
    from app.documents.demo import load_demo
    from app.documents.search import search

    app.register_blueprint(views.bp)
    api.init_app(app)
    admin.init_app(app)
    hooks.add(app, "search", search)
    hooks.add(app, "sitemap", _sitemap)
    register_demo(load_demo)


def _sitemap(tenant):
    from app.core.tenancy import tenant_url
    from app.documents.models import LegalDocument
    from app.extensions import db
    from app.workflow.models import published

    rows = db.session.execute(
        published(LegalDocument, tenant).with_only_columns(LegalDocument.id, LegalDocument.updated_at)
    )
    return [(tenant_url(tenant, "documents.detail", doc_id=i), updated) for i, updated in rows]
