"""Every module's back-office views, added to the one Flask-Admin instance."""

from flask_babel import lazy_gettext as _l

from app.admin.views import AuditLogView, MembershipView
from app.auth.models import Membership
from app.core.models import AuditEvent


def register_views(admin):
    from app.admin.settings import ReviewChainsView, SettingsView, TenantsView
    from app.extensions import db

    admin.add_view(MembershipView(Membership, db, name=_l("Users and roles"), endpoint="memberships"))
    admin.add_view(AuditLogView(AuditEvent, db, name=_l("Audit log"), endpoint="audit"))
    admin.add_view(TenantsView(name=_l("Sites"), endpoint="tenants", url="/admin/tenants", category=_l("Settings")))
    admin.add_view(SettingsView(name=_l("Site settings"), endpoint="settings", url="/admin/settings",
                                category=_l("Settings")))  # fmt: skip
    admin.add_view(ReviewChainsView(name=_l("Review chains"), endpoint="review_chains", url="/admin/review-chains",
                                    category=_l("Settings")))  # fmt: skip
    from app.admin.account import AccountView

    admin.add_view(AccountView(name=_l("My account"), endpoint="my_account", url="/admin/account"))
