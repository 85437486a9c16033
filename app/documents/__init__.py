"""Legal documents and the e-gazette (R-20, R-08 d, m): official metadata, files, relations both ways,
gazette issues, the publication deadline (R-12), the JSON API; found by the site search (R-24)."""


def init_app(app):
    from app.core import hooks
    from app.demo import register as register_demo
    from app.documents import admin, api, views
    from app.documents.demo import load_demo

    app.register_blueprint(views.bp)
    api.init_app(app)
    admin.init_app(app)
    hooks.add(app, "sitemap", _sitemap)
    hooks.add(app, "inbox_badges", _late_badge)
    register_demo(load_demo)


def _late_badge(tenant):
    """The dashboard's count of documents published after their deadline (R-12)."""
    from flask import url_for
    from flask_babel import lazy_gettext as _l

    from app.documents.operations import count_late

    late = count_late(tenant)
    return [(_l("Legal documents published late"), late, url_for("documents_admin.index_view"))] if late else []


def _sitemap(tenant):
    from app.core.tenancy import tenant_url
    from app.documents.models import LegalDocument
    from app.extensions import db
    from app.workflow.models import published

    rows = db.session.execute(
        published(LegalDocument, tenant).with_only_columns(LegalDocument.id, LegalDocument.updated_at)
    )
    return [(tenant_url(tenant, "documents.detail", doc_id=i), updated) for i, updated in rows]
