"""No page runs inline script the Content-Security-Policy would block (R-25), and no page speaks the other
language (issue 16, "Language"): every public and back-office page.

With the demo data loaded, a crawler follows every link of the portal and of a subsite, anonymously and as staff
(the province admin on the portal, the tenant admin and the head of a subsite), one page per kind of address
(ids folded, sorting and paging ignored), and parses each HTML page for inline ``<script>``/``<style>`` without the
request's nonce, ``on*`` handler attributes, ``style`` attributes and ``javascript:`` URLs, and for words of the
interface in the wrong language (:mod:`tests.core.page_language`): on a Vietnamese page an English string of the
catalogue, a label Flask-Admin made of a column's name ("Created At") or a stored choice shown as it is
("district"); on an English page a Vietnamese string of the catalogue.
"""

import re
from collections import deque
from urllib.parse import parse_qsl, urljoin, urlsplit

import lxml.html

from app.demo import load_demo
from tests.conftest import host_for
from tests.core.page_language import wrong_language
from tests.core.test_security_headers import _directives, assert_security_headers

MAX_PAGES = 400
SKIP = ("/logout", "/static/", "/media/", "/tenant-static/", "/admin/static/", "/theme.css")
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template"}


def _kind(path, query):
    """One address per kind of page: digits folded; of the query only ``id`` counts (Flask-Admin's edit and
    details pages); sorting, paging and filters render the same template."""
    keys = sorted({k for k, _ in parse_qsl(query)} & {"id"})
    return re.sub(r"\d+", "N", path) + ("?" + "&".join(keys) if keys else "")


def _problems(url, response):
    nonces = [s[len("'nonce-") : -1] for s in _directives(response)["script-src"] if s.startswith("'nonce-")]
    nonce = nonces[0] if nonces else None
    doc = lxml.html.document_fromstring(response.get_data())
    found = []
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        inline_script = el.tag == "script" and not el.get("src")
        if inline_script and (el.get("type") or "").lower() not in DATA_SCRIPT_TYPES and el.get("nonce") != nonce:
            found.append(f"{url}: inline <script> without this request's nonce: {(el.text or '')[:60]!r}")
        if el.tag == "style" and el.get("nonce") != nonce:
            found.append(f"{url}: inline <style> without this request's nonce")
        for name, value in el.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"{url}: <{el.tag} {name}={value[:40]!r}>")
            elif name.lower() == "style":
                found.append(f"{url}: <{el.tag} style={value[:40]!r}> (style-src has no 'unsafe-inline')")
            elif name.lower() in ("href", "src", "action", "formaction"):
                scheme = value.strip().lower()
                if scheme.startswith("javascript:") and scheme != "javascript:void(0)":
                    found.append(f"{url}: <{el.tag} {name}={value[:40]!r}>")
    return found, doc


def crawl(client, host, start):
    """Visit every kind of page reachable from ``start`` on ``host``; return ``(pages seen, problems)``."""
    queue, seen, problems, pages = deque([start]), {_kind(*urlsplit(start)[2:4])}, [], 0
    while queue and pages < MAX_PAGES:
        url = queue.popleft()
        response = client.get(url)
        body = response.get_data()  # read streamed exports inside their request
        pages += 1
        assert_security_headers(response)
        assert response.status_code < 500, f"{url} answered {response.status_code}"
        if response.mimetype != "text/html" or not body:
            continue
        found, doc = _problems(url, response)
        problems += found + wrong_language(url, doc)
        for href in doc.xpath("//a/@href"):
            parts = urlsplit(urljoin(f"http://{host}{url}", href))
            if parts.scheme not in ("http", "https") or parts.hostname != host.split(":")[0]:
                continue
            if parts.path.startswith(SKIP):
                continue
            kind = _kind(parts.path, parts.query)
            if kind not in seen:
                seen.add(kind)
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return pages, problems


def test_no_page_has_inline_script_or_handlers(app, client_for, make_user):
    """R-25: every public and back-office page (demo data, four visitors) passes the policy without inline script."""
    with app.test_request_context(base_url="http://localhost"):
        list(load_demo())
    visitors = [("portal", None, "/"), ("stc", None, "/"), ("portal", "province_admin", "/admin/"),
                ("stc", "tenant_admin", "/admin/"), ("stc", "head", "/admin/"),
                ("portal", None, "/?lang=en"), ("stc", None, "/?lang=en")]  # fmt: skip
    problems, visited = [], {}
    for code, role, start in visitors:
        client = client_for(code)
        if role:
            client.login(make_user(role, code))
        pages, found = crawl(client, host_for(code), start)
        visited[(code, role)] = pages
        problems += found
    # Enough pages seen, and every kind of page reached (the crawl ended before its cap).
    assert all(15 <= pages < MAX_PAGES for pages in visited.values()), visited
    assert problems == [], "\n".join(sorted(set(problems))[:50])
