"""Users and roles in the back office: invitations, one-time links, role changes, isolation (R-04, R-25, R-28)."""

import re

from sqlalchemy import select

from app.admin.operations import password_token, user_for_password_token
from app.auth.models import Membership, User
from app.auth.operations import find_user
from app.extensions import db
from tests.admin.conftest import tenant_id
from tests.conftest import PASSWORD

NEW_PASSWORD = "Mat-khau-moi-rat-dai-2026"


def _invite(c, email, role="contributor", name="Trần Thị Bích"):
    token = c.csrf_token("/admin/memberships/invite/")
    return c.post("/admin/memberships/invite/", data={"email": email, "name": name, "role": role, "csrf_token": token})


def _link(message):
    return re.search(r"https?://\S+/account/set-password/\S+", message["body"]).group(0)


def test_invitation_sets_password_once(app, logged_in, smtp_server, client_for):
    """R-25, R-28: an invitation emails a one-time link; the password is set once, then the link is dead."""
    admin = logged_in("tenant_admin", "stc")
    response = _invite(admin, "ctv.moi@stc.test.vn")
    assert response.status_code == 302
    assert [m["to"] for m in smtp_server.messages] == [["ctv.moi@stc.test.vn"]]
    link = _link(smtp_server.messages[0])
    assert "//stc.localhost" in link
    path = link.split("localhost", 1)[1].lstrip(":0123456789")
    c = client_for("stc")
    form = c.get(path)
    assert form.status_code == 200 and "ctv.moi@stc.test.vn" in form.get_data(as_text=True)
    token = c.csrf_token(path)
    short = c.post(path, data={"password": "ngan", "confirm": "ngan", "csrf_token": token})
    assert short.status_code == 422
    done = c.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": token})
    assert done.status_code == 302 and done.headers["Location"].endswith("/login")
    assert c.get(path).status_code == 404  # used: bound to the old password hash
    assert c.login("ctv.moi@stc.test.vn", NEW_PASSWORD).status_code == 302
    assert c.get("/admin/").status_code == 200
    with app.app_context():
        user = find_user("ctv.moi@stc.test.vn")
        assert user.name == "Trần Thị Bích"
        assert {(m.role, m.tenant.code) for m in user.memberships} == {("contributor", "stc")}


def test_expired_or_forged_token_is_refused(app):
    """R-28: an expired, tampered or foreign token does not set a password."""
    from app.auth.operations import ensure_user
    from app.core.models import Tenant

    with app.test_request_context(base_url="http://stc.localhost"):
        stc = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalars().one()
        user, _ = ensure_user("het.han@test.vn", stc, "editor")
        db.session.commit()
        token = password_token(user)
        assert user_for_password_token(token) == user
        assert user_for_password_token(token, max_age=-1) is None
        assert user_for_password_token(token[:-2] + "xx") is None
        user.set_password(PASSWORD)
        assert user_for_password_token(token) is None


def test_role_change_is_audited(app, logged_in, make_user, audit_actions):
    """R-25: a tenant admin changes a role; the change is recorded in the audit log."""
    editor = make_user("editor", "stc")
    admin = logged_in("tenant_admin", "stc")
    with app.app_context():
        mid = db.session.execute(
            select(Membership.id).join(User).where(User.email == editor, Membership.role == "editor")
        ).scalar_one()
    token = admin.csrf_token(f"/admin/memberships/edit/?id={mid}")
    response = admin.post(
        f"/admin/memberships/edit/?id={mid}", data={"role": "secretary", "active": "y", "csrf_token": token}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Membership, mid).role == "secretary"
    assert ("role.change", f"{editor}:editor->secretary") in [(a, t) for a, t, _ in audit_actions("role.change")]


def test_tenant_admin_cannot_give_global_roles_province_admin_can(app, logged_in, smtp_server):
    """R-04: only the provincial administrator grants global roles, on the portal."""
    admin = logged_in("tenant_admin", "stc")
    response = _invite(admin, "thanhtra2@test.vn", role="inspector")
    assert response.status_code == 422
    with app.app_context():
        assert find_user("thanhtra2@test.vn") is None
    province = logged_in("province_admin", "portal")
    assert _invite(province, "thanhtra2@test.vn", role="inspector").status_code == 302
    with app.app_context():
        assert find_user("thanhtra2@test.vn").global_role == "inspector"


def test_disable_account_and_membership(app, logged_in, make_user, audit_actions):
    """R-25: a tenant admin disables an account of their tenant; the user can no longer log in."""
    editor = make_user("editor", "stc")
    admin = logged_in("tenant_admin", "stc")
    with app.app_context():
        uid = find_user(editor).id
    token = admin.csrf_token("/admin/memberships/")
    response = admin.post(f"/admin/memberships/account/{uid}/active", data={"active": "0", "csrf_token": token})
    assert response.status_code == 302
    with app.app_context():
        assert find_user(editor).active is False
    assert audit_actions("user.disable")


def test_tenant_admin_cannot_disable_account_shared_with_other_tenant(app, logged_in, make_user):
    """R-04: an account that also works for another site is not the tenant admin's to disable."""
    email = make_user("editor", "stc", "chung@test.vn")
    make_user("editor", "dongxoai", "chung@test.vn")
    admin = logged_in("tenant_admin", "stc")
    with app.app_context():
        uid = find_user(email).id
    token = admin.csrf_token("/admin/memberships/")
    admin.post(f"/admin/memberships/account/{uid}/active", data={"active": "0", "csrf_token": token})
    with app.app_context():
        assert find_user(email).active is True


def test_other_tenant_admin_sees_no_stc_user(app, logged_in, make_user):
    """R-04: dongxoai's admin finds stc's users in no list, count, export, detail, edit URL or lookup."""
    secret = make_user("editor", "stc", "bi.mat@stc.test.vn")
    with app.app_context():
        mid = db.session.execute(select(Membership.id).join(User).where(User.email == secret)).scalar_one()
        uid = find_user(secret).id
    dx = logged_in("tenant_admin", "dongxoai")
    listing = dx.get("/admin/memberships/").get_data(as_text=True)
    assert secret not in listing and "tenant_admin.dongxoai@test.vn" in listing
    assert secret not in dx.get("/admin/memberships/export/csv/").get_data(as_text=True)
    assert secret not in dx.get("/admin/memberships/?search=editor").get_data(as_text=True)
    assert dx.get(f"/admin/memberships/edit/?id={mid}").status_code in (302, 404)
    assert dx.get(f"/admin/memberships/details/?id={mid}").status_code in (302, 404)
    lookup = dx.get("/admin/memberships/ajax/lookup/?name=user&query=bi.mat")
    assert secret not in lookup.get_data(as_text=True)
    token = dx.csrf_token("/admin/memberships/")
    assert (
        dx.post(f"/admin/memberships/account/{uid}/active", data={"active": "0", "csrf_token": token}).status_code
        == 404
    )
    with app.app_context():
        assert find_user(secret).active is True
        assert db.session.get(Membership, mid).tenant_id == tenant_id("stc")
