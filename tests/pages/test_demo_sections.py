"""R-08 (a)-(n), R-22, R-21: with demo data loaded, every category links to a non-empty page on three sites."""

import re

import pytest

from app.core.navigation import SECTIONS
from app.demo import load_demo

ALL_SECTIONS = True  # every category, whichever module serves it
EMPTY_MARKERS = ("chưa có nội dung", "has no content yet", "empty-section")


@pytest.fixture
def demo(app):
    with app.app_context():
        for _ in load_demo():
            pass


def _links(html):
    return set(re.findall(r'href="(/[^"#?]*)"', html))


def test_every_category_leads_to_content(client_for, demo):
    """R-08: on the portal and two subsites, each category's page answers 200 and, for the sections of this
    module set (a b f g h l m n), is not empty and links on to a page that answers 200."""
    for code in ("portal", "dongxoai", "stc"):
        _check_site(client_for(code), code)

    # Demo content of the sections built here.
    portal = client_for("portal")
    assert "6.877 km²" in portal.get("/pages/gioi-thieu").get_data(as_text=True)
    assert "Dân số trung bình" in portal.get("/statistics/").get_data(as_text=True)
    assert "<svg" in portal.get("/statistics/san-luong-cay-cong-nghiep-lau-nam").get_data(as_text=True)
    assert "Chủ tịch UBND tỉnh" in portal.get("/schedule/").get_data(as_text=True)
    assert "Chủ tịch UBND" in client_for("dongxoai").get("/contacts/leaders").get_data(as_text=True)
    assert "<li>" in client_for("stc").get("/contacts/org-chart").get_data(as_text=True)


def _check_site(c, code):
    home = c.get("/").get_data(as_text=True)
    owned = {"introduction", "direction", "planning", "contacts", "contact", "statistics", "links", "more"}
    for s in SECTIONS:
        assert f'href="{s.path}"' in home, s.key
        page = c.get(s.path)
        assert page.status_code == 200, (code, s.path)
        if s.key in owned or ALL_SECTIONS:
            body = page.get_data(as_text=True).split("<main", 1)[1].split("</main>", 1)[0]
            assert not any(m in body for m in EMPTY_MARKERS), (code, s.path)
            # The section page links on to real content (one link at least that is itself 200).
            targets = [p for p in _links(body) if p != s.path]
            if s.key == "links":
                assert 'href="http://' in body or 'href="https://' in body, (code, s.path)
            elif s.key != "contact":
                assert targets, (code, s.path)
                assert c.get(sorted(targets)[0]).status_code == 200
