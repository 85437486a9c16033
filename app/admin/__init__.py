"""The back office at ``/admin/`` on every host: one Flask-Admin instance whose views are
scoped to the request's tenant through :class:`app.admin.views.TenantModelView`."""

from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme


def init_app(app):
    # Imported here, not at the top: the dashboard reads the workflow's back office, which imports
    # app.admin.views, so importing it while this package initialises would go round in a circle.
    from app.admin.dashboard import DashboardView
    from app.core.security import csp_nonce

    admin = Admin(
        app,
        name="Back office",
        url="/admin",
        index_view=DashboardView(url="/admin", endpoint="admin"),
        theme=Bootstrap4Theme(base_template="admin/portal_base.html", swatch="default"),
        csp_nonce_generator=csp_nonce,  # Flask-Admin's own inline scripts carry the request's nonce
    )
    from app.admin.registry import register_views

    register_views(admin)
    app.extensions["portal_admin"] = admin
    from app.admin.account import bp as account_bp

    app.register_blueprint(account_bp)
    return admin
