"""The back-office home page: items per state and overdue items (R-04, R-12).

It sits apart from :mod:`app.admin.views` because it reads the workflow's back office, which itself builds on
those base views: the dependency goes one way, ``workflow.admin -> admin.views``.
"""

from flask_admin import AdminIndexView, expose
from flask_login import current_user
from sqlalchemy import func, select

from app.admin.views import AccessMixin
from app.auth.roles import ROLE_LABELS
from app.core import hooks, jobs, notices
from app.core.models import Tenant
from app.core.scoping import scope_filter
from app.core.tenancy import current_tenant
from app.core.timeutil import utcnow
from app.extensions import db
from app.workflow import registry
from app.workflow.admin import state_label
from app.workflow.models import ReviewState
from app.workflow.operations import overdue_items

STATES = tuple(state.value for state in ReviewState)
# The "last good backup" indicator turns red past this age (R-26: a backup every week).
BACKUP_MAX_AGE_DAYS = 7


def backup_status(now=None):
    """``{"at", "age_days", "ok", "detail"}`` of the latest backup the worker wrote and verified (R-26)."""
    run = jobs.last_success("weekly_backup")
    if run is None:
        return {"at": None, "age_days": None, "ok": False, "detail": ""}
    age = ((now or utcnow()) - run.finished_at).total_seconds() / 86400
    return {"at": run.finished_at, "age_days": age, "ok": age <= BACKUP_MAX_AGE_DAYS, "detail": run.detail}


def state_counts(tenant=None):
    """``{content_type: {tenant_id: {state: n}}}`` for live items (revision copies excluded)."""
    counts = {}
    for ct in registry.all_types():
        model = ct.model
        stmt = select(model.tenant_id, model.state, func.count()).where(model.revision_of_id.is_(None))
        if tenant is not None:
            stmt = stmt.where(scope_filter(model, tenant))
        stmt = stmt.group_by(model.tenant_id, model.state)
        per_type = counts.setdefault(ct.name, {})
        for tenant_id, state, n in db.session.execute(stmt):
            per_type.setdefault(tenant_id, {})[str(state)] = n
    return counts


def overview(tenant, everywhere=False):
    """What the dashboard shows: content types, states, counts per tenant and the overdue items."""
    counts = state_counts(None if everywhere else tenant)
    overdue = overdue_items(None if everywhere else tenant)
    if everywhere:
        tenants = list(db.session.execute(select(Tenant).order_by(Tenant.sort_order, Tenant.code)).scalars())
    else:
        tenants = [tenant]
    overdue_per = {}
    for ct, item in overdue:
        key = (ct.name, item.tenant_id)
        overdue_per[key] = overdue_per.get(key, 0) + 1
    badges = []
    for contribute in hooks.collect("inbox_badges"):
        for t in tenants:
            badges += [(t, label, count, url) for label, count, url in contribute(t)]
    return {
        "badges": badges,
        "types": registry.all_types(),
        "states": STATES,
        "counts": counts,
        "tenants": tenants,
        "overdue": overdue[:50],
        "overdue_total": len(overdue),
        "overdue_per": overdue_per,
        "state_label": state_label,
        "tenant_codes": {t.id: t.code for t in tenants},
        "everywhere": everywhere,
    }


class DashboardView(AccessMixin, AdminIndexView):
    """``/admin/``: items per state for every content type, overdue items (R-04, R-12).

    On the portal, the province admin and the inspector get the same figures for every tenant.
    """

    @expose("/")
    def index(self):
        tenant = current_tenant._get_current_object()
        roles = sorted(current_user.roles_in(tenant))
        everywhere = bool(tenant.is_portal and current_user.global_role in ("province_admin", "inspector"))
        unread, latest = notices.unread(current_user, tenant, limit=5)
        return self.render(
            "admin/dashboard.html",
            notices={"count": unread, "latest": latest},
            backup=backup_status() if everywhere else None,
            roles=[ROLE_LABELS.get(r, r) for r in roles],
            global_role=ROLE_LABELS.get(current_user.global_role) if current_user.global_role else None,
            overview=overview(tenant, everywhere),
        )
