"""Every module's back-office views, added to the one Flask-Admin instance."""

from flask_babel import lazy_gettext as _l

from app.admin.views import AuditLogView, MembershipView
from app.auth.models import Membership
from app.core.models import AuditEvent


def register_views(admin):
    from app.extensions import db

    admin.add_view(MembershipView(Membership, db, name=_l("Users and roles"), endpoint="memberships"))
    admin.add_view(AuditLogView(AuditEvent, db, name=_l("Audit log"), endpoint="audit"))
