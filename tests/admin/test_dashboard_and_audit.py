"""The back-office home page and the audit log (R-04, R-12, R-25)."""

from datetime import timedelta

from sqlalchemy import select

from app.auth.operations import find_user
from app.core import audit
from app.core.models import AuditEvent, Tenant
from app.core.timeutil import utcnow
from app.extensions import db
from app.news.models import Article


def _articles(app, make_user):
    author = make_user("contributor", "stc")
    dx_author = make_user("contributor", "dongxoai")
    with app.app_context():
        tenants = {t.code: t.id for t in db.session.execute(select(Tenant)).scalars()}
        uid, dx_uid = find_user(author).id, find_user(dx_author).id
        rows = [
            Article(
                tenant_id=tenants["stc"],
                author_id=uid,
                title="Dự thảo kế hoạch tài chính",
                slug="du-thao-1",
                state="draft",
            ),
            Article(
                tenant_id=tenants["stc"],
                author_id=uid,
                title="Báo cáo thu chi quý III",
                slug="bao-cao-2",
                state="in_review",
                due_at=utcnow() - timedelta(days=3),
                submitted_at=utcnow() - timedelta(days=6),
            ),
            Article(
                tenant_id=tenants["dongxoai"], author_id=dx_uid, title="Tin Đồng Xoài", slug="tin-dx", state="draft"
            ),
        ]
        db.session.add_all(rows)
        db.session.commit()


def test_dashboard_counts_states_and_overdue(app, make_user, logged_in):
    """R-04, R-12: the tenant sees its counts per state and its overdue items, never another tenant's."""
    _articles(app, make_user)
    html = logged_in("head", "stc").get("/admin/").get_data(as_text=True)
    assert 'data-content-type="article"' in html
    row = html.split('data-content-type="article"', 1)[1].split("</table>", 1)[0]
    assert '<td data-state="draft">1</td>' in row and '<td data-state="in_review">1</td>' in row
    assert '<td data-state="overdue">1</td>' in row
    assert "Báo cáo thu chi quý III" in html and "Tin Đồng Xoài" not in html


def test_portal_dashboard_has_every_tenant(app, make_user, logged_in):
    """R-04, R-12: the province admin and the inspector see the figures of every tenant on the portal."""
    _articles(app, make_user)
    for role in ("province_admin", "inspector"):
        html = logged_in(role, "portal").get("/admin/").get_data(as_text=True)
        table = html.split('data-content-type="article"', 1)[1].split("</table>", 1)[0]
        assert 'data-tenant="stc"' in table and 'data-tenant="dongxoai"' in table and 'data-tenant="ctk"' in table
        stc_row = table.split('data-tenant="stc"', 1)[1].split("</tr>", 1)[0]
        assert '<td data-state="overdue">1</td>' in stc_row


def test_audit_log_is_scoped_filtered_and_read_only(app, logged_in):
    """R-25, R-04: the audit log filters by user, action and date; a tenant sees only its own events."""
    with app.test_request_context(base_url="http://stc.localhost"):
        stc = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalars().one()
        dx = db.session.execute(select(Tenant).where(Tenant.code == "dongxoai")).scalars().one()
        audit.record("role.change", "a.stc@test.vn:editor->head", tenant=stc)
        audit.record("settings.update", "stc", tenant=stc)
        audit.record("role.change", "b.dx@test.vn:editor->head", tenant=dx)
        db.session.commit()
    c = logged_in("tenant_admin", "stc")
    html = c.get("/admin/audit/").get_data(as_text=True)
    assert "a.stc@test.vn" in html and "b.dx@test.vn" not in html
    filtered = c.get("/admin/audit/?flt0_9=settings.update").get_data(as_text=True)  # action equals
    assert "settings.update" in filtered and "a.stc@test.vn" not in filtered
    today = utcnow().strftime("%Y-%m-%d")
    dated = c.get(f"/admin/audit/?flt0_18={today}+00:00:00+to+{today}+23:59:59").get_data(as_text=True)  # between
    assert "a.stc@test.vn" in dated
    assert "a.stc@test.vn" not in c.get("/admin/audit/?flt0_18=2020-01-01+00:00:00+to+2020-01-02+00:00:00").get_data(
        as_text=True
    )
    by_user = c.get("/admin/audit/?flt0_0=nobody").get_data(as_text=True)  # actor contains
    assert "a.stc@test.vn" not in by_user
    export = c.get("/admin/audit/export/csv/").get_data(as_text=True)
    assert "a.stc@test.vn" in export and "b.dx@test.vn" not in export
    with app.app_context():
        before = db.session.execute(select(AuditEvent.id)).scalars().all()
        event_id = before[0]
    token = c.csrf_token("/admin/settings/")
    assert c.post("/admin/audit/delete/", data={"id": event_id, "csrf_token": token}).status_code in (302, 403, 404)
    with app.app_context():
        assert db.session.get(AuditEvent, event_id) is not None
    portal = logged_in("province_admin", "portal").get("/admin/audit/").get_data(as_text=True)
    assert "a.stc@test.vn" in portal and "b.dx@test.vn" in portal
