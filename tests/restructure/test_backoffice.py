"""The reorganisation in the back office (province admin): a preview first, the change on confirmation; reports
follow the new structure."""

from sqlalchemy import select

from app.core.models import AuditEvent
from app.demo import PROVINCE_ADMIN
from app.extensions import db
from app.reports.operations import all_sites
from app.restructure import operations as ops
from tests.conftest import PASSWORD
from tests.restructure.conftest import get_tenant


def _admin(client, make_user):
    make_user("province_admin", "portal", email=PROVINCE_ADMIN)
    client.login(PROVINCE_ADMIN, PASSWORD)
    return client


def test_retire_is_previewed_then_applied(app, client, make_user):
    admin = _admin(client, make_user)
    token = admin.csrf_token("/admin/restructure/")
    form = {"csrf_token": token, "operation": "retire", "tenant": "dongxoai", "target": "stc"}
    preview = admin.post("/admin/restructure/", data=form)
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    assert (
        "retire dongxoai into an archive (successor stc)" in html and 'name="confirm" type="hidden" value="yes"' in html
    )
    with app.app_context():
        assert get_tenant("dongxoai").state == "active"  # the preview changed nothing
    applied = admin.post("/admin/restructure/", data={**form, "confirm": "yes"})
    assert applied.status_code == 200
    with app.app_context():
        dongxoai = get_tenant("dongxoai")
        assert dongxoai.state == "archived" and dongxoai.successor_id == get_tenant("stc").id
        event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "tenant.retire")).scalars().one()
        assert event.actor == PROVINCE_ADMIN
    assert 'data-tenant="dongxoai" data-state="archived"' in admin.get("/admin/restructure/").get_data(as_text=True)


def test_only_the_province_admin_reorganises(app, client_for, make_user):
    email = make_user("tenant_admin", "stc")
    client = client_for("stc")
    client.login(email, PASSWORD)
    assert client.get("/admin/restructure/").status_code in (403, 404)


def test_a_refused_operation_says_why(client, make_user):
    admin = _admin(client, make_user)
    token = admin.csrf_token("/admin/restructure/")
    form = {"csrf_token": token, "operation": "merge", "tenant": "sct", "target": "sct", "confirm": "yes"}
    response = admin.post("/admin/restructure/", data=form)
    assert response.status_code == 422 and "cannot be merged into itself" in response.get_data(as_text=True)


def test_reports_cover_the_new_structure(app):
    with app.app_context():
        ops.merge(get_tenant("sct"), get_tenant("skhdt"))
        ops.retire(get_tenant("dongxoai"))
        db.session.commit()
        codes = {t.code for t in all_sites()}
    assert "sct" not in codes and "skhdt" in codes and "dongxoai" in codes
