"""Demo data for every tenant (``flask demo load``).

Modules add their own loaders to ``LOADERS``; each takes ``(scale)`` and yields report lines.
"""

import logging
from contextlib import contextmanager

from flask import current_app
from sqlalchemy import select

from app.auth.models import User
from app.auth.operations import ensure_user, find_user
from app.core.models import Tenant
from app.core.tenant_sync import sync_tenants
from app.extensions import db

log = logging.getLogger(__name__)

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


@contextmanager
def quiet_mail():
    """Demo transitions would e-mail every reviewer: send nothing while the demo data is made."""
    from app.workflow import notifications

    app = current_app
    old = app.config.get("MAIL_SERVER"), notifications.to_reviewers, notifications.to_author
    app.config["MAIL_SERVER"] = None
    notifications.to_reviewers = notifications.to_author = lambda *args, **kwargs: None
    try:
        yield
    finally:
        app.config["MAIL_SERVER"], notifications.to_reviewers, notifications.to_author = old


def demo_users(code, roles=("contributor", "editor", "head")):
    """The demo accounts of a tenant by role (None where missing)."""
    return {role: find_user(demo_email(role, code)) for role in roles}


def act(item, action, user, comment=""):
    """Apply a review action for the demo; a refusal is logged, not raised."""
    from app.workflow.operations import WorkflowError, transition

    try:
        transition(item, action, user, comment)
    except WorkflowError as exc:
        log.warning("demo: %s on %s refused: %s", action, item.display_title(), exc.message)


def approve(item, tenant, users, comment="Đồng ý đăng."):
    """Approve ``item`` (in review) at every step of the tenant's chain."""
    from app.workflow.operations import chain_for

    for role in chain_for(tenant, item.content_type):
        act(item, "approve", users.get(role) or users["head"], comment)


def published(model, tenant, published_at=None, **values):
    """A new demo item of ``tenant`` that is public from ``published_at`` (now) without passing the review chain."""
    from app.core.timeutil import utcnow
    from app.workflow.models import ReviewState

    return model(
        tenant_id=tenant.id,
        state=ReviewState.PUBLISHED,
        published_at=utcnow() if published_at is None else published_at,
        **values,
    )


def publish(item, tenant, users, comment="Đồng ý đăng."):
    """Submit ``item`` as the contributor and approve it at every step of the tenant's chain."""
    act(item, "submit", users["contributor"])
    approve(item, tenant, users, comment)
