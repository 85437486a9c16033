import pytest
from sqlalchemy import select

from app.auth.operations import find_user
from app.core.models import AuditEvent, Tenant
from app.extensions import db


@pytest.fixture
def logged_in(client_for, make_user):
    """``logged_in("tenant_admin", "stc")`` returns a client on stc logged in with that role."""

    def make(role, code, host=None, email=None):
        tenant_code = "portal" if role in ("province_admin", "inspector") else code
        email = make_user(role, tenant_code, email)
        c = client_for(host or code)
        response = c.login(email)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        c.email = email
        return c

    return make


@pytest.fixture
def audit_actions(app):
    def get(action=None):
        with app.app_context():
            stmt = select(AuditEvent)
            if action:
                stmt = stmt.where(AuditEvent.action == action)
            return [(e.action, e.target, e.tenant_id) for e in db.session.execute(stmt).scalars()]

    return get


@pytest.fixture
def db_get(app):
    """Run ``fn()`` in an app context and return its result (rows are expunged-safe scalars)."""

    def run(fn):
        with app.app_context():
            return fn()

    return run


def tenant_id(code):
    return db.session.execute(select(Tenant.id).where(Tenant.code == code)).scalar_one()


def user_id(email):
    return find_user(email).id
