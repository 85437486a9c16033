"""Activity reports per tenant and for the whole system, and the annual evaluation (R-29, R-30)."""

import pytest
from sqlalchemy import select

from app.auth.operations import find_user
from app.core.models import Tenant
from app.core.timeutil import utcnow
from app.extensions import db
from app.news.models import Article
from app.reports.models import Evaluation
from app.workflow.operations import transition

YEAR = utcnow().year


@pytest.fixture
def published_in_stc(app, make_user):
    """Two stc articles published and one returned this year."""
    writer = make_user("contributor", "stc")
    head = make_user("head", "stc")
    with app.test_request_context(base_url="http://localhost"):
        stc = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalars().one()
        w, h = find_user(writer), find_user(head)
        for i, fate in enumerate(("publish", "publish", "return")):
            a = Article(tenant_id=stc.id, title=f"Bài {i}", slug=f"bai-{i}", author_id=w.id)
            db.session.add(a)
            db.session.flush()
            transition(a, "submit", w)
            if fate == "publish":
                transition(a, "approve", h)
            else:
                transition(a, "request_changes", h, "Bổ sung số liệu")
        db.session.commit()


def _row(html, label):
    return label in html


def test_tenant_head_sees_own_activity_only(client_for, make_user, published_in_stc):
    """R-29: the head of stc gets stc's figures; dongxoai's head does not see stc."""
    c = client_for("stc")
    c.login(make_user("head", "stc", "head2.stc@test.vn"))
    csv_text = c.get(f"/admin/reports/activity.csv?year={YEAR}&period=year").get_data(as_text=True)
    assert "stc,article,3,2,1,0,0" in csv_text
    other = client_for("dongxoai")
    other.login(make_user("head", "dongxoai"))
    body = other.get(f"/admin/reports/activity.csv?year={YEAR}").get_data(as_text=True)
    assert "stc," not in body and "dongxoai,article,0,0,0,0,0" in body


def test_province_sees_every_site_and_bad_periods_are_400(client_for, make_user, published_in_stc):
    """R-29: the provincial office gets every site in one report; a bad period is a 400."""
    c = client_for("portal")
    c.login(make_user("province_admin", "portal"))
    body = c.get(f"/admin/reports/activity.csv?year={YEAR}&period=year").get_data(as_text=True)
    assert "stc,article,3,2,1,0,0" in body and "phurieng,article,0" in body
    assert len({line.split(",")[0] for line in body.strip().splitlines()[1:]}) == 33
    assert c.get("/admin/reports/?period=q5").status_code == 400
    page = c.get(f"/admin/reports/?year={YEAR}").get_data(as_text=True)
    assert "Sở Tài chính" in page and "UBND huyện Phú Riềng" in page


def test_contributors_cannot_read_reports(client_for, make_user):
    """R-29: reports are for heads, site administrators and the province."""
    c = client_for("stc")
    c.login(make_user("contributor", "stc"))
    assert c.get("/admin/reports/").status_code == 403


def test_evaluation_is_computed_and_assessed_by_the_province(app, client_for, make_user, published_in_stc):
    """R-30: scores come from the records; the province admin adjusts them; the inspector only reads."""
    from app.reports.rules import pin_basis

    with app.app_context():  # the weights below are Decree 43/2011's (rules/decree-43-2011.yaml)
        pin_basis("decree-43-2011", None)
        db.session.commit()
    inspector = client_for("portal")
    inspector.login(make_user("inspector", "portal"))
    page = inspector.get(f"/admin/reports/evaluation?year={YEAR}")
    assert page.status_code == 200 and "Sở Tài chính" in page.get_data(as_text=True)
    with app.app_context():
        stc_id = db.session.execute(select(Tenant.id).where(Tenant.code == "stc")).scalar_one()
    token = inspector.csrf_token("/login")
    form = {"csrf_token": token, "tenant_id": stc_id, "score_coverage": 30, "score_frequency": 20,
            "score_timeliness": 25, "score_participation": 20, "comment": "Tốt"}  # fmt: skip
    assert inspector.post(f"/admin/reports/evaluation?year={YEAR}", data=form).status_code == 403
    admin = client_for("portal")
    admin.login(make_user("province_admin", "portal"))
    form["csrf_token"] = admin.csrf_token("/login")
    too_high = dict(form, score_coverage=31)
    admin.post(f"/admin/reports/evaluation?year={YEAR}", data=too_high)
    with app.app_context():
        assert db.session.execute(select(Evaluation)).first() is None
    assert admin.post(f"/admin/reports/evaluation?year={YEAR}", data=form).status_code == 302
    with app.app_context():
        saved = db.session.execute(select(Evaluation)).scalars().one()
        assert (saved.total, saved.grade, saved.comment) == (95, "excellent", "Tốt")
        assert saved.indicators["frequency"]["weight"] == 25


def test_cli_activity_report(runner, published_in_stc):
    """R-29: `flask reports activity` prints the CSV."""
    result = runner.invoke(args=["reports", "activity", "--year", str(YEAR), "--tenant", "stc"])
    assert result.exit_code == 0 and "stc,article,3,2,1,0,0" in result.output
    assert runner.invoke(args=["reports", "activity", "--year", "1999"]).exit_code != 0
