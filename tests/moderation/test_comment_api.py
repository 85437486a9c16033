"""Issue 12: the moderation API of consultation comments calls the back office's moderation operation."""

import pytest
from sqlalchemy import select

from app.auth.operations import find_user, issue_token
from app.consultations.models import Comment
from app.core.models import AuditEvent
from app.extensions import db
from tests.consultations.conftest import make_consultation  # noqa: F401  (fixture)

COMMENT = {
    "name": "Lê Văn Cường",
    "organisation": "Hợp tác xã Tân Phú",
    "email": "cuong@example.vn",
    "phone": "0901234567",
    "body": "Góp ý về Điều 1: nên ghi rõ thời điểm áp dụng.",
    "consent": True,
}
PERSONAL = ("name", "email", "phone")


@pytest.fixture
def bearer(app, make_user):
    def make(role, code):
        email = make_user(role, code)
        with app.app_context():
            token = issue_token(find_user(email))
            db.session.commit()
        return {"Authorization": f"Bearer {token}"}

    return make


@pytest.fixture
def pending(client_for, make_consultation):  # noqa: F811
    """A consultation of stc with two comments waiting for moderation: ``(consultation id, [comment ids])``."""
    cid = make_consultation("stc")
    stc = client_for("stc")
    ids = [stc.post(f"/api/v1/consultations/{cid}/comments", json=COMMENT).get_json()["id"] for _ in range(2)]
    return cid, ids


def _moderate(client, comment_id, headers, **body):
    return client.post(f"/api/v1/comments/{comment_id}/moderation", json=body, headers=headers)


def test_publish_puts_the_comment_on_the_public_list_with_its_url(app, client_for, bearer, pending):
    cid, (first, second) = pending
    stc = client_for("stc")
    assert stc.get(f"/api/v1/consultations/{cid}/comments").get_json()["total"] == 0
    response = _moderate(stc, first, bearer("editor", "stc"), action="publish")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["state"] == "published" and response.get_json()["moderated_at"]

    public = stc.get(f"/api/v1/consultations/{cid}/comments").get_json()
    assert [c["id"] for c in public["items"]] == [first]
    item = public["items"][0]
    assert item["url"] == f"http://stc.localhost/consultations/{cid}#comment-{first}"
    assert item["author"] == COMMENT["organisation"] and not set(PERSONAL) & set(item)
    page = stc.get(f"/consultations/{cid}").get_data(as_text=True)
    assert f'id="comment-{first}"' in page  # the anchor the url names
    with app.app_context():
        event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "comment.publish")).scalar_one()
        assert event.target == f"consultation_comment:{first}"


def test_queue_lists_pending_comments_for_moderators_with_contact(client_for, bearer, pending):
    cid, ids = pending
    response = client_for("stc").get("/api/v1/comments", headers=bearer("editor", "stc"))
    assert response.status_code == 200
    items = response.get_json()["items"]
    assert [c["id"] for c in items] == ids
    item = items[0]
    assert item["body"] == COMMENT["body"] and item["consultation_id"] == cid and item["received_at"]
    assert item["email"] == COMMENT["email"] and item["phone"] == COMMENT["phone"] and item["state"] == "pending"


def test_hide_needs_a_reason_and_leaves_the_public_list(client_for, bearer, pending):
    cid, (first, _second) = pending
    stc, editor = client_for("stc"), bearer("editor", "stc")
    refused = _moderate(stc, first, editor, action="hide")
    assert refused.status_code == 422 and "reason" in refused.get_json()["error"]["fields"]
    hidden = _moderate(stc, first, editor, action="hide", reason="Nội dung không liên quan đến dự thảo.")
    assert hidden.status_code == 200 and hidden.get_json()["hidden_reason"].startswith("Nội dung")
    listed = stc.get("/api/v1/comments?status=hidden", headers=editor).get_json()["items"]
    assert [c["id"] for c in listed] == [first]
    assert stc.get(f"/api/v1/consultations/{cid}/comments").get_json()["total"] == 0


def test_a_decision_can_be_revised(client_for, bearer, pending):
    """The back office lets a moderator publish a comment hidden earlier (no 409 for a decided comment)."""
    cid, (first, _second) = pending
    stc, editor = client_for("stc"), bearer("editor", "stc")
    _moderate(stc, first, editor, action="hide", reason="Trùng lặp.")
    assert _moderate(stc, first, editor, action="publish").get_json()["state"] == "published"
    assert stc.get(f"/api/v1/consultations/{cid}/comments").get_json()["total"] == 1


def test_duplicate_names_a_comment_of_the_same_consultation(client_for, bearer, pending, make_consultation):  # noqa: F811
    _cid, (first, second) = pending
    stc, editor = client_for("stc"), bearer("editor", "stc")
    other = make_consultation("stc", title="Dự thảo khác")
    elsewhere = stc.post(f"/api/v1/consultations/{other}/comments", json=COMMENT).get_json()["id"]
    for target in (None, first, elsewhere, 2**31 - 1):
        response = _moderate(stc, first, editor, action="duplicate", duplicate_of=target)
        assert response.status_code == 422 and "duplicate_of" in response.get_json()["error"]["fields"], target
    done = _moderate(stc, second, editor, action="duplicate", duplicate_of=first)
    assert done.status_code == 200 and done.get_json()["duplicate_of"] == first


@pytest.mark.parametrize(
    "body,field",
    [({}, "action"), ({"action": "erase"}, "action"), ({"action": 1}, "action"), ({"action": "publish", "reason": 5},
     "reason"), ({"action": "hide", "reason": "x" * 501}, "reason"), ({"action": "duplicate", "duplicate_of": "1"},
     "duplicate_of")],
)  # fmt: skip
def test_moderation_is_validated_before_the_database(app, client_for, bearer, pending, body, field):
    _cid, (first, _second) = pending
    response = _moderate(client_for("stc"), first, bearer("editor", "stc"), **body)
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"]
    with app.app_context():
        assert db.session.get(Comment, first).status == "pending"


def test_queue_filters(client_for, bearer, pending, make_consultation):  # noqa: F811
    cid, ids = pending
    stc, editor = client_for("stc"), bearer("editor", "stc")
    other = make_consultation("stc", title="Dự thảo khác")
    stc.post(f"/api/v1/consultations/{other}/comments", json=COMMENT)
    assert stc.get("/api/v1/comments", headers=editor).get_json()["total"] == 3
    only = stc.get(f"/api/v1/comments?consultation_id={cid}", headers=editor).get_json()
    assert [c["id"] for c in only["items"]] == ids
    for query in ("status=lost", "consultation_id=abc", "consultation_id=0"):
        response = stc.get(f"/api/v1/comments?{query}", headers=editor)
        assert response.status_code == 400, query


@pytest.mark.parametrize(
    "role,code,reads,acts",
    [("contributor", "stc", False, False), ("editor", "stc", True, True), ("head", "stc", True, True),
     ("tenant_admin", "stc", True, True), ("province_admin", "portal", True, True),
     ("inspector", "portal", True, False)],
)  # fmt: skip
def test_who_moderates_is_the_back_offices_rule(client_for, bearer, pending, role, code, reads, acts):
    """R-04: moderators (editor and up, tenant admin, province admin) act; the inspector reads without contacts."""
    _cid, (first, _second) = pending
    stc, headers = client_for("stc"), bearer(role, code)
    listed = stc.get("/api/v1/comments", headers=headers)
    assert listed.status_code == (200 if reads else 403)
    if reads:
        item = listed.get_json()["items"][0]
        assert set(PERSONAL) <= set(item) if acts else not set(PERSONAL) & set(item)
    assert _moderate(stc, first, headers, action="publish").status_code == (200 if acts else 403)


def test_another_sites_token_never_reaches_the_comment(client_for, bearer, pending):
    """R-04: dongxoai's editor gets 403 on stc's host, and on dongxoai's host neither sees nor moderates stc's."""
    _cid, (first, _second) = pending
    other = bearer("editor", "dongxoai")
    stc, dx = client_for("stc"), client_for("dongxoai")
    assert stc.get("/api/v1/comments", headers=other).status_code == 403
    assert _moderate(stc, first, other, action="publish").status_code == 403
    assert dx.get("/api/v1/comments", headers=other).get_json()["total"] == 0
    assert _moderate(dx, first, other, action="publish").status_code == 404
    assert client_for("stc").get("/api/v1/comments", headers={}).status_code == 401


def test_every_comment_endpoint_is_described(app):
    from app.api.describe import described

    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("moderation_comments_api.")]
    assert {r.rule for r in rules} == {"/api/v1/comments", "/api/v1/comments/<int:item_id>/moderation"}
    for rule in rules:
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            meta = described(app.view_functions[rule.endpoint], method)
            assert meta is not None and meta["tags"] == ["comments"] and meta["auth"] == "staff"
