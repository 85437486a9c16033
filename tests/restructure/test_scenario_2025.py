"""Done when (issue 17): on the demo data, ``flask demo restructure-2025`` runs in under a minute; every URL the
sitemaps of every site listed (and that answered 200) answers 200 afterwards, or 301 to a page that answers 200;
the archived sites refuse every write; the back office and the reports show the new structure."""

import re
import time
from urllib.parse import urlsplit

from sqlalchemy import select

from app.core.models import Tenant
from app.core.tenancy import primary_host
from app.demo import DEMO_PASSWORD, PROVINCE_ADMIN, demo_email, load_demo
from app.extensions import db
from app.reports.operations import all_sites
from tests.conftest import HostClient

LOC = re.compile(r"<loc>([^<]+)</loc>")
MAX_HOPS = 3


def _get(app, url):
    parts = urlsplit(url)
    client = HostClient(app, parts.hostname)
    return client.get(parts.path + (f"?{parts.query}" if parts.query else ""))


def _crawl(app):
    """Every URL of every site's sitemap (and the sitemaps themselves), with the status each answered."""
    with app.app_context():
        hosts = [primary_host(t) for t in db.session.execute(select(Tenant)).scalars()]
    urls = []
    for host in hosts:
        sitemap = f"http://{host}/sitemap.xml"
        response = _get(app, sitemap)
        assert response.status_code == 200, sitemap
        urls.append(sitemap)
        urls.extend(LOC.findall(response.get_data(as_text=True)))
    return {url: _get(app, url).status_code for url in dict.fromkeys(urls)}


def _follow(app, url):
    """The final status of ``url`` and the chain of statuses (301s only are followed)."""
    chain = []
    for _hop in range(MAX_HOPS + 1):
        response = _get(app, url)
        chain.append(response.status_code)
        if response.status_code != 301:
            return response.status_code, chain
        location = response.headers["Location"]
        url = location if "://" in location else f"{urlsplit(url).scheme}://{urlsplit(url).netloc}{location}"
    return None, chain


def test_restructure_2025_keeps_every_url_answering(app, runner):
    with app.app_context():
        list(load_demo())
    before = _crawl(app)
    answered = [url for url, status in before.items() if status == 200]
    assert len(answered) > 500, "the demo data lists too few pages to prove anything"

    started = time.perf_counter()
    result = runner.invoke(args=["demo", "restructure-2025"])
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    assert elapsed < 60, f"demo restructure-2025 took {elapsed:.0f} s"
    assert "communes: 40 created" in result.output

    broken = {}
    for url in answered:
        status, chain = _follow(app, url)
        if status != 200 or any(s not in (200, 301) for s in chain):
            broken[url] = chain
    assert not broken, f"{len(broken)} URLs broke: {dict(list(broken.items())[:10])}"

    with app.app_context():
        sites = db.session.execute(select(Tenant)).scalars().all()
        archived = [t for t in sites if t.state == "archived"]
        communes = [t for t in sites if t.kind == "commune"]
        assert len(archived) == 11 and {t.kind for t in archived} == {"district"}
        assert len(communes) == 40 and all(t.state == "active" for t in communes)
        portal = next(t for t in sites if t.kind == "portal")
        assert portal.base_domain == "dongnai.localhost" and portal.name_vi.endswith("Đồng Nai")
        assert {t.code for t in communes} <= {t.code for t in all_sites()}
        archive_host, commune_host = primary_host(archived[0]), primary_host(communes[0])
        new_portal = primary_host(portal)

    # An archive refuses writes; its old host first moves (301/308) to its new host, which refuses with 409.
    assert HostClient(app, archive_host).post("/questions/ask", data={"title": "x"}).status_code == 409
    api = HostClient(app, archive_host).post("/api/v1/questions", json={"title": "x"})
    assert api.status_code == 409 and api.get_json()["error"]["code"] == "tenant_archived"
    assert HostClient(app, commune_host).get("/").status_code == 200

    # The province's oversight dashboard and reports list the new structure.
    admin = HostClient(app, new_portal)
    assert admin.login(PROVINCE_ADMIN, DEMO_PASSWORD).status_code in (302, 303)
    dashboard = admin.get("/admin/").get_data(as_text=True)
    assert communes[0].name_vi in dashboard or communes[0].code in dashboard
    report = admin.get("/admin/reports/").get_data(as_text=True)
    assert communes[0].name_vi in report and ("Archive" in report or "Lưu trữ" in report)
    commune_admin = HostClient(app, commune_host)
    assert commune_admin.login(demo_email("tenant_admin", communes[0].code), DEMO_PASSWORD).status_code in (302, 303)
