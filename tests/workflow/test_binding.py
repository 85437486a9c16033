"""Reviews that bind (R-09, issue 11): an approval applies to the exact version its reviewer saw.

An edit of an item in review sends it back to the chain's first step; the review page and the API pass the
version they showed, and an approval of another version is refused; the history records each version.
"""

import re

import lxml.html
import pytest
from werkzeug.datastructures import MultiDict

from app.auth.operations import find_user, issue_token
from app.extensions import db
from app.news.models import Article
from app.workflow.models import Revision
from app.workflow.operations import content_version, history, transition


@pytest.fixture
def portal_people(users, make_user):
    """The portal's chain is editor -> head; a contributor writes."""
    return {**users, "portal_contributor": find_user(make_user("contributor", "portal"))}


@pytest.fixture
def bearer(portal_people):
    def make(name):
        plain = issue_token(portal_people[name])
        db.session.commit()
        return {"Authorization": f"Bearer {plain}"}

    return make


@pytest.fixture
def portal_draft(tenants, portal_people):
    """A portal article drafted by the portal's contributor."""
    author = portal_people["portal_contributor"]
    a = Article(tenant_id=tenants["portal"].id, author_id=author.id, last_editor_id=author.id,
                title="Kế hoạch chuyển đổi số năm 2027", body="<p>Bản 1</p>")  # fmt: skip
    db.session.add(a)
    db.session.commit()
    return a


@pytest.fixture
def in_review_at_step_two(portal_draft, portal_people):
    """The draft submitted by its contributor and approved by the editor: waiting for the head."""
    a = portal_draft
    transition(a, "submit", portal_people["portal_contributor"])
    transition(a, "approve", portal_people["portal_editor"], "Đạt")
    db.session.commit()
    assert a.review_step == 1
    return a


def _transition(client, article_id, headers, action, **extra):
    return client.post(f"/api/v1/articles/{article_id}/transitions", json={"action": action, **extra}, headers=headers)


def test_api_edit_in_review_goes_back_to_the_first_step(client, in_review_at_step_two, bearer):
    """Issue 11: a PATCH of an item at step 2 sends it back to step 1; the editor must approve the new text."""
    a_id = in_review_at_step_two.id
    edited = client.patch(
        f"/api/v1/articles/{a_id}", json={"body": "<p>Bản 2</p>"}, headers=bearer("portal_contributor")
    )
    assert edited.status_code == 200, edited.get_data(as_text=True)
    db.session.expire_all()
    a = db.session.get(Article, a_id)
    assert a.state == "in_review" and a.review_step == 0
    rows = history(a)
    assert [(r.action, r.step) for r in rows] == [("submit", 0), ("approve", 0), ("edit", 0)]
    assert rows[2].version == content_version(a) != rows[1].version
    # The editor's inbox holds it again, at the first step, with the version to approve.
    inbox = client.get("/api/v1/inbox", headers=bearer("portal_editor")).json["items"]
    assert [(i["id"], i["review_step"], i["version"]) for i in inbox] == [(a_id, 0, content_version(a))]


def test_back_office_edit_in_review_goes_back_to_the_first_step(client, in_review_at_step_two, portal_people):
    """Issue 11: the same through the back-office form; saving it unchanged keeps the step."""
    a_id = in_review_at_step_two.id
    client.login(portal_people["portal_contributor"].email)
    edit = f"/admin/news_articles/edit/?id={a_id}"
    pairs = _form_pairs(client.get(edit).get_data(as_text=True))
    assert client.post(edit, data=MultiDict(pairs)).status_code in (302, 303)
    db.session.expire_all()
    assert db.session.get(Article, a_id).review_step == 1, "an unchanged save is not an edit"
    changed = [(k, "Tiêu đề đã sửa sau khi biên tập viên duyệt" if k == "title" else v) for k, v in pairs]
    assert client.post(edit, data=MultiDict(changed)).status_code in (302, 303)
    db.session.expire_all()
    a = db.session.get(Article, a_id)
    assert a.title == "Tiêu đề đã sửa sau khi biên tập viên duyệt" and a.review_step == 0
    assert [r.action for r in history(a)][-1] == "edit"


def test_api_approval_of_a_version_the_reviewer_did_not_see_is_refused(client, in_review_at_step_two, bearer):
    """Issue 11: ``version`` from the inbox; after an edit that version is refused with 409 version_conflict."""
    a_id = in_review_at_step_two.id
    seen = client.get("/api/v1/inbox", headers=bearer("portal_head")).json["items"][0]["version"]
    # Someone edits while the head reads, and the editor approves the new text at step 1 again.
    client.patch(f"/api/v1/articles/{a_id}", json={"summary": "Tóm tắt mới"}, headers=bearer("portal_contributor"))
    current = client.get("/api/v1/inbox", headers=bearer("portal_editor")).json["items"][0]["version"]
    assert current != seen
    assert _transition(client, a_id, bearer("portal_editor"), "approve", version=current).status_code == 201
    stale = _transition(client, a_id, bearer("portal_head"), "approve", version=seen)
    assert stale.status_code == 409 and stale.json["error"]["code"] == "version_conflict"
    db.session.expire_all()
    assert db.session.get(Article, a_id).state == "in_review"
    assert _transition(client, a_id, bearer("portal_head"), "approve", version=7).status_code == 422
    ok = _transition(client, a_id, bearer("portal_head"), "approve", version=current)
    assert ok.status_code == 201 and ok.json["transition"]["version"] == current
    assert ok.json["item"]["state"] == "published"
    approvals = [h for h in client.get(f"/api/v1/articles/{a_id}/history", headers=bearer("portal_head")).json["items"]
                 if h["action"] == "approve"]  # fmt: skip
    assert [h["version"] for h in approvals] == [seen, current, current]


def test_review_page_posts_the_version_it_showed(client_for, in_review_at_step_two, portal_people, bearer):
    """Issue 11: the head approves on the review page; an edit made meanwhile makes that approval fail."""
    a_id = in_review_at_step_two.id
    head = client_for("portal")
    head.login(portal_people["portal_head"].email)
    page = head.get(f"/admin/review/article/{a_id}").get_data(as_text=True)
    shown = re.search(r'name="version" value="([0-9a-f]+)"', page).group(1)
    assert "Bản 1" in page and shown == content_version(in_review_at_step_two)
    form = {"csrf_token": head.csrf_token(f"/admin/review/article/{a_id}"), "version": shown, "action": "approve"}
    head.patch(f"/api/v1/articles/{a_id}", json={"body": "<p>Bản 2</p>"}, headers=bearer("portal_contributor"))
    # The edit sent it back to the editor; once the editor approves it, the head's old page still fails.
    transition(db.session.get(Article, a_id), "approve", portal_people["portal_editor"])
    db.session.commit()
    refused = head.post(f"/admin/review/article/{a_id}/transition", data=form, follow_redirects=True)
    text = refused.get_data(as_text=True)
    assert "changed since you opened it" in text or "đã thay đổi kể từ khi bạn mở trang" in text
    db.session.expire_all()
    assert db.session.get(Article, a_id).state == "in_review"
    page = head.get(f"/admin/review/article/{a_id}").get_data(as_text=True)
    assert "Bản 2" in page
    form["version"] = re.search(r'name="version" value="([0-9a-f]+)"', page).group(1)
    head.post(f"/admin/review/article/{a_id}/transition", data=form)
    db.session.expire_all()
    a = db.session.get(Article, a_id)
    assert a.state == "published" and "Bản 2" in a.body
    assert history(a)[-1].version == form["version"] == content_version(a)


def test_a_change_that_bypassed_the_edit_path_cannot_be_approved_at_a_later_step(in_review_at_step_two, portal_people):
    """Issue 11: a text changed behind the engine's back (a script) is not approved on the earlier step's word."""
    from app.workflow.operations import WorkflowError

    a = in_review_at_step_two
    a.body = "<p>Sửa trực tiếp trong cơ sở dữ liệu</p>"
    db.session.commit()
    with pytest.raises(WorkflowError) as exc:
        transition(a, "approve", portal_people["portal_head"])
    assert exc.value.status == 409 and exc.value.code == "version_conflict"
    db.session.rollback()
    # Returning it for changes and submitting again restarts the review with the current text.
    transition(a, "request_changes", portal_people["portal_head"], "Cần duyệt lại")
    transition(a, "submit", portal_people["portal_contributor"])
    transition(a, "approve", portal_people["portal_editor"])
    transition(a, "approve", portal_people["portal_head"])
    db.session.commit()
    snapshot = db.session.query(Revision).filter_by(object_id=a.id).one()
    assert a.state == "published" and snapshot.data["body"] == a.body


def test_edits_outside_review_do_not_touch_the_history(client, portal_draft, bearer):
    """Issue 11: a draft is edited freely; only an edit during review is recorded and restarts it."""
    a = portal_draft
    response = client.patch(f"/api/v1/articles/{a.id}", json={"summary": "Nháp"}, headers=bearer("portal_contributor"))
    assert response.status_code == 200 and history(a) == []


def _form_pairs(html):
    doc = lxml.html.fromstring(html)
    form = max((f for f in doc.forms if f.method.upper() == "POST"), key=lambda f: len(f.inputs))
    return list(form.form_values())


PUBLIC_TEXT_VIEWS = ("consultation_sections", "directory_units", "directory_officials", "gazette_admin",
                     "statistics_releases")  # fmt: skip


@pytest.mark.parametrize("endpoint", PUBLIC_TEXT_VIEWS)
@pytest.mark.parametrize(("role", "allowed"), [("contributor", False), ("editor", True), ("head", True)])
def test_text_without_review_changes_only_by_editor_and_up(client_for, make_user, endpoint, role, allowed):
    """Issue 11: consultation sections, directory entries, gazette issues and releases: editor and up only."""
    client = client_for("stc")
    client.login(make_user(role, "stc"))
    for path in (f"/admin/{endpoint}/", f"/admin/{endpoint}/new/"):
        assert client.get(path).status_code == (200 if allowed else 403), path
    if not allowed:
        token = client.csrf_token("/admin/")
        assert client.post(f"/admin/{endpoint}/new/", data={"csrf_token": token}).status_code == 403
