"""The redirects manager: old path -> new path per site, CSV in and out, never to another site."""

import io

import pytest

from app.core.models import Redirect
from app.extensions import db
from app.restructure.redirects import RedirectError, clean_path, save_redirect
from tests.conftest import PASSWORD
from tests.restructure.conftest import get_tenant


@pytest.mark.parametrize(
    "target", ["http://evil.example/", "//evil.example/x", "/\\evil.example", "news", "javascript:alert(1)", "/a\nb"]
)
def test_a_redirect_never_leaves_its_site(target):
    with pytest.raises(RedirectError):
        clean_path(target)


def test_a_moved_page_answers_301_on_its_site_only(app, client_for):
    with app.app_context():
        save_redirect(get_tenant("stc"), "/tin-cu", "/news/")
        db.session.commit()
    response = client_for("stc").get("/tin-cu?page=2")
    assert response.status_code == 301 and response.headers["Location"] == "/news/?page=2"
    assert client_for("sct").get("/tin-cu").status_code == 404  # another site's redirects are not its own


def test_an_existing_page_is_never_redirected(app, client_for):
    with app.app_context():
        save_redirect(get_tenant("stc"), "/news/", "/contacts/")
        db.session.commit()
    assert client_for("stc").get("/news/").status_code == 200


@pytest.fixture
def admin_client(client_for, make_user):
    email = make_user("tenant_admin", "stc")
    client = client_for("stc")
    client.login(email, PASSWORD)
    return client


def test_import_and_export_csv_in_the_back_office(app, admin_client, make_user):
    token = admin_client.csrf_token("/admin/redirects/")
    csv_text = "old_path,new_path\n/gioi-thieu,/pages/gioi-thieu\n/lien-he,/contacts/\n"
    response = admin_client.post(
        "/admin/redirects/import",
        data={"csrf_token": token, "file": (io.BytesIO(csv_text.encode()), "redirects.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    exported = admin_client.get("/admin/redirects/export.csv").get_data(as_text=True)
    assert "/gioi-thieu,/pages/gioi-thieu,import" in exported and "/lien-he,/contacts/,import" in exported
    with app.app_context():
        assert {r.tenant_id for r in db.session.query(Redirect)} == {get_tenant("stc").id}


def test_a_bad_line_imports_nothing(app, admin_client):
    token = admin_client.csrf_token("/admin/redirects/")
    csv_text = "old_path,new_path\n/a,/b\n/c,https://evil.example/\n"
    admin_client.post(
        "/admin/redirects/import",
        data={"csrf_token": token, "file": (io.BytesIO(csv_text.encode()), "r.csv")},
        content_type="multipart/form-data",
    )
    with app.app_context():
        assert db.session.query(Redirect).count() == 0


def test_the_list_shows_only_the_sites_own(app, admin_client):
    with app.app_context():
        save_redirect(get_tenant("stc"), "/cua-stc", "/news/")
        save_redirect(get_tenant("sct"), "/cua-sct", "/news/")
        db.session.commit()
    html = admin_client.get("/admin/redirects/").get_data(as_text=True)
    assert "/cua-stc" in html and "/cua-sct" not in html


def test_create_in_the_back_office_refuses_another_host(app, admin_client):
    token = admin_client.csrf_token("/admin/redirects/new/")
    refused = admin_client.post(
        "/admin/redirects/new/", data={"csrf_token": token, "old_path": "/x", "new_path": "//evil.example/"}
    )
    html = refused.get_data(as_text=True)
    assert refused.status_code == 200 and ("no host, no scheme" in html or "không có tên miền" in html)
    admin_client.post("/admin/redirects/new/", data={"csrf_token": token, "old_path": "/y", "new_path": "/news/"})
    with app.app_context():
        assert [(r.old_path, r.new_path) for r in db.session.query(Redirect)] == [("/y", "/news/")]
