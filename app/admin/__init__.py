"""The back office at ``/admin/`` on every host: one Flask-Admin instance whose views are
scoped to the request's tenant through :class:`app.admin.views.TenantModelView`."""

from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme

from app.admin.views import DashboardView


def init_app(app):
    admin = Admin(
        app,
        name="Back office",
        url="/admin",
        index_view=DashboardView(url="/admin", endpoint="admin"),
        theme=Bootstrap4Theme(base_template="admin/portal_base.html", swatch="default"),
    )
    from app.admin.registry import register_views

    register_views(admin)
    app.extensions["portal_admin"] = admin
    from app.admin.account import bp as account_bp

    app.register_blueprint(account_bp)
    return admin
