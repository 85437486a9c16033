"""Issue 15: the periodic notices are sent once each (consultations R-14, overdue reviews R-12), and a comment
waiting for moderation gives the site's moderators a notice."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.consultations.models import Consultation
from app.core.models import Tenant
from app.core.notices import StaffNotice
from app.core.outbox import OutboxMessage
from app.core.timeutil import utcnow
from app.extensions import db
from app.tasks.jobs import consultation_notices, review_deadlines
from app.workflow.models import ReviewState


@pytest.fixture
def consultation(app):
    def make(opens, closes):
        with app.app_context():
            stc = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalar_one()
            now = utcnow()
            c = Consultation(
                tenant_id=stc.id,
                title="Dự thảo quy định phí tham quan",
                opens_at=now + timedelta(days=opens),
                closes_at=now + timedelta(days=closes),
                receiving_email="gopy@stc.example.vn",
                state=ReviewState.PUBLISHED,
                published_at=now,
            )
            db.session.add(c)
            db.session.commit()
            return c.id

    return make


def _run(app, job):
    with app.test_request_context(base_url="http://localhost"):
        return job()


@pytest.mark.parametrize(
    ("opens", "closes", "key"),
    [(-1, 5, "consultation-opened:"), (-10, -1, "consultation-closed:"), (-60, -31, "consultation-outcome:")],
)
def test_consultation_notices_are_sent_once(app, make_user, smtp_server, consultation, opens, closes, key):
    editor = make_user("editor", "stc")
    consultation(opens, closes)
    assert _run(app, consultation_notices) == "1 notices"
    assert _run(app, consultation_notices) == "0 notices"
    [mail] = smtp_server.messages
    assert sorted(mail["to"]) == sorted([editor, "gopy@stc.example.vn"])
    with app.app_context():
        [row] = db.session.execute(select(OutboxMessage)).scalars().all()
        assert row.key.startswith(key) and row.status == "sent"


def test_an_old_consultation_stays_quiet(app, smtp_server, consultation):
    consultation(-200, -150)  # closed long ago, before the worker existed: no notice now
    with app.app_context():
        c = db.session.execute(select(Consultation)).scalar_one()
        c.closes_at = utcnow() - timedelta(days=150)
        db.session.commit()
    assert _run(app, consultation_notices) == "0 notices" and smtp_server.messages == []


def test_a_comment_waiting_for_moderation_notifies_the_moderators(app, client_for, make_user, consultation):
    editor = make_user("editor", "stc")
    cid = consultation(-1, 5)
    with app.test_request_context(base_url="http://stc.localhost"):
        from app.consultations.operations import receive_comment

        receive_comment(db.session.get(Consultation, cid), body="Tôi đồng ý.", name="Lê Văn Bình", email="b@example.vn")
        db.session.commit()
    c = client_for("stc")
    c.login(editor)
    assert "Tôi đồng ý" not in c.get("/admin/notices/").get_data(as_text=True)  # the notice, not the comment
    assert 'data-unread="1"' in c.get("/admin/").get_data(as_text=True)


def test_an_overdue_review_is_told_once(app, make_user, smtp_server, tenant):
    author, head = make_user("contributor", "stc"), make_user("head", "stc")
    from app.auth.operations import find_user
    from app.news.models import Article
    from app.workflow.operations import transition

    with app.test_request_context(base_url="http://stc.localhost"):
        user = find_user(author)
        article = Article(
            tenant_id=tenant("stc").id, author_id=user.id, last_editor_id=user.id, title="Quá hạn", slug="q"
        )
        db.session.add(article)
        db.session.flush()
        transition(article, "submit", user)
        article.due_at = utcnow() - timedelta(hours=1)
        db.session.commit()
    smtp_server.messages.clear()
    assert _run(app, review_deadlines) == "1 overdue notices"
    assert _run(app, review_deadlines) == "0 overdue notices"
    assert [m["to"] for m in smtp_server.messages] == [[head]]
    with app.app_context():
        kinds = db.session.execute(select(StaffNotice.kind, func.count()).group_by(StaffNotice.kind)).all()
    assert dict(kinds)["review"] == 2  # waiting for review, then overdue
