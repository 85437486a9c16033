"""The command line of the contract (tenants, users, tokens)."""

from sqlalchemy import func, select

from app.auth.models import ApiToken, Membership, User
from app.core.models import Tenant
from app.extensions import db


def test_tenants_sync_is_idempotent(app, runner):
    """R-02: `flask tenants sync` loads every tenant.yaml and changes nothing the second time."""
    result = runner.invoke(args=["tenants", "sync"])
    assert result.exit_code == 0 and "0 created" in result.output and "33 unchanged" in result.output
    with app.app_context():
        assert db.session.execute(select(func.count(Tenant.id))).scalar_one() == 33


def test_tenants_sync_restores_edited_values(app, runner):
    """R-02: tenant.yaml is the source of truth for the reference tenants."""
    with app.app_context():
        t = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalars().one()
        t.phone = "000"
        db.session.commit()
    result = runner.invoke(args=["tenants", "sync"])
    assert "1 updated" in result.output
    with app.app_context():
        assert db.session.execute(select(Tenant.phone).where(Tenant.code == "stc")).scalar_one() == "0271 3874 506"


def test_tenants_list(runner):
    """R-02: `flask tenants list` prints every tenant with its host."""
    output = runner.invoke(args=["tenants", "list"]).output
    assert "stc.localhost" in output and "Sở Tài chính" in output and "dongxoai.localhost" in output
    assert len(output.strip().splitlines()) == 33


def test_users_create_generates_password_and_adds_memberships(app, runner):
    """R-25: `flask users create` prints a generated password; run again it adds a membership."""
    result = runner.invoke(args=["users", "create", "Chuyenvien@STC.gov.vn", "--tenant", "stc", "--role", "editor"])
    assert result.exit_code == 0 and "password: " in result.output
    result = runner.invoke(args=["users", "create", "chuyenvien@stc.gov.vn", "--tenant", "dongxoai", "--role", "head"])
    assert result.exit_code == 0 and "password" not in result.output
    with app.app_context():
        user = db.session.execute(select(User).where(User.email == "chuyenvien@stc.gov.vn")).scalars().one()
        roles = {(m.tenant.code, m.role) for m in user.memberships}
    assert roles == {("stc", "editor"), ("dongxoai", "head")}


def test_users_create_refuses_bad_input(runner):
    """R-25: unknown tenant, unknown role, global role on a subsite: clear errors."""
    assert "no tenant" in runner.invoke(args=["users", "create", "a@b.vn", "--tenant", "xx", "--role", "head"]).output
    assert (
        "unknown role" in runner.invoke(args=["users", "create", "a@b.vn", "--tenant", "stc", "--role", "boss"]).output
    )
    result = runner.invoke(args=["users", "create", "a@b.vn", "--tenant", "stc", "--role", "inspector"])
    assert result.exit_code != 0 and "--tenant portal" in result.output


def test_users_token_is_stored_hashed_and_works(app, runner, client_for):
    """R-25: the token is printed alone on the last line, stored hashed, and authenticates."""
    runner.invoke(
        args=["users", "create", "bt@stc.gov.vn", "--tenant", "stc", "--role", "editor", "--password", "x" * 12]
    )
    result = runner.invoke(args=["users", "token", "bt@stc.gov.vn"])
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("bp_")
    with app.app_context():
        stored = db.session.execute(select(ApiToken.token_hash)).scalars().all()
        assert token not in stored and ApiToken.digest(token) in stored
    response = client_for("stc").get("/api/v1/tenant", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_demo_load_creates_accounts_once(app, runner):
    """R-04: demo data gives every tenant its staff; --if-empty skips a loaded database."""
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.execute(select(func.count(Membership.id))).scalar_one() >= 33 * 5
    assert "already loaded" in runner.invoke(args=["demo", "load", "--if-empty"]).output
