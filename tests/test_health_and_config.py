"""Health checks, error format and configuration (R-27, R-25)."""

import pytest

from app import create_app


def test_healthz_and_readyz(client_for):
    """R-27: /healthz answers while the process lives; /readyz checks the database."""
    assert client_for("stc").get("/healthz").json == {"status": "ok"}
    ready = client_for("portal").get("/readyz")
    assert ready.status_code == 200 and ready.json["database"] == "ok"


def test_readyz_reports_an_unreachable_database(tmp_path):
    """R-27: /readyz answers 503 when the database cannot be reached."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": "postgresql://nobody@127.0.0.1:1/none"})
    response = app.test_client().get("/readyz", headers={"Host": "localhost"})
    assert response.status_code == 503 and response.json["database"] == "unreachable"


def test_production_refuses_default_secret(monkeypatch):
    """R-25: production does not start without a real SECRET_KEY."""
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")
    monkeypatch.setenv("SECRET_KEY", "dev-insecure-secret-key")
    with pytest.raises(RuntimeError):
        create_app("production")
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret-value")
    assert create_app("production").config["SESSION_COOKIE_SECURE"] is True


def test_api_errors_are_json(client_for):
    """Contract: every error under /api/ is the JSON error, never HTML."""
    c = client_for("stc")
    missing = c.get("/api/v1/no-such-thing")
    assert missing.status_code == 404 and missing.json["error"]["code"] == "not_found"
    bad_page = c.get("/api/v1/tenants?per_page=500")
    assert bad_page.status_code == 400 and "per_page" in bad_page.json["error"]["message"]
    not_number = c.get("/api/v1/tenants?page=x")
    assert not_number.status_code == 400 and not_number.is_json


def test_api_tenants_directory(client_for):
    """R-03: the portal's API lists every subsite with its absolute URL."""
    body = client_for("portal").get("/api/v1/tenants").json
    assert body["total"] == 32 and body["page"] == 1 and body["per_page"] == 100
    stc = next(t for t in body["items"] if t["code"] == "stc")
    assert stc["url"] == "http://stc.localhost/" and stc["name_vi"] == "Sở Tài chính"
    assert client_for("stc").get("/api/v1/tenants").json["total"] == 1


def test_openapi_lists_the_endpoints(client_for):
    """Contract: /api/v1/openapi.json describes the API."""
    doc = client_for("stc").get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.") and "/tenant" in doc["paths"] and "/tenants" in doc["paths"]
