"""The one way to query tenant-owned rows: every such query goes through :func:`scoped`.

A model that belongs to a tenant mixes in :class:`TenantScoped`; views, API handlers and
back-office views select its rows with ``scoped(Model)`` and load one row with
``get_scoped_or_404(Model, id)``, which never returns another tenant's row.
"""

from flask import abort
from sqlalchemy import ForeignKey, select
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from app.core.tenancy import current_tenant
from app.extensions import db


class TenantScoped:
    """Mixin for rows owned by one tenant."""

    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenant.id", ondelete="CASCADE"), index=True)

    @declared_attr
    def tenant(cls):
        # Explicit foreign keys: some models hold a second one to the tenant table (source_tenant_id,
        # origin_tenant_id). load_on_pending: a new row with tenant_id set knows its tenant before the flush.
        return relationship("Tenant", foreign_keys=[cls.tenant_id], lazy="select", load_on_pending=True)


def _tenant_id(tenant):
    tenant = current_tenant if tenant is None else tenant
    if isinstance(tenant, int):
        return tenant
    if tenant is None or getattr(tenant, "id", None) is None:
        raise RuntimeError("a tenant-scoped query needs a tenant")
    return tenant.id


def scoped(model, tenant=None, *entities):
    """Return ``select(model)`` limited to ``tenant`` (a Tenant or its id; default: the request's tenant)."""
    stmt = select(*(entities or (model,)))
    return stmt.where(model.tenant_id == _tenant_id(tenant))


def scope_filter(model, tenant=None):
    """The bare WHERE clause, for queries built elsewhere (counts, joins, Flask-Admin)."""
    return model.tenant_id == _tenant_id(tenant)


def scope_query(query, model, tenant=None):
    """Limit a legacy ``db.session.query(...)`` (Flask-Admin's lists, lookups and pickers) to the tenant."""
    return query.filter(scope_filter(model, tenant))


def scope_filter_many(model, tenants):
    """WHERE clause for rows of several tenants (the portal's views across sites: search, aggregation)."""
    return model.tenant_id.in_([t.id if hasattr(t, "id") else int(t) for t in tenants])


def get_scoped(model, ident, tenant=None):
    """Return the row ``ident`` of ``model`` if it belongs to the tenant, else None."""
    try:
        ident = int(ident)
    except (TypeError, ValueError):
        return None
    return db.session.execute(scoped(model, tenant).where(model.id == ident)).scalars().first()


def get_scoped_or_404(model, ident, tenant=None):
    """Like :func:`get_scoped` but abort with 404: another tenant's row does not exist here."""
    row = get_scoped(model, ident, tenant)
    if row is None:
        abort(404)
    return row
