"""The staff second factor: TOTP enrolment, the code step at login, replay refused (R-28)."""

import re
import time

from sqlalchemy import select

from app.auth import totp
from app.auth.models import User
from app.extensions import db


def test_totp_matches_rfc6238_vectors():
    """R-28: the one-time codes follow RFC 6238 (SHA-1 test vectors, last six digits)."""
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of "12345678901234567890"
    assert totp.code_at(secret, 59) == "287082"
    assert totp.code_at(secret, 1111111109) == "081804"
    assert totp.matching_counter(secret, "287082", when=59) == 1
    assert totp.matching_counter(secret, "000000", when=59) is None


def _enrol(c):
    html = c.get("/account/two-factor").get_data(as_text=True)
    secret = re.search(r'<code id="totp-secret">([A-Z2-7]+)</code>', html).group(1)
    token = c.csrf_token("/account/two-factor")
    wrong = c.post("/account/two-factor", data={"csrf_token": token, "secret": secret, "code": "000000"})
    assert wrong.status_code == 422 and "đã hết hạn" in wrong.get_data(as_text=True)
    ok = c.post("/account/two-factor", data={"csrf_token": token, "secret": secret, "code": totp.code_at(secret)})
    assert ok.status_code == 302
    return secret


def test_enrolled_staff_need_a_code_to_log_in(app, client_for, make_user):
    """R-28: after enrolment a password alone does not open the back office; a fresh code does, once."""
    email = make_user("head", "stc")
    c = client_for("stc")
    c.login(email)
    secret = _enrol(c)
    with app.app_context():
        assert db.session.execute(select(User.totp_secret).where(User.email == email)).scalar_one() == secret
    c.post("/logout", data={"csrf_token": c.csrf_token("/logout")})
    second = client_for("stc")
    response = second.login(email)
    assert response.status_code == 302 and response.headers["Location"].endswith("/login/verify")
    assert second.get("/admin/").status_code == 302  # not logged in yet
    token = second.csrf_token("/login/verify")
    assert second.post("/login/verify", data={"csrf_token": token, "code": "123456"}).status_code == 422
    time.sleep(0)  # the enrolment code was for this step: a new step's code is needed, or the next one
    code = totp.code_at(secret, time.time() + 30)
    done = second.post("/login/verify", data={"csrf_token": token, "code": code})
    assert done.status_code == 302 and second.get("/admin/").status_code == 200
    replay = client_for("stc")
    replay.login(email)
    token = replay.csrf_token("/login/verify")
    assert replay.post("/login/verify", data={"csrf_token": token, "code": code}).status_code == 422


def test_verify_step_without_password_goes_back_to_login(client_for):
    """R-28: the code step cannot be reached without the password step."""
    response = client_for("stc").get("/login/verify")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
