"""Demo data for every tenant (``flask demo load``).

Modules add their own loaders to ``LOADERS``; each takes ``(scale)`` and yields report lines.
"""

from flask import current_app
from sqlalchemy import select

from app.auth.models import User
from app.auth.operations import ensure_user, find_user
from app.core.models import Tenant
from app.core.tenant_sync import sync_tenants
from app.extensions import db

DEMO_PASSWORD = "BinhPhuoc@2026"
PROVINCE_ADMIN = "admin@binhphuoc.gov.vn"
INSPECTOR = "thanhtra@stttt.binhphuoc.gov.vn"
TENANT_ROLES = ("tenant_admin", "head", "deputy_head", "editor", "contributor")


def demo_email(role, code):
    return f"{role.replace('_', '')}.{code}@demo.binhphuoc.gov.vn"


def demo_loaded():
    return find_user(PROVINCE_ADMIN) is not None


def load_users(scale=1):
    portal = db.session.execute(select(Tenant).where(Tenant.kind == "portal")).scalars().one()
    ensure_user(PROVINCE_ADMIN, portal, "province_admin", password=DEMO_PASSWORD, name="Văn phòng UBND tỉnh")
    ensure_user(INSPECTOR, portal, "inspector", password=DEMO_PASSWORD, name="Thanh tra Sở TT&TT")
    # One hash for every demo account: Argon2 is slow on purpose and they share a password.
    shared_hash = db.session.execute(select(User.password_hash).where(User.email == PROVINCE_ADMIN)).scalar_one()
    count = 2
    for tenant in db.session.execute(select(Tenant).order_by(Tenant.sort_order)).scalars():
        for role in TENANT_ROLES:
            ensure_user(
                demo_email(role, tenant.code), tenant, role, name=f"{role} {tenant.code}", password_hash=shared_hash
            )
            count += 1
    db.session.commit()
    yield f"users: {count} demo accounts (password {DEMO_PASSWORD})"


LOADERS = [load_users]


def register(loader):
    """Add a module's demo loader (``fn(scale)`` yielding report lines); idempotent."""
    if all(
        existing.__qualname__ != loader.__qualname__ or existing.__module__ != loader.__module__ for existing in LOADERS
    ):
        LOADERS.append(loader)


def load_demo(scale=1):
    created, updated, unchanged = sync_tenants(current_app.config["TENANTS_DIR"])
    yield f"tenants: {created} created, {updated} updated, {unchanged} unchanged"
    for loader in LOADERS:
        yield from loader(scale)
    from app.search.indexing import reindex_all

    yield f"search: {reindex_all()} items indexed"
