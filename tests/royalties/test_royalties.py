"""Royalties per author and period (R-31)."""

from sqlalchemy import select

from app.extensions import db
from app.royalties.models import Royalty


def _form(c, **values):
    data = {
        "csrf_token": c.csrf_token("/admin/royalties/new/"),
        "period": "2026-11",
        "author_name": "Nguyễn Thị Lan",
        "work_title": "Mùa điều Bình Phước",
        "work_url": "",
        "kind": "photo",
        "amount": "350000",
        "status": "proposed",
        "paid_on": "",
        "note": "",
    }
    data.update(values)
    return c.post("/admin/royalties/new/", data=data)


def test_secretary_records_and_head_approves(app, client_for, make_user):
    """R-31: the secretary records a fee; only the head approves it; totals per author add up."""
    secretary = client_for("stc")
    secretary.login(make_user("secretary", "stc"))
    _form(secretary)
    _form(secretary, work_title="Ảnh lễ hội Sóc Bom Bo", amount="150000", status="approved")
    with app.app_context():
        rows = db.session.execute(select(Royalty).order_by(Royalty.id)).scalars().all()
        assert [(r.amount, r.status) for r in rows] == [(350000, "proposed"), (150000, "proposed")]
        ids = [r.id for r in rows]
    head = client_for("stc")
    head.login(make_user("head", "stc"))
    token = head.csrf_token(f"/admin/royalties/edit/?id={ids[0]}")
    head.post(
        f"/admin/royalties/edit/?id={ids[0]}",
        data={"csrf_token": token, "period": "2026-11", "author_name": "Nguyễn Thị Lan", "work_title": "Mùa điều",
              "work_url": "", "kind": "photo", "amount": "350000", "status": "approved", "paid_on": "", "note": ""},
    )  # fmt: skip
    with app.app_context():
        assert db.session.get(Royalty, ids[0]).status == "approved"
    summary = head.get("/admin/royalties/summary").get_data(as_text=True)
    assert "Nguyễn Thị Lan" in summary and "150.000" in summary and "350.000" in summary


def test_bad_period_and_amount_are_refused(app, client_for, make_user):
    """R-31: a period must be YYYY-MM and an amount a non-negative number."""
    c = client_for("stc")
    c.login(make_user("secretary", "stc"))
    assert "YYYY-MM" in _form(c, period="11/2026").get_data(as_text=True)
    _form(c, amount="-5")
    with app.app_context():
        assert db.session.execute(select(Royalty)).first() is None


def test_royalties_are_per_tenant_and_not_for_contributors(app, client_for, make_user):
    """R-31, R-04: dongxoai's secretary never sees stc's royalties; contributors have no access."""
    c = client_for("stc")
    c.login(make_user("secretary", "stc"))
    _form(c)
    with app.app_context():
        rid = db.session.execute(select(Royalty.id)).scalar_one()
    other = client_for("dongxoai")
    other.login(make_user("secretary", "dongxoai"))
    assert "Nguyễn Thị Lan" not in other.get("/admin/royalties/").get_data(as_text=True)
    assert other.get(f"/admin/royalties/edit/?id={rid}").status_code in (302, 404)
    assert "Nguyễn Thị Lan" not in other.get("/admin/royalties/summary").get_data(as_text=True)
    writer = client_for("stc")
    writer.login(make_user("contributor", "stc"))
    assert writer.get("/admin/royalties/").status_code == 403
