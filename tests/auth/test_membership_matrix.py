"""The membership matrix: role x own tenant / other tenant x back office / API (R-04, R-25)."""

import pytest
from sqlalchemy import func, select

from app.auth.models import Membership
from app.auth.operations import find_user, issue_token
from app.auth.roles import TENANT_ROLES
from app.extensions import db


@pytest.mark.parametrize("role", TENANT_ROLES)
def test_member_enters_own_back_office_only(client_for, make_user, role):
    """R-04: a member of stc reads stc's back office and gets 403 on dongxoai's."""
    email = make_user(role, "stc")
    own = client_for("stc")
    own.login(email)
    assert own.get("/admin/").status_code == 200
    other = client_for("dongxoai")
    other.login(email)
    assert other.get("/admin/").status_code == 403
    assert other.get("/admin/audit/").status_code == 403


@pytest.mark.parametrize("code", ["portal", "stc", "dongxoai", "ctk"])
def test_province_admin_enters_every_tenant(client_for, make_user, code):
    """R-04: the provincial office enters every tenant's back office."""
    email = make_user("province_admin", "portal")
    c = client_for(code)
    c.login(email)
    assert c.get("/admin/").status_code == 200
    assert c.get("/admin/memberships/").status_code == 200


@pytest.mark.parametrize("code", ["portal", "stc", "dongxoai"])
def test_inspector_reads_everything_and_changes_nothing(app, client_for, make_user, code):
    """R-04: the inspector reads every tenant's back office; every write is 403 and changes nothing."""
    email = make_user("inspector", "portal")
    member = make_user("editor", code)
    c = client_for(code)
    c.login(email)
    assert c.get("/admin/").status_code == 200
    listing = c.get("/admin/memberships/")
    assert listing.status_code == 200 and member in listing.get_data(as_text=True)
    with app.app_context():
        before = db.session.execute(select(func.count(Membership.id))).scalar_one()
        membership_id = db.session.execute(select(Membership.id)).scalars().first()
    token = c.csrf_token("/login")
    for path, data in [
        ("/admin/memberships/delete/", {"id": membership_id, "csrf_token": token}),
        (f"/admin/memberships/edit/?id={membership_id}", {"role": "head", "csrf_token": token}),
        ("/admin/memberships/action/", {"action": "delete", "rowid": membership_id, "csrf_token": token}),
    ]:
        assert c.post(path, data=data).status_code == 403, path
    with app.app_context():
        assert db.session.execute(select(func.count(Membership.id))).scalar_one() == before
        assert db.session.get(Membership, membership_id).role == "editor"


def test_anonymous_is_sent_to_login(client_for):
    """R-25: the back office asks anonymous visitors to log in."""
    response = client_for("stc").get("/admin/")
    assert response.status_code == 302 and "/login?next=/admin/" in response.headers["Location"]


def test_user_without_role_on_tenant_admin_view_is_403(client_for, make_user):
    """R-04: the users view is for the tenant admin; an editor of the same tenant gets 403."""
    email = make_user("editor", "stc")
    c = client_for("stc")
    c.login(email)
    assert c.get("/admin/memberships/").status_code == 403


def _token(app, email):
    with app.app_context():
        plain = issue_token(find_user(email))
        db.session.commit()
        return plain


@pytest.mark.parametrize("role", TENANT_ROLES)
def test_api_token_is_refused_on_other_tenants(app, client_for, make_user, role):
    """R-04, R-25: a token works on the tenants of its user's memberships only."""
    email = make_user(role, "stc")
    headers = {"Authorization": f"Bearer {_token(app, email)}"}
    own = client_for("stc").get("/api/v1/tenant", headers=headers)
    assert own.status_code == 200 and own.json["code"] == "stc"
    other = client_for("dongxoai").get("/api/v1/tenant", headers=headers)
    assert other.status_code == 403 and other.json["error"]["code"] == "forbidden"


@pytest.mark.parametrize("role", ["province_admin", "inspector"])
def test_global_role_tokens_work_everywhere(app, client_for, make_user, role):
    """R-04: global roles' tokens read every tenant."""
    email = make_user(role, "portal")
    headers = {"Authorization": f"Bearer {_token(app, email)}"}
    for code in ("portal", "stc", "dongxoai"):
        assert client_for(code).get("/api/v1/tenant", headers=headers).status_code == 200


def test_bad_token_is_401_json(client_for):
    """R-25: an unknown token is a 401 JSON error."""
    response = client_for("stc").get("/api/v1/tenant", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401 and response.json["error"]["code"] == "unauthorized"
