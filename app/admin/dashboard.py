"""Figures for the back-office home page: items per state and overdue items (R-04, R-12)."""

from sqlalchemy import func, select

from app.core import hooks
from app.core.models import Tenant
from app.extensions import db
from app.workflow import registry
from app.workflow.admin import state_label
from app.workflow.models import ReviewState
from app.workflow.operations import overdue_items

STATES = tuple(state.value for state in ReviewState)


def state_counts(tenant=None):
    """``{content_type: {tenant_id: {state: n}}}`` for live items (revision copies excluded)."""
    counts = {}
    for ct in registry.all_types():
        model = ct.model
        stmt = select(model.tenant_id, model.state, func.count()).where(model.revision_of_id.is_(None))
        if tenant is not None:
            stmt = stmt.where(model.tenant_id == tenant.id)
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
