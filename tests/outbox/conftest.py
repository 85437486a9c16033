import socket

import pytest


@pytest.fixture
def logged_in(client_for, make_user):
    """``logged_in("tenant_admin", "stc")``: a client on stc's host, logged in with that role."""

    def make(role, code, host=None):
        email = make_user(role, "portal" if role in ("province_admin", "inspector") else code)
        c = client_for(host or code)
        assert c.login(email).status_code == 302
        c.email = email
        return c

    return make


@pytest.fixture
def mail_down(app):
    """MAIL_SERVER points at a loopback port where nothing listens: every delivery attempt fails at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    old = app.config["MAIL_SERVER"], app.config["MAIL_PORT"]
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    yield port
    app.config["MAIL_SERVER"], app.config["MAIL_PORT"] = old
