"""Fixtures of the reorganisation tests: every test leaves the reference tenants as their tenant.yaml made them."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth.operations import find_user
from app.core.models import Tenant
from app.core.tenancy import invalidate_host_map
from app.core.timeutil import utcnow
from app.extensions import db
from app.workflow import registry
from app.workflow.models import ReviewState


@pytest.fixture(autouse=True)
def _undo_restructuring(app):
    """Before the suite's reset (which re-syncs tenant.yaml): codes back, lifecycle fields cleared."""
    yield
    with app.app_context():
        db.session.rollback()
        for tenant in db.session.execute(select(Tenant)).scalars():
            if tenant.former_codes:
                tenant.code = tenant.former_codes[0]
            tenant.former_codes = []
            tenant.state, tenant.state_since, tenant.successor_id = "active", None, None
            tenant.base_domain, tenant.restructured_at, tenant.unit_code = "", None, ""
            tenant.rules_basis = ""
        db.session.commit()
        invalidate_host_map()


@pytest.fixture
def publish(app, make_user):
    """``publish("stc", "article", title=...)``: a published item of that type on that site; returns its id."""

    def make(code, type_name="article", days_ago=1, **values):
        email = make_user("contributor", code)
        with app.app_context():
            tenant = db.session.execute(select(Tenant).where(Tenant.code == code)).scalars().one()
            ct = registry.get(type_name)
            item = ct.sample(tenant, find_user(email))
            for key, value in values.items():
                setattr(item, key, value)
            item.state = ReviewState.PUBLISHED
            item.published_at = utcnow() - timedelta(days=days_ago)
            db.session.add(item)
            db.session.commit()
            return item.id

    return make


def get_tenant(code):
    return db.session.execute(select(Tenant).where(Tenant.code == code)).scalars().one()
