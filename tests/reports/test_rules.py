"""Rules as data: each legal basis in rules/ with the article of each rule, chosen by date or pinned by the
province admin; switching it changes the deadlines and the scores the reports show, naming the basis."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from app.auth.operations import find_user
from app.core.models import Tenant
from app.extensions import db
from app.news.models import Article
from app.reports.rules import CRITERIA_NAMES, all_bases, basis_for, get_basis, pin_basis
from app.workflow import registry
from app.workflow.models import ReviewState, Transition
from tests.conftest import PASSWORD


def test_every_basis_names_the_article_of_each_rule(app):
    with app.app_context():
        bases = all_bases()
        assert [b.name for b in bases] == ["decree-43-2011", "decree-42-2022", "decree-224-2026"]
        for basis in bases:
            assert basis.review_deadline.article and basis.frequency.article and basis.mandatory.article
            assert sorted(c.name for c in basis.criteria) == sorted(CRITERIA_NAMES)
            assert sum(c.weight for c in basis.criteria) == 100 and all(c.article for c in basis.criteria)
            assert set(basis.mandatory.value) <= {ct.name for ct in registry.all_types()}


@pytest.mark.parametrize(
    ("day", "expected"),
    [(date(2015, 1, 1), "decree-43-2011"), (date(2022, 8, 1), "decree-42-2022"), (date(2026, 6, 30), "decree-42-2022"),
     (date(2026, 7, 1), "decree-224-2026"), (date(2030, 1, 1), "decree-224-2026")],
)  # fmt: skip
def test_the_basis_in_force_is_chosen_by_date(app, day, expected):
    with app.app_context():
        assert basis_for(day).name == expected


@pytest.fixture
def reviewed_in_a_day_and_a_half(app, make_user):
    """An stc article submitted on Monday 3 March 2025 at 09:00 and published on Wednesday at 08:00 (local time):
    within two working days, not within one."""
    author = make_user("contributor", "stc")
    with app.app_context():
        stc = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalars().one()
        user = find_user(author)
        item = registry.get("article").sample(stc, user)
        item.state, item.published_at = ReviewState.PUBLISHED, datetime(2025, 3, 5, 1, 0)
        db.session.add(item)
        db.session.flush()
        for action, to_state, at in (("submit", "in_review", datetime(2025, 3, 3, 2, 0)),
                                     ("approve", "published", datetime(2025, 3, 5, 1, 0))):  # fmt: skip
            db.session.add(
                Transition(tenant_id=stc.id, content_type="article", object_id=item.id, actor_id=user.id,
                           action=action, from_state="draft", to_state=to_state, created_at=at)
            )  # fmt: skip
        db.session.commit()
        assert db.session.get(Article, item.id) is not None


def _province_admin(client, make_user):
    email = make_user("province_admin", "portal", email="admin.rules@test.vn")
    client.login(email, PASSWORD)
    return client


def test_switching_the_basis_changes_deadlines_and_scores(app, client, make_user, reviewed_in_a_day_and_a_half):
    admin = _province_admin(client, make_user)
    before = admin.get("/admin/reports/evaluation?year=2025").get_data(as_text=True)
    with app.app_context():
        in_force = get_basis("decree-42-2022")
    assert in_force.title_vi in before and "Điều 4" in before
    activity = admin.get("/admin/reports/?year=2025").get_data(as_text=True)
    assert "2 ngày làm việc" in activity or "2 working days" in activity

    token = admin.csrf_token("/admin/reports/?year=2025")
    assert admin.post("/admin/reports/basis", data={"csrf_token": token, "basis": "decree-224-2026"}).status_code == 302
    after = admin.get("/admin/reports/evaluation?year=2025").get_data(as_text=True)
    with app.app_context():
        pinned = get_basis("decree-224-2026")
        assert basis_for(date(2025, 1, 1)).name == "decree-224-2026"
    assert pinned.title_vi in after and "Điều 12 (tính kịp thời)" in after
    assert "(/30)" in after  # timeliness weighs 30 under Decree 224/2026, 25 under 42/2022
    csv_text = admin.get("/admin/reports/activity.csv?year=2025").get_data(as_text=True)
    stc_row = next(line for line in csv_text.splitlines() if line.startswith("stc,article,"))
    assert stc_row.split(",")[6] == "1" and stc_row.endswith("decree-224-2026")  # late against one working day


def test_scores_follow_the_basis(app, reviewed_in_a_day_and_a_half):
    from app.reports.operations import indicators

    with app.app_context():
        stc = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalars().one()
        old = indicators(stc, 2025, get_basis("decree-42-2022"))
        new = indicators(stc, 2025, get_basis("decree-224-2026"))
        assert old["timeliness"]["score"] == 25 and old["timeliness"]["basis"] == "decree-42-2022"
        assert new["timeliness"]["score"] == 0 and new["timeliness"]["article"] == "Điều 12 (tính kịp thời)"


def test_only_the_province_admin_pins_a_basis(app, client_for, make_user):
    email = make_user("head", "stc")
    client = client_for("stc")
    client.login(email, PASSWORD)
    token = client.csrf_token("/admin/reports/")
    assert client.post("/admin/reports/basis", data={"csrf_token": token, "basis": "decree-43-2011"}).status_code == 403
    with app.app_context():
        pin_basis(None, None)
        assert basis_for(date(2015, 1, 1)).name == "decree-43-2011"
