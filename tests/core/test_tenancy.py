"""Host resolution: one application, the tenant from the Host header (R-01, R-02)."""

import csv
import os

import pytest
from sqlalchemy import select

from app.core.models import Tenant
from app.core.tenancy import MalformedHost, normalise_host
from app.extensions import db

REFERENCE = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "binhphuoc-tenants.csv")


def reference_rows():
    path = REFERENCE if os.path.exists(REFERENCE) else None
    if path is None:  # the tenants folder mirrors the reference list
        tenants_dir = os.path.join(os.path.dirname(__file__), "..", "..", "tenants")
        return [{"code": c} for c in sorted(os.listdir(tenants_dir))]
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


CODES = [row["code"] for row in reference_rows()]


def test_every_reference_tenant_is_defined_and_synced(app):
    """R-02: every tenant of the reference list exists with names, kind, contact details."""
    assert len(CODES) == 33
    with app.app_context():
        tenants = {t.code: t for t in db.session.execute(select(Tenant)).scalars()}
    for row in reference_rows():
        t = tenants[row["code"]]
        if "name_vi" in row:
            assert t.name_vi == row["name_vi"] and t.name_en == row["name_en"] and t.kind == row["kind"]
        assert t.address and t.phone and t.fax and t.email
        assert t.review_chains["default"] == (["editor", "head"] if t.kind == "portal" else ["head"])


@pytest.mark.parametrize("code", CODES)
def test_each_tenant_resolves_by_host_and_alias(app, client_for, code):
    """R-01: <code>.BASE_DOMAIN and the tenant's alias both serve that tenant's own site."""
    with app.app_context():
        t = db.session.execute(select(Tenant).where(Tenant.code == code)).scalars().one()
        name, alias = t.name_vi, t.aliases[0]
    page = client_for(code).get("/")
    assert page.status_code == 200
    assert name in page.get_data(as_text=True)
    via_alias = app.test_client().get("/", base_url=f"http://{alias}")
    assert via_alias.status_code == 200
    assert f"<title>Trang chủ · {name}</title>" in via_alias.get_data(as_text=True)


@pytest.mark.parametrize("host", ["localhost", "www.localhost", "LOCALHOST:8000", "WWW.Localhost:80"])
def test_portal_hosts_case_and_port_insensitive(app, host):
    """R-01: the portal answers on BASE_DOMAIN and www., whatever the case and port."""
    page = app.test_client().get("/", headers={"Host": host})
    assert page.status_code == 200
    assert "Cổng thông tin điện tử tỉnh Bình Phước" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    "host", ["nope.localhost", "stc.example.org", "127.0.0.1:8000", "stc.stc.localhost", "[::1]:8000"]
)
def test_unknown_host_is_404_and_names_no_tenant(app, host):
    """R-01: an unknown host gets a plain 404, never another tenant's content."""
    page = app.test_client().get("/", headers={"Host": host})
    assert page.status_code == 404
    html = page.get_data(as_text=True)
    assert "Không tìm thấy trang" in html
    assert "Bình Phước" not in html and "Sở" not in html


@pytest.mark.parametrize(
    "host",
    [
        "a.gov:x@b.gov",
        "stc.localhost.",
        "",
        "stc.localhost:99999",
        "stc.localhost:abc",
        "stc_localhost",
        "st c.localhost",
    ],
)
def test_malformed_host_is_refused(app, host):
    """R-01: malformed Host headers are refused with 400 and never pick a tenant."""
    page = app.test_client().get("/", headers={"Host": host})
    assert page.status_code == 400
    assert "Sở Tài chính" not in page.get_data(as_text=True)


def test_normalise_host_rules():
    """R-01: normalisation lower-cases and strips the port; junk raises."""
    assert normalise_host("STC.Localhost:8000") == "stc.localhost"
    for bad in ("", "a.gov:x@b.gov", "x.", "x:1:2", "x/y"):
        with pytest.raises(MalformedHost):
            normalise_host(bad)


def test_forwarded_host_ignored_unless_trusted(app):
    """R-01: X-Forwarded-Host cannot switch tenants unless the deployment trusts a proxy."""
    page = app.test_client().get("/", headers={"Host": "stc.localhost", "X-Forwarded-Host": "dongxoai.localhost"})
    assert "Sở Tài chính" in page.get_data(as_text=True)
    app.config["TRUST_FORWARDED_HOST"] = True
    try:
        page = app.test_client().get("/", headers={"Host": "stc.localhost", "X-Forwarded-Host": "dongxoai.localhost"})
        assert "UBND thị xã Đồng Xoài" in page.get_data(as_text=True)
    finally:
        app.config["TRUST_FORWARDED_HOST"] = False


def test_new_tenant_serves_at_once_and_inactive_tenant_is_gone(app, client_for):
    """R-01, R-04: a tenant added in the database resolves without a restart; deactivating it hides it."""
    assert client_for("sotest").get("/").status_code == 404
    with app.app_context():
        db.session.add(Tenant(code="sotest", kind="department", name_vi="Sở Thử nghiệm", name_en="Test Department"))
        db.session.commit()
    page = client_for("sotest").get("/")
    assert page.status_code == 200 and "Sở Thử nghiệm" in page.get_data(as_text=True)
    with app.app_context():
        db.session.execute(select(Tenant).where(Tenant.code == "sotest")).scalars().one().active = False
        db.session.commit()
    from app.core.tenancy import invalidate_host_map

    invalidate_host_map()
    assert client_for("sotest").get("/").status_code == 404


def test_static_and_health_work_on_unknown_hosts(app):
    """R-27: probes and static files do not depend on a tenant."""
    assert app.test_client().get("/healthz", headers={"Host": "10.0.0.5:8000"}).status_code == 200
    assert app.test_client().get("/static/css/site.css", headers={"Host": "127.0.0.1"}).status_code == 200
