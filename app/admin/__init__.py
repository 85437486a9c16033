"""The back office at ``/admin/`` on every host: one Flask-Admin instance whose views are
scoped to the request's tenant through :class:`app.admin.views.TenantModelView`."""

from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme
from flask_babel import lazy_gettext as _l


def init_app(app):
    # Imported here, not at the top: the dashboard reads the workflow's back office, which imports
    # app.admin.views, so importing it while this package initialises would go round in a circle.
    from app.admin.dashboard import DashboardView
    from app.core.security import csp_nonce

    admin = Admin(
        app,
        name=_l("Back office"),
        url="/admin",
        index_view=DashboardView(url="/admin", endpoint="admin"),
        theme=Bootstrap4Theme(base_template="admin/portal_base.html", swatch="default"),
        csp_nonce_generator=csp_nonce,  # Flask-Admin's own inline scripts carry the request's nonce
    )
    _use_own_admin_catalogue(app)
    from app.admin.registry import register_views

    register_views(admin)
    app.extensions["portal_admin"] = admin
    from app.admin.account import bp as account_bp

    app.register_blueprint(account_bp)
    return admin


def _use_own_admin_catalogue(app):
    """Read Flask-Admin's own strings (domain ``admin``) from ``translations/`` after its bundled catalogue.

    Flask-Babel merges the catalogues of a domain's directories in order, a later one replacing the same
    message ids, so ours (plain Vietnamese instead of "Kỷ lục được tạo thành công" for "Record was
    successfully created") wins. Flask-Admin's ``translations_path`` would put ours first, where its own
    wrong strings would replace them again.
    """
    from flask_admin.babel import domain

    directories = domain._translation_directories  # the bundled catalogue's directory, set by Flask-Admin
    for ours in app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";"):
        if ours not in directories:
            directories.append(ours)
    domain.cache.clear()
