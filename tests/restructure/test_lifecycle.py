"""Tenant lifecycle: renames and new domains keep old hosts answering 301, merges move content and redirect old
URLs, archives stay readable and refuse every write."""

import pytest
from sqlalchemy import func, select

from app.auth.models import Membership
from app.auth.operations import find_user
from app.core.models import AuditEvent, Tenant
from app.core.tenancy import invalidate_host_map
from app.core.tenant_sync import sync_tenants
from app.extensions import db
from app.news.models import Article
from app.restructure import operations as ops
from app.restructure.operations import RestructureError
from tests.restructure.conftest import get_tenant


def _commit():
    db.session.commit()
    invalidate_host_map()


def test_rename_code_old_host_answers_301_to_same_path(app, client_for, publish):
    publish("stc", title="Thông báo thu ngân sách")
    with app.app_context():
        lines = ops.rename(get_tenant("stc"), code="sotaichinh")
        _commit()
    assert "stc.localhost -> 301 to sotaichinh" in lines
    old = client_for("stc").get("/news/?page=1")
    assert old.status_code == 301
    assert old.headers["Location"] == "http://sotaichinh.localhost/news/?page=1"
    assert client_for("sotaichinh").get("/news/?page=1").status_code == 200


def test_rename_is_idempotent_and_survives_tenants_sync(app):
    with app.app_context():
        ops.rename(get_tenant("stc"), code="sotaichinh", names={"vi": "Sở Tài chính tỉnh Đồng Nai"})
        _commit()
        assert ops.rename(get_tenant("sotaichinh"), code="sotaichinh", names={"vi": "Sở Tài chính tỉnh Đồng Nai"}) == [
            "sotaichinh: already named so (nothing to do)"
        ]
        created, _updated, _unchanged = sync_tenants(app.config["TENANTS_DIR"])
        assert created == 0, "tenants/stc/tenant.yaml made a second stc"
        renamed = db.session.execute(select(Tenant).where(Tenant.code == "sotaichinh")).scalars().one()
        assert renamed.name_vi == "Sở Tài chính tỉnh Đồng Nai"
        assert db.session.execute(select(func.count()).where(Tenant.code == "stc")).scalar() == 0


def test_a_page_shows_the_name_its_unit_had_when_published(app, client_for, publish):
    article_id = publish("stc", title="Quyết toán ngân sách năm 2024", days_ago=30)
    with app.app_context():
        ops.rename(get_tenant("stc"), names={"vi": "Sở Tài chính tỉnh Đồng Nai", "en": "Dong Nai Finance"})
        _commit()
        slug = db.session.get(Article, article_id).slug
        stc = get_tenant("stc")
        assert stc.name_at(None) == "Sở Tài chính tỉnh Đồng Nai"
    html = client_for("stc").get(f"/news/{slug}").get_data(as_text=True)
    assert "Sở Tài chính" in html
    assert "Sở Tài chính tỉnh Đồng Nai" in html  # today's name in the header
    assert "news-publisher" in html
    assert "Đăng bởi Sở Tài chính</span>" in html or "Published by Sở Tài chính</span>" in html
    with app.app_context():
        assert get_tenant("stc").name_at(db.session.get(Article, article_id).published_at) == "Sở Tài chính"


def test_merge_moves_content_users_and_redirects_every_old_url(app, client_for, publish, make_user):
    same = publish("sct", title="Giá xăng dầu tuần này")
    own = publish("sct", title="Hội chợ thương mại biên giới")
    theirs = publish("skhdt", title="Giá xăng dầu tuần này")
    editor = make_user("editor", "sct")
    with app.app_context():
        old_slug = db.session.get(Article, same).slug
        own_slug = db.session.get(Article, own).slug
        sct_audit = db.session.execute(select(func.count()).where(AuditEvent.tenant_id == get_tenant("sct").id))
        sct_audit = sct_audit.scalar()
        lines = ops.merge(get_tenant("sct"), get_tenant("skhdt"))
        _commit()
        sct, skhdt = get_tenant("sct"), get_tenant("skhdt")
        moved = db.session.get(Article, same)
        assert moved.tenant_id == skhdt.id and moved.slug != old_slug
        assert db.session.get(Article, theirs).slug == old_slug  # the target's own item keeps its address
        assert sct.state == "merged" and sct.successor_id == skhdt.id
        user = find_user(editor)
        roles = {
            (m.tenant_id, m.role)
            for m in db.session.execute(select(Membership).where(Membership.user_id == user.id)).scalars()
        }
        assert (skhdt.id, "editor") in roles and all(t != sct.id for t, _ in roles)
        # The merged site's own history stays with it, readable; the merge is recorded on both.
        events = db.session.execute(select(AuditEvent.action).where(AuditEvent.tenant_id == sct.id)).scalars().all()
        assert len(events) == sct_audit + 1 and "tenant.merge" in events
        new_slug = moved.slug
    assert any("redirect" in line for line in lines)
    old_host = client_for("sct")
    renamed = old_host.get(f"/news/{old_slug}")
    assert renamed.status_code == 301 and renamed.headers["Location"] == f"http://skhdt.localhost/news/{new_slug}"
    assert client_for("skhdt").get(f"/news/{new_slug}").status_code == 200
    kept = old_host.get(f"/news/{own_slug}")
    assert kept.status_code == 301 and kept.headers["Location"] == f"http://skhdt.localhost/news/{own_slug}"
    assert client_for("skhdt").get(f"/news/{own_slug}").status_code == 200
    assert old_host.get("/").headers["Location"] == "http://skhdt.localhost/"
    with app.app_context():
        assert ops.merge(get_tenant("sct"), get_tenant("skhdt")) == ["sct: already merged into skhdt (nothing to do)"]


@pytest.mark.parametrize(
    ("source", "target", "message"),
    [("sct", "sct", "into itself"), ("portal", "sct", "portal cannot be merged")],
)
def test_merge_refuses_what_cannot_be(app, source, target, message):
    with app.app_context(), pytest.raises(RestructureError, match=message):
        ops.merge(get_tenant(source), get_tenant(target))


def test_change_domain_moves_every_host_old_ones_answer_301(app, client_for):
    with app.app_context():
        lines = ops.change_domain("localhost", "dongnai.localhost")
        lines += ops.change_domain("binhphuoc.gov.vn", "dongnai.gov.vn")
        _commit()
        portal = get_tenant("portal")
        assert "dongnai.gov.vn" in portal.aliases and "binhphuoc.gov.vn" not in portal.aliases
    assert lines[0] == "base domain localhost -> dongnai.localhost"
    old_portal = client_for("portal").get("/news/?q=x")
    assert old_portal.status_code == 301 and old_portal.headers["Location"] == "http://dongnai.localhost/news/?q=x"
    old_sub = client_for("stc").get("/contacts/")
    assert old_sub.headers["Location"] == "http://stc.dongnai.localhost/contacts/"
    from tests.conftest import HostClient

    assert HostClient(app, "dongnai.localhost").get("/").status_code == 200
    assert HostClient(app, "stc.dongnai.localhost").get("/").status_code == 200
    official = HostClient(app, "stc.binhphuoc.gov.vn").get("/news/")
    assert official.status_code == 301 and official.headers["Location"] == "http://stc.dongnai.localhost/news/"
    with app.app_context():
        assert ops.change_domain("localhost", "dongnai.localhost")[0].startswith("no host under localhost")


def test_a_moved_host_keeps_the_method_of_a_write(app, client_for):
    with app.app_context():
        ops.rename(get_tenant("stc"), code="sotaichinh")
        _commit()
    response = client_for("stc").post("/api/v1/questions", json={})
    assert response.status_code == 308
    assert response.headers["Location"] == "http://sotaichinh.localhost/api/v1/questions"
