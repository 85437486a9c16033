"""Failed logins: per-account counting across hosts, growing delays, no lock-out of the owner (R-28)."""

import http.client
import re
import threading

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from app.auth import totp
from app.auth.models import User
from app.core.models import AuditEvent
from app.extensions import db
from tests.auth.conftest import account, logout

WRONG = "not-the-password"


def _actions(app, email):
    with app.app_context():
        return db.session.execute(select(AuditEvent.action).where(AuditEvent.target == email)).scalars().all()


def test_delays_grow_with_each_failure_and_end(app, client_for, make_user, clock):
    """R-28: five free failures, then a delay that doubles with each failure; after it the right password works."""
    email = make_user("editor", "stc")
    c = client_for("stc")
    for _ in range(5):
        assert c.login(email, WRONG).status_code == 422
    assert account(app, email).failed_logins == 5
    assert c.login(email).status_code == 422  # within the first minute: refused unchecked
    clock.advance(seconds=61)
    assert c.login(email, WRONG).status_code == 422  # sixth failure: two minutes now
    user = account(app, email)
    assert user.failed_logins == 6
    clock.advance(seconds=61)
    assert c.login(email).status_code == 422
    clock.advance(seconds=60)
    response = c.login(email)
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/")
    assert account(app, email).failed_logins == 0
    actions = _actions(app, email)
    assert actions.count("login.failed") == 6 and actions.count("login.locked") == 2


def test_the_delay_is_capped_at_an_hour(app, client_for, make_user, clock):
    """R-28: however many failures, a stranger waits at most an hour for the next try."""
    email = make_user("editor", "stc")
    c = client_for("stc")
    for _ in range(14):
        c.login(email, WRONG)
        clock.advance(hours=1, seconds=1)
    user = account(app, email)
    assert user.failed_logins == 14
    assert (user.locked_until - user.last_failed_login_at).total_seconds() == pytest.approx(3600, abs=2)


def test_failures_count_across_hosts(app, client_for, make_user):
    """R-28: the counter is the account's, not the host's: failures on three subsites add up."""
    email = make_user("editor", "stc")
    for code in ("stc", "portal", "stc", "dongxoai", "portal"):
        assert client_for(code).login(email, WRONG).status_code == 422
    assert client_for("stc").login(email).status_code == 422
    assert account(app, email).failed_logins == 5


def test_a_stranger_cannot_lock_the_owner_out(app, client_for, make_user):
    """R-28: a browser where the owner logged in before keeps working while a stranger's attempts are delayed."""
    email = make_user("editor", "stc")
    owner = client_for("stc")
    assert owner.login(email).status_code == 302
    assert "portal_device=" in owner.get("/admin/").request.headers.get("Cookie", "")
    logout(owner)
    stranger = client_for("stc")
    for _ in range(12):
        stranger.login(email, WRONG)
    assert stranger.login(email).status_code == 422  # the stranger is held back, even with the password
    response = owner.login(email)
    assert response.status_code == 302 and owner.get("/admin/").status_code == 200
    # Refused attempts are not counted, and the owner's login gives the stranger no fresh tries.
    assert account(app, email).failed_logins == 5


def test_a_stolen_device_cookie_gets_no_free_guesses(app, client_for, make_user):
    """R-28: failures from trusted devices are counted too; ten of them and no device is trusted any more."""
    email = make_user("editor", "stc")
    owner = client_for("stc")
    owner.login(email)
    device = owner._client.get_cookie("portal_device", domain="stc.localhost").value
    logout(owner)
    thief = client_for("stc")
    thief._client.set_cookie("portal_device", device, domain="stc.localhost")
    for _ in range(10):
        thief.login(email, WRONG)
    assert "login.devices_untrusted" in _actions(app, email)
    for _ in range(5):
        thief.login(email, WRONG)
    assert thief.login(email).status_code == 422  # now held back like any stranger


def test_second_factor_failures_count_on_the_account(app, client_for, make_user):
    """R-28: wrong codes count like wrong passwords; giving the password again does not wipe them."""
    email = make_user("head", "stc")
    with app.app_context():
        user = db.session.execute(select(User).where(User.email == email)).scalars().one()
        user.totp_secret = secret = totp.new_secret()
        db.session.commit()
    c = client_for("stc")
    for _ in range(2):
        assert c.login(email).headers["Location"].endswith("/login/verify")
        token = c.csrf_token("/login/verify")
        assert c.post("/login/verify", data={"csrf_token": token, "code": "000000"}).status_code == 422
    assert account(app, email).failed_logins == 4  # two password steps not yet completed, two wrong codes
    token = c.csrf_token("/login/verify")
    c.post("/login/verify", data={"csrf_token": token, "code": "000000"})
    refused = c.post("/login/verify", data={"csrf_token": token, "code": totp.code_at(secret)})
    assert refused.status_code == 422 and c.get("/admin/").status_code == 302
    assert "Quá nhiều lần nhập sai" in refused.get_data(as_text=True)
    assert "login.second_factor_failed" in _actions(app, email)


def test_unknown_disabled_and_delayed_accounts_cost_one_password_check(app, client_for, make_user, monkeypatch):
    """R-28: every refusal does the same Argon2 work and gives the same page: nothing tells them apart."""
    known = make_user("editor", "stc")
    disabled = make_user("head", "stc")
    delayed = make_user("contributor", "stc")
    with app.app_context():
        db.session.execute(select(User).where(User.email == disabled)).scalars().one().active = False
        db.session.commit()
    c = client_for("stc")
    for _ in range(5):
        c.login(delayed, WRONG)
    checks = []
    original = PasswordHasher.verify
    monkeypatch.setattr(PasswordHasher, "verify", lambda self, h, p: checks.append(h) or original(self, h, p))
    pages = {}
    for email in (known, "nobody@test.vn", disabled, delayed):
        checks.clear()
        response = client_for("stc").login(email, WRONG)
        assert response.status_code == 422 and len(checks) == 1, email
        html = response.get_data(as_text=True)
        pages[email] = re.sub(r'value="[^"]*"', "", html)  # CSRF token and the email typed differ
    assert len(set(pages.values())) == 1


def _http_login(port, email, password, results):
    """One browser's login on stc over real HTTP: GET the form for a session and token, POST it."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/login", headers={"Host": "stc.localhost"})
    page = conn.getresponse()
    cookie = page.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.read().decode()).group(1)
    body = f"email={email}&password={password}&csrf_token={token}"
    headers = {"Host": "stc.localhost", "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    conn.request("POST", "/login", body=body, headers=headers)
    results.append(conn.getresponse().status)
    conn.close()


def test_parallel_attempts_cannot_slip_past_the_delay(app, live_server, make_user):
    """R-28: ten attempts at once on an account one failure short of its delay: exactly one is checked."""
    email = make_user("editor", "stc")
    port = int(live_server.url("stc").rsplit(":", 1)[1].split("/")[0])
    results = []
    for _ in range(4):
        _http_login(port, email, WRONG, results)
    threads = [threading.Thread(target=_http_login, args=(port, email, WRONG, results)) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [422] * 14
    actions = _actions(app, email)
    assert actions.count("login.failed") == 5 and actions.count("login.locked") == 9


def test_wrong_codes_to_turn_off_the_second_factor_are_counted(app, client_for, make_user):
    """R-28: a stolen session cannot guess its way to turning the second factor off."""
    email = make_user("head", "stc")
    c = client_for("stc")
    c.login(email)
    with app.app_context():
        user = db.session.execute(select(User).where(User.email == email)).scalars().one()
        user.totp_secret = secret = totp.new_secret()
        db.session.commit()
    token = c.csrf_token("/account/two-factor")
    for _ in range(10 + 5):  # this browser is trusted: ten on the devices' counter, then five on the account's
        assert c.post("/account/two-factor", data={"csrf_token": token, "code": "000000"}).status_code == 422
    refused = c.post("/account/two-factor", data={"csrf_token": token, "code": totp.code_at(secret)})
    assert refused.status_code == 422 and account(app, email).totp_secret == secret
