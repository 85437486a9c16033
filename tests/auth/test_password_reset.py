"""Password reset by email: a one-time link with a short life, the same answer for every address,
rate-limited (R-25, R-28)."""

import re

import itsdangerous.timed
import pytest

from tests.auth.conftest import account
from tests.conftest import PASSWORD

NEW_PASSWORD = "Mat-khau-moi-that-dai-2026"


def _ask(c, email):
    """Fill in the "forgot password" form; the response is closed as a server does, which sends the mail."""
    response = c.post("/login/forgot", data={"email": email, "csrf_token": c.csrf_token("/login/forgot")})
    body = response.get_data(as_text=True)
    response.close()
    return response, body


def _link(message):
    return re.search(r"http://\S+/login/reset/\S+", message["body"]).group(0)


def test_login_page_offers_the_reset(client_for):
    """R-25: /login links to the "forgot password" form."""
    html = client_for("stc").get("/login").get_data(as_text=True)
    assert 'href="/login/forgot"' in html and "Quên mật khẩu?" in html


def test_reset_by_email_works_once(app, client_for, make_user, smtp_server):
    """R-28: the emailed link, on the tenant's own host, sets a new password once; the old one stops working."""
    email = make_user("editor", "stc")
    c = client_for("stc")
    response, _ = _ask(c, email)
    assert response.status_code == 200
    (message,) = smtp_server.messages
    assert message["to"] == [email]
    link = _link(message)
    assert link.startswith("http://stc.localhost")
    path = link.split("stc.localhost", 1)[1]
    assert c.get(path).status_code == 200
    token = c.csrf_token(path)
    done = c.post(path, data={"csrf_token": token, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"].endswith("/login")
    assert c.get(path).status_code == 404  # used: the link is dead
    assert client_for("stc").login(email).status_code == 422
    assert client_for("stc").login(email, NEW_PASSWORD).status_code == 302


def test_the_same_answer_whether_the_account_exists_or_not(app, client_for, make_user, smtp_server):
    """R-28: known, unknown and disabled addresses get the same page; only the real account gets mail."""
    from sqlalchemy import select

    from app.auth.models import User
    from app.extensions import db

    known = make_user("editor", "stc")
    disabled = make_user("head", "stc")
    with app.app_context():
        db.session.execute(select(User).where(User.email == disabled)).scalars().one().active = False
        db.session.commit()
    answers = set()
    for email in (known, "nobody@test.vn", disabled):
        response, body = _ask(client_for("stc"), email)
        answers.add((response.status_code, body, response.headers.get("Set-Cookie") is None))
    assert len(answers) == 1
    assert [m["to"] for m in smtp_server.messages] == [[known]]


def test_the_mail_leaves_after_the_answer(client_for, make_user, smtp_server):
    """R-28: the page is complete before the mail server is contacted, so its timing tells nothing."""
    email = make_user("editor", "stc")
    c = client_for("stc")
    response = c.post("/login/forgot", data={"email": email, "csrf_token": c.csrf_token("/login/forgot")})
    assert response.get_data(as_text=True) and smtp_server.messages == []
    response.close()
    assert len(smtp_server.messages) == 1


def test_the_link_expires(client_for, make_user, smtp_server, monkeypatch):
    """R-28: a link older than an hour (PASSWORD_RESET_MAX_AGE) is refused."""
    email = make_user("editor", "stc")
    c = client_for("stc")
    _ask(c, email)
    path = _link(smtp_server.messages[0]).split("stc.localhost", 1)[1]
    real_time = itsdangerous.timed.time

    class Later:
        @staticmethod
        def time():
            return real_time.time() + 3601

    monkeypatch.setattr(itsdangerous.timed, "time", Later)
    page = c.get(path)
    assert page.status_code == 404 and "không còn dùng được" in page.get_data(as_text=True)


def test_a_newer_request_voids_the_older_link_and_floods_no_mailbox(client_for, make_user, smtp_server, clock):
    """R-28: one mail per account per five minutes; a newer link replaces the older one."""
    email = make_user("editor", "stc")
    c = client_for("stc")
    _ask(c, email)
    _ask(c, email)
    assert len(smtp_server.messages) == 1
    clock.advance(minutes=6)
    _ask(c, email)
    first, second = (_link(m).split("stc.localhost", 1)[1] for m in smtp_server.messages)
    assert c.get(first).status_code == 404 and c.get(second).status_code == 200


def test_reset_requests_are_rate_limited_across_hosts(client_for, make_user):
    """R-28: ten requests an hour per address, whichever subsites they are spread over."""
    hosts = ["stc", "portal", "dongxoai", "stc", "portal"] * 2
    for code in hosts:
        assert _ask(client_for(code), "nobody@test.vn")[0].status_code == 200
    assert _ask(client_for("stc"), "someone@test.vn")[0].status_code == 429


def test_a_reset_lifts_the_delay_and_ends_sessions(app, client_for, make_user, smtp_server):
    """R-28: the owner locked out by a stranger's failures gets in at once through a reset link."""
    email = make_user("editor", "stc")
    logged_in = client_for("stc")
    logged_in.login(email)
    stranger = client_for("stc")
    for _ in range(6):
        stranger.login(email, "wrong")
    assert client_for("stc").login(email).status_code == 422
    c = client_for("stc")
    _ask(c, email)
    path = _link(smtp_server.messages[0]).split("stc.localhost", 1)[1]
    token = c.csrf_token(path)
    c.post(path, data={"csrf_token": token, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert account(app, email).failed_logins == 0
    assert c.login(email, NEW_PASSWORD).status_code == 302
    assert logged_in.get("/admin/").status_code == 302  # the session opened with the old password is over


@pytest.mark.parametrize("password, confirm", [("short", "short"), (NEW_PASSWORD, NEW_PASSWORD + "x")])
def test_a_bad_new_password_is_refused(client_for, make_user, smtp_server, password, confirm):
    """R-28: at least 12 characters, typed twice the same; the link keeps working after a refusal."""
    email = make_user("editor", "stc")
    c = client_for("stc")
    _ask(c, email)
    path = _link(smtp_server.messages[0]).split("stc.localhost", 1)[1]
    token = c.csrf_token(path)
    assert c.post(path, data={"csrf_token": token, "password": password, "confirm": confirm}).status_code == 422
    assert c.get(path).status_code == 200 and client_for("stc").login(email, PASSWORD).status_code == 302
