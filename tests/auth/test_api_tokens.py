"""API tokens: they expire, their use is recorded and listed, and they are revoked from the back office
or the command line (R-25, R-28)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.auth.models import ApiToken
from app.auth.operations import find_user, issue_token
from app.core.timeutil import utcnow
from app.extensions import db


def _token(runner, email, *options):
    result = runner.invoke(args=["users", "token", email, *options])
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1]


def _inbox(client, token):
    return client.get("/api/v1/inbox", headers={"Authorization": f"Bearer {token}"})


def _rows(app, email):
    with app.app_context():
        user = find_user(email)
        rows = db.session.execute(select(ApiToken).where(ApiToken.user_id == user.id)).scalars().all()
        db.session.expunge_all()
        return rows


def test_tokens_expire(app, runner, client_for, make_user, clock):
    """R-28: a token works until its expiry (--days, default API_TOKEN_DAYS) and is refused after it."""
    email = make_user("editor", "stc")
    token = _token(runner, email, "--days", "2")
    c = client_for("stc")
    assert _inbox(c, token).status_code == 200
    clock.advance(days=2, seconds=1)
    refused = _inbox(c, token)
    assert refused.status_code == 401 and "expired" in refused.get_json()["error"]["message"]


@pytest.mark.parametrize("days", [90, 30])
def test_default_lifetime_comes_from_configuration(app, runner, make_user, monkeypatch, days):
    """R-28: without --days a token lives API_TOKEN_DAYS days (90 unless configured)."""
    if days != 90:
        monkeypatch.setitem(app.config, "API_TOKEN_DAYS", days)
    email = make_user("editor", "stc")
    result = runner.invoke(args=["users", "token", email])
    assert result.output.strip().splitlines()[-1].startswith("bp_")
    (row,) = _rows(app, email)
    assert row.expires_at - utcnow() == pytest.approx(timedelta(days=days), abs=timedelta(minutes=1))


def test_last_use_is_recorded_and_listed(app, runner, client_for, make_user):
    """R-28: the account page lists each token with its expiry and last use."""
    email = make_user("editor", "stc")
    used = _token(runner, email)
    _token(runner, email)
    c = client_for("stc")
    assert _inbox(c, used).status_code == 200
    rows = {r.prefix: r for r in _rows(app, email)}
    assert rows[used[:10]].last_used_at is not None
    assert [r.last_used_at for p, r in rows.items() if p != used[:10]] == [None]
    c.login(email)
    html = c.get("/admin/account/").get_data(as_text=True)
    assert used[:10] in html and html.count("token-active") == 2 and "chưa bao giờ" in html


def test_revoked_from_the_back_office(app, runner, client_for, make_user):
    """R-28: the owner revokes a token on the account page; the API refuses it at once."""
    email = make_user("editor", "stc")
    token = _token(runner, email)
    keep = _token(runner, email)
    c = client_for("stc")
    c.login(email)
    (row,) = [r for r in _rows(app, email) if r.prefix == token[:10]]
    csrf = c.csrf_token("/admin/account/")
    me = find_user_id(app, email)
    response = c.post(f"/admin/account/users/{me}/revoke", data={"csrf_token": csrf, "token_id": row.id})
    assert response.status_code == 302
    assert _inbox(c, token).status_code == 401 and _inbox(c, keep).status_code == 200
    assert "token-revoked" in c.get("/admin/account/").get_data(as_text=True)


def find_user_id(app, email):
    with app.app_context():
        return find_user(email).id


def test_a_tenant_admin_revokes_a_members_tokens_only_on_their_site(app, runner, client_for, make_user):
    """R-28: the tenant admin sees and revokes a member's tokens; another site's admin gets 404; CSRF checked."""
    member = make_user("editor", "stc")
    token = _token(runner, member)
    admin = client_for("stc")
    admin.login(make_user("tenant_admin", "stc"))
    member_id = find_user_id(app, member)
    assert f'href="/admin/account/users/{member_id}/"' in admin.get("/admin/memberships/").get_data(as_text=True)
    page = admin.get(f"/admin/account/users/{member_id}/")
    assert page.status_code == 200 and token[:10] in page.get_data(as_text=True)
    assert admin.post(f"/admin/account/users/{member_id}/revoke", data={"all": "1"}).status_code == 400
    other = client_for("dongxoai")
    other.login(make_user("tenant_admin", "dongxoai"))
    assert other.get(f"/admin/account/users/{member_id}/").status_code == 404
    editor = client_for("stc")
    editor.login(make_user("head", "stc"))
    assert editor.get(f"/admin/account/users/{member_id}/").status_code == 404
    csrf = admin.csrf_token(f"/admin/account/users/{member_id}/")
    admin.post(f"/admin/account/users/{member_id}/revoke", data={"csrf_token": csrf, "all": "1"})
    assert _inbox(client_for("stc"), token).status_code == 401


def test_cli_revoke_token(app, runner, client_for, make_user):
    """R-28: `flask users revoke-token EMAIL` revokes the newest token, `--all` every one; none left is an error."""
    email = make_user("editor", "stc")
    older, newer = _token(runner, email), _token(runner, email)
    c = client_for("stc")
    result = runner.invoke(args=["users", "revoke-token", email])
    assert result.exit_code == 0 and newer[:10] in result.output
    assert _inbox(c, newer).status_code == 401 and _inbox(c, older).status_code == 200
    third = _token(runner, email)
    result = runner.invoke(args=["users", "revoke-token", email, "--all"])
    assert result.exit_code == 0 and older[:10] in result.output and third[:10] in result.output
    assert _inbox(c, older).status_code == 401 and _inbox(c, third).status_code == 401
    again = runner.invoke(args=["users", "revoke-token", email])
    assert again.exit_code != 0 and "no active token" in again.output
    assert runner.invoke(args=["users", "revoke-token", "nobody@test.vn"]).exit_code != 0


def test_revoke_by_prefix(app, runner, client_for, make_user):
    """R-28: --prefix revokes the token the back office lists with that prefix."""
    email = make_user("editor", "stc")
    first, second = _token(runner, email), _token(runner, email)
    assert runner.invoke(args=["users", "revoke-token", email, "--prefix", first[:10]]).exit_code == 0
    c = client_for("stc")
    assert _inbox(c, first).status_code == 401 and _inbox(c, second).status_code == 200


def test_issue_token_helper_keeps_working(app, make_user):
    """R-25: the operation the other modules' tests use still returns the plain token, now with an expiry."""
    email = make_user("editor", "stc")
    with app.app_context():
        plain = issue_token(find_user(email))
        db.session.commit()
    (row,) = _rows(app, email)
    assert plain.startswith("bp_") and row.expires_at > utcnow()
