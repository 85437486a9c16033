"""An archived site: every page stays online read-only, marked as an archive; every write (public forms, the API,
the back office) is refused with 409 and a clear message."""

import pytest
from werkzeug.routing import BuildError

from app.auth.operations import find_user, issue_token
from app.core.tenancy import invalidate_host_map
from app.extensions import db
from app.restructure import operations as ops
from app.restructure.guard import READ_METHODS, is_open
from tests.conftest import PASSWORD
from tests.restructure.conftest import get_tenant

CODE = "dongxoai"


@pytest.fixture
def archived(app, publish):
    publish(CODE, title="Lịch tiếp công dân tháng 6")
    with app.app_context():
        ops.retire(get_tenant(CODE), successor=get_tenant("stc"))
        db.session.commit()
        invalidate_host_map()


def _placeholder(converter):
    """A value each converter accepts: the first choice of ``any(...)``, 1 for numbers, "x" otherwise."""
    if getattr(converter, "items", None):
        return sorted(converter.items)[0]
    name = type(converter).__name__.lower()
    return 1 if "int" in name or "number" in name else "x"


def _write_routes(app):
    """``(method, path)`` of every route that takes a write, built with placeholder arguments."""
    adapter = app.url_map.bind(f"{CODE}.localhost")
    found = []
    for rule in app.url_map.iter_rules():
        methods = sorted((rule.methods or set()) - READ_METHODS)
        if not methods or is_open(rule.endpoint):
            continue
        values = {name: _placeholder(rule._converters.get(name)) for name in rule.arguments}
        try:
            path = adapter.build(rule.endpoint, values, force_external=False)
        except (BuildError, ValueError):
            continue
        found.extend((method, path) for method in methods)
    return found


def test_every_write_route_is_refused(app, client_for, archived, make_user):
    """Generated over the URL map: forms, the API and the back office, anonymous or logged in."""
    routes = _write_routes(app)
    assert (
        len(routes) > 30
        and any(p.startswith("/api/") for _m, p in routes)
        and any(p.startswith("/admin") for _m, p in routes)
    )
    email = make_user("tenant_admin", CODE)
    staff = client_for(CODE)
    assert staff.login(email, PASSWORD).status_code in (302, 303)
    for client in (client_for(CODE), staff):
        for method, path in routes:
            response = client.open(path, method, data={"title": "x"})
            assert response.status_code == 409, f"{method} {path} answered {response.status_code}"
            if path.startswith("/api/"):
                assert response.get_json()["error"]["code"] == "tenant_archived"
            else:
                assert "This site is an archive" in response.get_data(as_text=True) or "lưu trữ" in response.get_data(
                    as_text=True
                )


def test_the_api_refuses_a_staff_token_too(app, client_for, archived, make_user):
    email = make_user("head", CODE)
    with app.app_context():
        token = issue_token(find_user(email))
        db.session.commit()
    response = client_for(CODE).post(
        "/api/v1/articles", json={"title": "Tin mới"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 409
    body = response.get_json()
    assert body["error"]["code"] == "tenant_archived" and "archive" in body["error"]["message"]


def test_pages_stay_online_marked_as_an_archive_with_the_successor(client_for, archived):
    home = client_for(CODE).get("/")
    assert home.status_code == 200
    html = home.get_data(as_text=True)
    assert "archive-banner" in html and "http://stc.localhost/" in html
    assert client_for(CODE).get("/news/").status_code == 200


def test_public_forms_are_closed_with_a_notice(client_for, archived):
    html = client_for(CODE).get("/questions/ask").get_data(as_text=True)
    assert "form-closed" in html
    assert 'method="post"' not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_staff_can_still_sign_in_to_read_the_archive(client_for, archived, make_user):
    email = make_user("editor", CODE)
    client = client_for(CODE)
    assert client.login(email, PASSWORD).status_code in (302, 303)
    assert client.get("/admin/").status_code == 200


def test_an_active_site_is_not_affected(client_for, archived):
    html = client_for("stc").get("/questions/ask").get_data(as_text=True)
    assert "form-closed" not in html and "archive-banner" not in html
