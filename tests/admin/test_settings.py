"""Site settings and review chains in the back office (R-02, R-09, R-12, R-33)."""

import io
import re

import pytest
from sqlalchemy import select

from app.admin.operations import AdminError, contrast_ratio, validate_chain
from app.core.models import AuditEvent, Tenant
from app.extensions import db
from app.workflow.operations import chain_for, deadline_days

SETTINGS = {
    "name_vi": "Sở Tài chính tỉnh Bình Phước",
    "name_en": "Binh Phuoc Department of Finance",
    "address": "Số 727 Quốc lộ 14, phường Tân Bình, thành phố Đồng Xoài",
    "phone": "0271 3879 123",
    "fax": "0271 3879 124",
    "email": "stc@binhphuoc.gov.vn",
    "primary": "#1b5e20",
    "accent": "#8b0000",
    "attribution_vi": "Theo Sở Tài chính Bình Phước",
    "attribution_en": "Source: Binh Phuoc Department of Finance",
}


def _png():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (27, 94, 32)).save(buffer, "PNG")
    buffer.seek(0)
    return buffer


def _stc(app):
    with app.app_context():
        t = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalars().one()
        return {
            "name_vi": t.name_vi,
            "theme": dict(t.theme or {}),
            "chains": t.review_chains,
            "days": t.review_deadlines,
        }


def test_contrast_rule():
    """R-33: header colours need 4.5:1 against white."""
    assert round(contrast_ratio("#000000"), 1) == 21.0
    assert contrast_ratio("#0b4f8a") >= 4.5
    assert contrast_ratio("#ffff00") < 4.5


def test_settings_saved_and_audited(app, logged_in, client_for):
    """R-02: the tenant admin edits names, contact, colours and the logo; the site shows them; audited."""
    admin = logged_in("tenant_admin", "stc")
    token = admin.csrf_token("/admin/settings/")
    data = {**SETTINGS, "csrf_token": token, "logo": (_png(), "logo.png")}
    response = admin.post("/admin/settings/", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    saved = _stc(app)
    assert saved["name_vi"] == SETTINGS["name_vi"] and saved["theme"]["primary"] == "#1b5e20"
    assert saved["theme"]["logo_url"].startswith("/media/")
    visitor = client_for("stc")
    home = visitor.get("/").get_data(as_text=True)
    assert saved["theme"]["logo_url"] in home and "Theo Sở Tài chính Bình Phước" in home
    # The colours are in the site's stylesheet /theme.css (the Content-Security-Policy allows no inline style).
    theme_css = re.search(r'href="(/theme\.css[^"]*)"', home).group(1).replace("&amp;", "&")
    assert "--primary:#1b5e20" in visitor.get(theme_css).get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(AuditEvent).where(AuditEvent.action == "settings.update")).scalars().all()


@pytest.mark.parametrize("colour", ["#ffff00", "yellow", "#12345", "#e0e0e0"])
def test_pale_or_malformed_colour_is_refused(app, logged_in, colour):
    """R-33: a colour that is not #rrggbb or too light against white is refused with a message."""
    before = _stc(app)
    admin = logged_in("tenant_admin", "stc")
    data = {**SETTINGS, "primary": colour, "csrf_token": admin.csrf_token("/admin/settings/")}
    response = admin.post("/admin/settings/", data=data)
    assert response.status_code == 422
    assert _stc(app) == before


def test_settings_are_for_the_tenant_admin(logged_in):
    """R-04: an editor does not change the site settings."""
    assert logged_in("editor", "stc").get("/admin/settings/").status_code == 403
    assert logged_in("tenant_admin", "dongxoai", host="stc").get("/admin/settings/").status_code == 403


def test_chain_validation():
    """R-09: chains are non-empty, known roles, ranks non-decreasing."""
    assert validate_chain(["editor", "head", ""]) == ["editor", "head"]
    for bad in ([], ["", ""], ["head", "editor"], ["editor", "tenant_admin"], ["boss"]):
        with pytest.raises(AdminError):
            validate_chain(bad)


def _chain_form(c, path, chains, days):
    data = {"csrf_token": c.csrf_token(path)}
    for name, roles in chains.items():
        for i, role in enumerate(roles):
            data[f"{name}-step-{i}"] = role
    for name, value in days.items():
        data[f"{name}-days"] = str(value)
    return c.post(path, data=data)


def test_review_chains_saved_and_used(app, logged_in):
    """R-09, R-12: the tenant admin sets chains and deadlines; the engine uses them."""
    admin = logged_in("tenant_admin", "stc")
    page = admin.get("/admin/review-chains/").get_data(as_text=True)
    assert 'data-content-type="default"' in page and 'data-content-type="article"' in page
    response = _chain_form(
        admin,
        "/admin/review-chains/",
        {"default": ["head"], "article": ["editor", "deputy_head", "head"]},
        {"default": 3, "article": 4},
    )
    assert response.status_code == 302
    with app.app_context():
        stc = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalars().one()
        assert chain_for(stc, "article") == ["editor", "deputy_head", "head"]
        assert deadline_days(stc, "article") == 4
        assert stc.review_deadlines["default"] == 3


def test_bad_review_chain_is_refused(app, logged_in):
    """R-09: a decreasing chain is refused with a message next to it, nothing saved."""
    before = _stc(app)
    admin = logged_in("tenant_admin", "stc")
    response = _chain_form(admin, "/admin/review-chains/", {"default": ["head", "editor"]}, {"default": 2})
    assert response.status_code == 422 and 'id="default-error"' in response.get_data(as_text=True)
    response = _chain_form(admin, "/admin/review-chains/", {"default": ["head"]}, {"default": 0})
    assert response.status_code == 422
    assert _stc(app) == before


def test_province_admin_edits_any_tenant_chain(app, logged_in):
    """R-04, R-09: the province admin edits a subsite's chains from the portal."""
    admin = logged_in("province_admin", "portal")
    response = _chain_form(admin, "/admin/review-chains/?tenant=stc", {"default": ["secretary", "head"]}, {})
    assert response.status_code == 302
    assert _stc(app)["chains"]["default"] == ["secretary", "head"]
    assert logged_in("editor", "stc").get("/admin/review-chains/").status_code == 403
