"""Citizens on a phone (issue 16): at 375 px no public page scrolls sideways, in Vietnamese and English.

With the demo data loaded, a crawl of the portal and a subsite (anonymous, test client) keeps one address per kind
of public page; Chromium opens each at 375x740 in both languages and measures the document's width. The same walk
checks the header (a compact menu in ``<details>``, a link to online public services) and the targets of the
ask form's checkboxes.
"""

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from playwright.sync_api import expect

from app.demo import load_demo
from tests.conftest import host_for

PHONE = {"width": 375, "height": 740}
SKIP = ("/admin", "/logout", "/static/", "/media/", "/tenant-static/", "/theme.css", "/api/", "/feeds/")
MAX_KINDS = 150


def _kind(path):
    return re.sub(r"\d+", "N", path)


def public_pages(client, host):
    """One address per kind of public HTML page reachable from ``/`` on ``host`` (query strings dropped)."""
    queue, seen, pages = deque(["/"]), {"/"}, []
    while queue and len(pages) < MAX_KINDS:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        pages.append(path)
        doc = lxml.html.document_fromstring(response.get_data())
        for href in doc.xpath("//a/@href"):
            parts = urlsplit(urljoin(f"http://{host}{path}", href))
            if parts.scheme not in ("http", "https") or parts.hostname != host:
                continue
            if parts.path.startswith(SKIP) or re.search(r"\.(ics|csv|xlsx|pdf|xml|atom|json|docx?)$", parts.path):
                continue
            kind = _kind(parts.path)
            if kind not in seen:
                seen.add(kind)
                queue.append(parts.path)
    return pages


@pytest.fixture
def demo(app):
    with app.test_request_context(base_url="http://localhost"):
        list(load_demo())


@pytest.fixture
def phone(browser):
    # Not is_mobile: mobile emulation zooms out to fit a wide page, which hides the overflow this test looks for.
    # bypass_csp: axe-core goes in as an inline script (see tests/e2e/conftest.py).
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, has_touch=True, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


WIDTH = """() => {
  const doc = document.documentElement;
  const wide = [...document.querySelectorAll('body *')].filter(el => el.getBoundingClientRect().right > innerWidth + 1)
    .filter(el => !el.closest('.scroll-box, .visually-hidden, .hp-field, .skip-link'))
    .slice(0, 3).map(el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '')
      + ' ' + Math.round(el.getBoundingClientRect().right));
  return {scroll: doc.scrollWidth, inner: innerWidth, wide};
}"""


def test_no_public_page_scrolls_sideways_on_a_phone(app, demo, client_for, live_server, phone):
    """Issue 16: every kind of public page of the portal and a subsite fits 375 px (scrollWidth <= innerWidth)."""
    overflowing, visited = [], 0
    for code in ("portal", "stc"):
        for path in public_pages(client_for(code), host_for(code)):
            for lang in ("vi", "en"):
                phone.goto(live_server.url(code, f"{path}?lang={lang}"))
                width = phone.evaluate(WIDTH)
                visited += 1
                if width["scroll"] > PHONE["width"] or width["inner"] != PHONE["width"]:
                    overflowing.append(f"{code} {path} {lang}: {width['scroll']} px; {width['wide']}")
    assert visited > 60, visited
    assert overflowing == [], "\n".join(overflowing)


@pytest.fixture
def no_js_phone(browser):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10000)
    yield page
    context.close()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_header_is_compact_with_a_menu_that_opens_without_script(live_server, no_js_phone, lang):
    """A quarter of the phone's screen at most: the name, online public services and the language; the sections and
    the search in a <details> menu that opens without JavaScript."""
    page = no_js_phone
    page.goto(live_server.url("portal", f"/?lang={lang}"))
    header = page.locator("header.site-header").bounding_box()
    assert header["height"] <= PHONE["height"] * 0.25, header
    services = page.locator("header .services-link")
    expect(services).to_be_visible()
    assert services.get_attribute("href").startswith("https://dichvucong.")
    nav = page.locator(".site-menu .main-nav")
    expect(nav).to_be_hidden()
    page.locator(".site-menu > summary").click()
    expect(nav).to_be_visible()
    expect(page.locator(".site-menu #q")).to_be_visible()
    assert nav.locator("a").count() >= 14


def test_the_menu_is_open_on_a_wide_screen(live_server, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url("stc", "/"))
    expect(page.locator(".site-menu .main-nav")).to_be_visible()
    expect(page.locator(".site-menu > summary")).to_be_hidden()
    context.close()


def test_checkboxes_are_24px_targets_and_chart_labels_readable(app, demo, live_server, phone):
    phone.goto(live_server.url("portal", "/questions/ask"))
    for box in ("#publish_allowed", "#consent"):
        size = phone.locator(box).bounding_box()
        assert size["width"] >= 24 and size["height"] >= 24, (box, size)
    phone.goto(live_server.url("portal", "/statistics/dan-so-trung-binh-theo-huyen"))
    heights = phone.eval_on_selector_all(
        "svg.chart text.axis", "texts => texts.map(t => t.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 10, heights
    # The chart and the table scroll in their own boxes, which say so.
    expect(phone.locator(".scroll-hint").first).to_be_visible()


TABLE_PAGES = [
    ("portal", "/documents/"),
    ("portal", "/procedures/"),
    ("portal", "/projects/"),
    ("portal", "/contacts/"),
    ("stc", "/schedule/"),
    ("portal", "/statistics/calendar"),
    ("portal", "/statistics/dan-so-trung-binh-theo-huyen"),
]


def test_tables_with_data_stay_valid_and_accessible_on_a_phone(app, demo, client_for, live_server, phone, tmp_path):
    """The stacked rows and scroll boxes, filled with the demo data, pass the Nu checker and axe-core at 375 px."""
    import json
    import subprocess

    from tests.e2e.test_standards import AXE, VNU

    files = []
    for i, (code, path) in enumerate(TABLE_PAGES):
        for lang in ("vi", "en"):
            html = client_for(code).get(f"{path}?lang={lang}").get_data()
            assert b"data-label=" in html or b"scroll-box" in html, path
            target = tmp_path / f"{i:02d}-{lang}.html"
            target.write_bytes(html)
            files.append(str(target))
    result = subprocess.run(
        ["java", "-jar", VNU, "--format", "json", "--exit-zero-always", *files], capture_output=True, text=True
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [f"{m['url'].rsplit('/', 1)[-1]}: {m['message']}" for m in messages if m["type"] == "error"]
    assert errors == [], "\n".join(errors[:20])
    violations = []
    for code, path in TABLE_PAGES:
        phone.goto(live_server.url(code, path))
        phone.add_script_tag(path=AXE)
        found = phone.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        )
        violations += [f"{path}: {v['id']} {[n['target'] for n in v['nodes']][:3]}" for v in found["violations"]]
    assert violations == [], "\n".join(violations)
