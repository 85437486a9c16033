"""The review-chain engine: states, roles, four-eyes, revisions, schedules, deadlines (R-09..R-13)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.timeutil import utcnow
from app.extensions import db
from app.news.models import Article
from app.workflow.models import Revision, Transition, published
from app.workflow.operations import (
    WorkflowError,
    history,
    inbox_items,
    overdue_items,
    pending_revision,
    record_edit,
    start_revision,
    transition,
)


def act(item, action, user, comment=""):
    row = transition(item, action, user, comment)
    db.session.commit()
    return row


def test_subsite_chain_is_head_only(make_article, users):
    """R-09: on a subsite, staff prepare and the head approves; every step is recorded."""
    a = make_article()
    act(a, "submit", users["contributor"])
    assert a.state == "in_review" and a.review_step == 0 and a.due_at is not None
    act(a, "approve", users["head"], "Đồng ý")
    assert a.state == "published" and a.published_at is not None and a.is_visible
    rows = history(a)
    assert [(r.action, r.from_state, r.to_state, r.step) for r in rows] == [
        ("submit", "draft", "in_review", 0),
        ("approve", "in_review", "published", 0),
    ]
    assert rows[1].actor_name and rows[1].comment == "Đồng ý" and rows[1].step_role == "head"


def test_portal_chain_is_editor_then_head(make_article, users):
    """R-09: on the portal the standing office edits, then the head of the board approves."""
    a = make_article("portal", author="admin")
    act(a, "submit", users["admin"])
    act(a, "approve", users["portal_editor"])
    assert a.state == "in_review" and a.review_step == 1
    with pytest.raises(WorkflowError) as exc:
        act(a, "approve", users["portal_editor"])
    assert exc.value.status == 403
    act(a, "approve", users["portal_head"])
    assert a.state == "published"


@pytest.mark.parametrize("who", ["contributor", "editor_stc", "dx_head", "inspector", "portal_head"])
def test_wrong_role_or_tenant_cannot_approve(make_article, users, who):
    """R-09, R-04: only the step's role (or higher) of the item's own tenant acts on it."""
    a = make_article(author="head2")
    act(a, "submit", users["head2"])
    with pytest.raises(WorkflowError) as exc:
        transition(a, "approve", users[who])
    assert exc.value.status == 403
    db.session.rollback()
    assert db.session.get(Article, a.id).state == "in_review"


def test_four_eyes_author_and_last_editor_cannot_approve(make_article, users):
    """R-09: nobody approves an item they authored or last edited; another head can."""
    a = make_article(author="head")
    act(a, "submit", users["head"])
    with pytest.raises(WorkflowError) as exc:
        transition(a, "approve", users["head"])
    assert exc.value.status == 403 and "người duyệt khác" in str(exc.value.message)
    db.session.rollback()
    record_edit(a, users["head2"])
    db.session.commit()
    with pytest.raises(WorkflowError):
        transition(a, "approve", users["head2"])
    db.session.rollback()
    a.last_editor_id = users["head"].id
    db.session.commit()
    act(a, "approve", users["head2"])
    assert a.state == "published"


@pytest.mark.parametrize("action", ["request_changes", "reject"])
def test_return_and_reject_need_a_comment(make_article, users, action):
    """R-09: return-for-changes and reject carry a mandatory comment."""
    a = make_article()
    act(a, "submit", users["contributor"])
    with pytest.raises(WorkflowError) as exc:
        transition(a, action, users["head"], "   ")
    assert exc.value.status == 422
    db.session.rollback()
    act(a, action, users["head"], "Thiếu số liệu")
    assert a.state == {"request_changes": "changes_requested", "reject": "rejected"}[action]


def test_return_notifies_author_and_earlier_approvers(app, make_article, users, smtp_server):
    """R-09: a return at the portal's last step tells the author and the editor who approved."""
    a = make_article("portal", author="admin")
    act(a, "submit", users["admin"])
    act(a, "approve", users["portal_editor"])
    smtp_server.messages.clear()
    act(a, "request_changes", users["portal_head"], "Cần bổ sung ảnh")
    to = {addr for m in smtp_server.messages for addr in m["to"]}
    assert users["admin"].email in to and users["portal_editor"].email in to
    assert any("Cần bổ sung ảnh" in m["body"] for m in smtp_server.messages)


def test_submission_notifies_the_next_reviewers(make_article, users, smtp_server):
    """R-09: the reviewers of the next step get an email."""
    a = make_article()
    act(a, "submit", users["contributor"])
    to = {addr for m in smtp_server.messages for addr in m["to"]}
    assert users["head"].email in to and users["contributor"].email not in to


@pytest.mark.parametrize(
    ("state", "action"),
    [
        ("draft", "approve"),
        ("published", "submit"),
        ("rejected", "approve"),
        ("archived", "archive"),
        ("draft", "unpublish"),
    ],
)
def test_transitions_refused_in_wrong_state(make_article, users, state, action):
    """R-09: an action that does not fit the state is a 409 conflict."""
    a = make_article(state=state)
    with pytest.raises(WorkflowError) as exc:
        transition(a, action, users["head"], "lý do")
    assert exc.value.status == 409


def test_editing_a_published_item_keeps_it_online(app, make_article, users, tenants):
    """R-13: an edit becomes a revision that goes through the chain; the live text stays until approval."""
    a = make_article(title="Bản gốc", body="Nội dung cũ", slug="ban-goc")
    act(a, "submit", users["contributor"])
    act(a, "approve", users["head"])
    copy = start_revision(a, users["contributor"])
    assert copy is not a and copy.revision_of_id == a.id
    copy.body = "Nội dung mới"
    record_edit(copy, users["contributor"])
    db.session.commit()
    assert start_revision(a, users["contributor"]).id == copy.id  # one pending revision at a time
    visible = db.session.execute(published(Article, tenants["stc"])).scalars().all()
    assert [v.body for v in visible] == ["Nội dung cũ"]
    act(copy, "submit", users["contributor"])
    act(copy, "approve", users["head"])
    db.session.expire_all()
    live = db.session.get(Article, a.id)
    assert live.body == "Nội dung mới" and live.state == "published" and live.slug == "ban-goc"
    assert pending_revision(live) is None
    revisions = db.session.execute(select(Revision.number, Revision.data).where(Revision.object_id == a.id)).all()
    assert [r.number for r in revisions] == [1, 2]
    assert revisions[0].data["body"] == "Nội dung cũ" and revisions[1].data["body"] == "Nội dung mới"
    assert [r.action for r in history(live)] == ["submit", "approve", "edit", "submit", "approve"]


def test_scheduled_and_expired_items_take_effect_at_read_time(make_article, users, tenants):
    """R-09: approval with a future publish_at schedules; visibility follows publish_at and expire_at."""
    a = make_article(publish_at=utcnow() + timedelta(hours=2))
    act(a, "submit", users["contributor"])
    act(a, "approve", users["head"])
    assert a.state == "scheduled" and not a.is_visible and a.effective_state == "scheduled"
    assert db.session.execute(published(Article, tenants["stc"])).scalars().all() == []
    a.publish_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert a.is_visible and a.effective_state == "published"
    assert len(db.session.execute(published(Article, tenants["stc"])).scalars().all()) == 1
    a.expire_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert not a.is_visible
    assert db.session.execute(published(Article, tenants["stc"])).scalars().all() == []


def test_overdue_reviews_are_flagged(make_article, users, tenants):
    """R-12: items past their review deadline are listed for the tenant and for the province."""
    a = make_article()
    act(a, "submit", users["contributor"])
    assert not a.is_overdue and overdue_items(tenants["stc"]) == []
    a.due_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    assert a.is_overdue
    assert [i.id for _, i in overdue_items(tenants["stc"])] == [a.id]
    assert [i.id for _, i in overdue_items()] == [a.id]
    assert overdue_items(tenants["dongxoai"]) == []
    waiting = inbox_items(users["head"], tenants["stc"])
    assert [(ct.name, i.id) for ct, i in waiting] == [("article", a.id)]
    assert inbox_items(users["contributor"], tenants["stc"]) == []


def test_deadline_counts_working_days(make_article, users, tenants):
    """R-12: the review deadline skips weekends (2 working days from a Friday is a Tuesday)."""
    from datetime import datetime

    from app.core.workdays import add_working_days

    friday = datetime(2026, 11, 27, 9, 0)
    assert add_working_days(friday, 2).date().isoformat() == "2026-12-01"
    assert add_working_days(datetime(2026, 4, 29, 9), 1).date().isoformat() == "2026-05-04"


def test_unpublish_and_archive_keep_the_item(make_article, users):
    """R-13: unpublishing and archiving keep the item and its history."""
    a = make_article()
    act(a, "submit", users["contributor"])
    act(a, "approve", users["head"])
    with pytest.raises(WorkflowError) as exc:
        transition(a, "unpublish", users["contributor"])
    assert exc.value.status == 403
    db.session.rollback()
    act(a, "unpublish", users["head"], "Hết hiệu lực")
    assert a.state == "unpublished" and not a.is_visible
    act(a, "archive", users["head"])
    assert db.session.get(Article, a.id).state == "archived"
    assert len(history(a)) == 4


def test_propose_to_portal(make_article, users, tenants):
    """R-10: a subsite's published item goes through the portal's chain and credits its source."""
    a = make_article(slug="tin-stc")
    act(a, "submit", users["contributor"])
    act(a, "approve", users["head"])
    act(a, "propose_to_portal", users["editor_stc"])
    copy = db.session.execute(select(Article).where(Article.tenant_id == tenants["portal"].id)).scalars().one()
    assert copy.state == "in_review" and copy.source_tenant_id == tenants["stc"].id
    assert copy.source_url.endswith("/news/tin-stc") and copy.source_object_id == a.id
    with pytest.raises(WorkflowError) as exc:
        transition(a, "propose_to_portal", users["editor_stc"])
    assert exc.value.status == 409
    db.session.rollback()
    act(copy, "approve", users["portal_editor"])
    act(copy, "approve", users["portal_head"])
    assert copy.is_visible and copy.source_tenant.code == "stc"


def test_propose_refuses_unpublished_items(make_article, users):
    """R-10: only published items can be proposed."""
    a = make_article()
    with pytest.raises(WorkflowError) as exc:
        transition(a, "propose_to_portal", users["head"])
    assert exc.value.status == 409


def test_every_transition_is_stored(make_article, users):
    """R-09: transitions are rows with who, when, from, to, step and comment."""
    a = make_article()
    act(a, "submit", users["contributor"], "Gửi duyệt")
    row = db.session.execute(select(Transition).where(Transition.object_id == a.id)).scalars().one()
    assert row.actor_id == users["contributor"].id and row.created_at is not None
    assert (row.from_state, row.to_state, row.step, row.comment) == ("draft", "in_review", 0, "Gửi duyệt")
