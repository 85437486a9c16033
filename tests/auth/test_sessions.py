"""Logging out ends the session on the server: POST with CSRF only, copied cookies die (R-25, R-28)."""

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from tests.auth.conftest import logout


def _copy_session(source, target, host="stc.localhost"):
    """What a thief does with a session cookie read off a shared computer or a proxy log."""
    value = source._client.get_cookie("session", domain=host).value
    target._client.set_cookie("session", value, domain=host)


def test_logout_is_a_post_with_csrf(client_for, make_user):
    """R-28: GET /logout only asks to confirm; a POST without the CSRF token is refused; with it, logged out."""
    email = make_user("editor", "stc")
    c = client_for("stc")
    c.login(email)
    page = c.get("/logout")
    assert page.status_code == 200 and 'action="/logout"' in page.get_data(as_text=True)
    assert c.get("/admin/").status_code == 200
    assert c.post("/logout", data={}).status_code == 400
    assert c.get("/admin/").status_code == 200
    assert logout(c).status_code == 302
    assert c.get("/admin/").status_code == 302


def test_back_office_logout_is_a_form(client_for, make_user):
    """R-28: the back office's "Log out" is a POST form carrying the CSRF token, not a link."""
    email = make_user("editor", "stc")
    c = client_for("stc")
    c.login(email)
    html = c.get("/admin/").get_data(as_text=True)
    assert '<form method="post" action="/logout"' in html and 'href="/logout"' not in html


def test_a_cookie_copied_before_logout_no_longer_works(client_for, make_user):
    """R-28: after logout, a copy of the session cookie taken while logged in opens nothing."""
    email = make_user("editor", "stc")
    victim, thief = client_for("stc"), client_for("stc")
    victim.login(email)
    _copy_session(victim, thief)
    assert thief.get("/admin/").status_code == 200  # the copy works while the session is open...
    logout(victim)
    assert thief.get("/admin/").status_code == 302  # ...and not after the logout


def test_a_cookie_copied_before_a_password_change_no_longer_works(app, client_for, make_user):
    """R-28: a new password ends every session opened with the old one."""
    email = make_user("editor", "stc")
    victim, thief = client_for("stc"), client_for("stc")
    victim.login(email)
    _copy_session(victim, thief)
    with app.app_context():
        db.session.execute(select(User).where(User.email == email)).scalars().one().set_password("Mat-khau-moi-2026!")
        db.session.commit()
    assert thief.get("/admin/").status_code == 302
    assert victim.get("/admin/").status_code == 302
    assert victim.login(email, "Mat-khau-moi-2026!").status_code == 302 and victim.get("/admin/").status_code == 200


def test_a_cookie_from_before_the_second_factor_opens_nothing(app, client_for, make_user):
    """R-28: the half-done login (password given, code not yet) is not a session, and expires in five minutes."""
    from app.auth import totp

    email = make_user("head", "stc")
    with app.app_context():
        db.session.execute(select(User).where(User.email == email)).scalars().one().totp_secret = totp.new_secret()
        db.session.commit()
    c = client_for("stc")
    c.login(email)
    assert c.get("/admin/").status_code == 302
    assert c.get("/login/verify").status_code == 200
    with c._client.session_transaction(base_url="http://stc.localhost") as sess:
        sess["two_factor_pending"] = dict(sess["two_factor_pending"], at=sess["two_factor_pending"]["at"] - 301)
    assert c.get("/login/verify").headers["Location"].endswith("/login")
