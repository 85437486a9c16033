"""Helpers of the account tests: a clock the account rules read, logging out as a browser does."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth.models import User
from app.core.timeutil import utcnow
from app.extensions import db


class Clock:
    """Moves the time that failure delays, reset mails and token expiry are measured with."""

    def __init__(self, monkeypatch):
        self.offset = timedelta()
        for module in ("app.auth.operations", "app.auth.models"):
            monkeypatch.setattr(f"{module}.utcnow", lambda: utcnow() + self.offset)

    def advance(self, **delta):
        self.offset += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


def logout(c):
    """Log out the way the page does: the confirmation form's POST with its CSRF token."""
    return c.post("/logout", data={"csrf_token": c.csrf_token("/logout")})


def account(app, email):
    """The account's row, read fresh."""
    with app.app_context():
        user = db.session.execute(select(User).where(User.email == email)).scalars().one()
        db.session.expunge(user)
        return user
