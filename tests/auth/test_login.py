"""Staff login on a tenant host (R-25, R-28)."""

from sqlalchemy import select

from app.auth.models import User
from app.core.models import AuditEvent
from app.extensions import db
from tests.conftest import PASSWORD


def test_login_and_logout(client_for, make_user):
    """R-25: a member logs in on their tenant's host and reaches the back office."""
    email = make_user("editor", "stc")
    c = client_for("stc")
    response = c.login(email)
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/")
    dashboard = c.get("/admin/")
    assert dashboard.status_code == 200 and email in dashboard.get_data(as_text=True)
    c.post("/logout", data={"csrf_token": c.csrf_token("/logout")})
    assert c.get("/admin/").status_code == 302


def test_wrong_password_gets_a_clear_message(client_for, make_user):
    """R-25: bad credentials get a form error, not a crash."""
    email = make_user("editor", "stc")
    response = client_for("stc").login(email, "wrong")
    assert response.status_code == 422
    assert "Sai thư điện tử hoặc mật khẩu" in response.get_data(as_text=True)


def test_missing_csrf_token_is_refused(client_for, make_user):
    """R-25: every form is protected by a CSRF token."""
    email = make_user("editor", "stc")
    response = client_for("stc").post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 400


def test_password_is_hashed_with_argon2(app, make_user):
    """R-28: passwords are stored as Argon2 hashes."""
    email = make_user("editor", "stc")
    with app.app_context():
        user = db.session.execute(select(User).where(User.email == email)).scalars().one()
        assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash


def test_repeated_failures_lock_the_account(app, client_for, make_user):
    """R-28: five failures lock the account even for the right password; failures are audited."""
    email = make_user("editor", "stc")
    c = client_for("stc")
    for _ in range(5):
        assert c.login(email, "wrong").status_code == 422
    assert c.login(email).status_code == 422
    with app.app_context():
        actions = db.session.execute(select(AuditEvent.action).where(AuditEvent.actor == email)).scalars().all()
    assert actions.count("login.failed") == 5 and "login.locked" in actions


def test_session_cookie_is_host_only(client_for, make_user):
    """R-25: the session cookie is not shared with other subsites (no Domain attribute)."""
    email = make_user("editor", "stc")
    response = client_for("stc").login(email)
    cookie = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")][0]
    assert "Domain" not in cookie and "HttpOnly" in cookie


def test_login_does_not_follow_foreign_redirects(client_for, make_user):
    """R-25: ?next= pointing to another host is ignored."""
    email = make_user("editor", "stc")
    c = client_for("stc")
    token = c.csrf_token("/login?next=//evil.example/")
    response = c.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": token, "next": "//evil.example/"}
    )
    assert response.headers["Location"].endswith("/admin/")
