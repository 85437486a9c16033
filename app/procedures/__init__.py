"""Administrative procedures catalogue (R-19, R-08 e): the national database's record of each procedure,
public list and detail pages, the JSON API, CSV/XLSX bulk import and the search provider (R-24)."""


def init_app(app):
    from app.core import hooks
    from app.demo import register as register_demo
    from app.procedures import admin, api, views
    from app.procedures.demo import load_demo

    app.register_blueprint(views.bp)
    api.init_app(app)
    admin.init_app(app)
    hooks.add(app, "sitemap", views_sitemap)
    register_demo(load_demo)


def views_sitemap(tenant):
    from app.core.tenancy import tenant_url
    from app.extensions import db
    from app.procedures.models import Procedure
    from app.workflow.models import published

    rows = db.session.execute(published(Procedure, tenant).with_only_columns(Procedure.code, Procedure.updated_at))
    return [(tenant_url(tenant, "procedures.detail", code=code), updated) for code, updated in rows]
