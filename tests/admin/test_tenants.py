"""Tenant management by the provincial office (R-01, R-02, R-04)."""

from sqlalchemy import select

from app.core.models import AuditEvent, Tenant
from app.extensions import db
from tests.conftest import HostClient

NEW = {
    "code": "sotest",
    "kind": "department",
    "name_vi": "Sở Thử nghiệm",
    "name_en": "Department of Testing",
    "aliases": "sotest.binhphuoc.gov.vn",
    "address": "Số 1 đường Trần Hưng Đạo, phường Tân Phú, thành phố Đồng Xoài",
    "phone": "0271 3879 000",
    "email": "sotest@binhphuoc.gov.vn",
    "primary": "#0b4f8a",
    "accent": "#b3261e",
    "sort_order": "90",
    "active": "y",
}


def _post(c, path, data):
    return c.post(path, data={**data, "csrf_token": c.csrf_token(path)})


def test_new_tenant_serves_at_once(app, logged_in, client_for):
    """R-01, R-04: the province admin creates a tenant; its host and alias serve it at once; audited."""
    admin = logged_in("province_admin", "portal")
    assert client_for("sotest").get("/").status_code == 404
    response = _post(admin, "/admin/tenants/new/", NEW)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    home = client_for("sotest").get("/")
    assert home.status_code == 200 and "Sở Thử nghiệm" in home.get_data(as_text=True)
    alias = HostClient(app, "sotest.binhphuoc.gov.vn").get("/")
    assert "Sở Thử nghiệm" in alias.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(AuditEvent).where(AuditEvent.action == "tenant.create")).scalars().one()
        tenant = db.session.execute(select(Tenant).where(Tenant.code == "sotest")).scalars().one()
        tenant_id = tenant.id
    deactivate = {**NEW, "active": ""}
    assert _post(admin, f"/admin/tenants/{tenant_id}/", deactivate).status_code == 302
    assert client_for("sotest").get("/").status_code == 404


def test_bad_codes_and_aliases_are_refused(app, logged_in):
    """R-01: codes are lower-case letters and digits, unique, never www; aliases must be host names."""
    admin = logged_in("province_admin", "portal")
    for code in ("www", "So-Test", "stc", "a"):
        response = _post(admin, "/admin/tenants/new/", {**NEW, "code": code})
        assert response.status_code == 422, code
    response = _post(admin, "/admin/tenants/new/", {**NEW, "aliases": "not a host!"})
    assert response.status_code == 422
    assert "Không phải tên miền hợp lệ: not" in response.get_data(as_text=True)
    response = _post(admin, "/admin/tenants/new/", {**NEW, "aliases": "stc.localhost"})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.execute(select(Tenant).where(Tenant.code == "sotest")).first() is None


def test_portal_kind_cannot_change(app, logged_in):
    """R-02: the portal stays the portal."""
    admin = logged_in("province_admin", "portal")
    with app.app_context():
        portal = db.session.execute(select(Tenant).where(Tenant.kind == "portal")).scalars().one()
        pid, code = portal.id, portal.code
    data = {**NEW, "code": code, "kind": "department", "name_vi": "Cổng", "name_en": "Portal"}
    assert _post(admin, f"/admin/tenants/{pid}/", data).status_code == 422
    with app.app_context():
        assert db.session.get(Tenant, pid).kind == "portal"


def test_only_the_province_admin_manages_tenants(logged_in):
    """R-04: a tenant admin never reaches tenant management; the inspector reads it but cannot write."""
    assert logged_in("tenant_admin", "stc").get("/admin/tenants/").status_code == 403
    assert logged_in("tenant_admin", "portal", email="ta.portal@test.vn").get("/admin/tenants/").status_code == 403
    inspector = logged_in("inspector", "portal")
    assert inspector.get("/admin/tenants/").status_code == 200
    assert _post(inspector, "/admin/tenants/new/", NEW).status_code == 403
    assert logged_in("province_admin", "stc").get("/admin/tenants/").status_code == 403
