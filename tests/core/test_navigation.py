"""Every site shows its own name, the R-08 sections and the footer with contact and attribution."""

import pytest

from app.core.navigation import SECTIONS


@pytest.mark.parametrize("code", ["portal", "stc", "dongxoai", "ctk"])
def test_navigation_lists_every_mandatory_section(client_for, code):
    """R-08: the navigation links every category (a)-(n) on every site."""
    html = client_for(code).get("/").get_data(as_text=True)
    assert [s.letter for s in SECTIONS] == list("abcdefghijklmn")
    for s in SECTIONS:
        assert f'href="{s.path}"' in html, s.key


@pytest.mark.parametrize("code", ["portal", "dongxoai"])
@pytest.mark.parametrize("path", [s.path for s in SECTIONS])
def test_every_section_is_a_real_page(client_for, code, path):
    """R-08: every section answers 200 with a heading on the tenant's own site (never a 404)."""
    page = client_for(code).get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<h1" in html and "</h1>" in html
    assert ("Cổng thông tin điện tử tỉnh Bình Phước" if code == "portal" else "UBND thị xã Đồng Xoài") in html


@pytest.mark.parametrize("path", ["/pages/gioi-thieu", "/planning/", "/pages/", "/contacts/", "/statistics/"])
def test_a_section_with_nothing_published_says_it_has_no_content(client_for, path):
    """R-08: a section without content yet is a real page with its title, description and a notice."""
    html = client_for("stc").get(path).get_data(as_text=True)
    assert '<p class="lead">' in html and 'class="empty-section"' in html and "chưa có nội dung" in html


def test_footer_has_contact_details_and_attribution(client_for):
    """R-02, R-11: the footer carries the tenant's contact details and the reuse attribution."""
    html = client_for("stc").get("/").get_data(as_text=True)
    assert "0271 3874 506" in html and "stc@binhphuoc.gov.vn" in html
    assert "Theo Sở Tài chính" in html
    portal = client_for("portal").get("/").get_data(as_text=True)
    assert "Theo Cổng TTĐT tỉnh Bình Phước" in portal


def test_contact_page_shows_the_sites_own_details(client_for):
    """R-08 h: the site's own contact details."""
    html = client_for("dongxoai").get("/contact").get_data(as_text=True)
    assert "UBND thị xã Đồng Xoài" in html and "dongxoai@binhphuoc.gov.vn" in html


def test_portal_links_every_subsite(client_for):
    """R-03, R-08 m: the portal's directory links every subsite on its own host."""
    html = client_for("portal").get("/links/").get_data(as_text=True)
    assert 'href="http://stc.localhost/"' in html
    assert 'href="http://phurieng.localhost/"' in html
    assert html.count('<li><a href="http://') == 32


def test_robots_txt(client_for):
    """R-33: robots.txt points to the tenant's own sitemap."""
    body = client_for("stc").get("/robots.txt").get_data(as_text=True)
    assert "Sitemap: http://stc.localhost/sitemap.xml" in body


def test_tenant_template_override_is_per_tenant(app, client_for, tmp_path):
    """Theming: a template in tenants/<code>/templates overrides for that tenant only."""
    import shutil

    tenants_dir = app.config["TENANTS_DIR"]
    folder = f"{tenants_dir}/budop/templates/public"
    try:
        import os

        os.makedirs(folder, exist_ok=True)
        with open(f"{folder}/contact.html", "w", encoding="utf-8") as fh:
            fh.write('{% extends "base.html" %}{% block content %}<p>Bù Đốp override</p>{% endblock %}')
        assert "Bù Đốp override" in client_for("budop").get("/contact").get_data(as_text=True)
        assert "Bù Đốp override" not in client_for("locninh").get("/contact").get_data(as_text=True)
        assert "Bù Đốp override" in client_for("budop").get("/contact").get_data(as_text=True)
    finally:
        shutil.rmtree(f"{tenants_dir}/budop/templates", ignore_errors=True)
