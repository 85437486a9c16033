"""The review engine through the JSON API: transitions, history, inbox (R-09, R-04)."""

import pytest

from app.auth.operations import issue_token
from app.extensions import db


@pytest.fixture
def token(users):
    def make(name):
        plain = issue_token(users[name])
        db.session.commit()
        return {"Authorization": f"Bearer {plain}"}

    return make


def post(client, article_id, headers, action, comment=""):
    return client.post(
        f"/api/v1/articles/{article_id}/transitions", json={"action": action, "comment": comment}, headers=headers
    )


def test_submit_approve_and_history_through_the_api(client_for, make_article, token):
    """R-09: staff move an item through the chain with tokens; history lists every step."""
    a = make_article()
    c = client_for("stc")
    submitted = post(c, a.id, token("contributor"), "submit")
    assert submitted.status_code == 201 and submitted.json["transition"]["to"] == "in_review"
    inbox = c.get("/api/v1/inbox", headers=token("head")).json
    assert [i["id"] for i in inbox["items"]] == [a.id] and inbox["items"][0]["collection"] == "articles"
    assert c.get("/api/v1/inbox", headers=token("contributor")).json["total"] == 0
    approved = post(c, a.id, token("head"), "approve", "Đồng ý đăng")
    assert approved.status_code == 201 and approved.json["item"]["state"] == "published"
    history = c.get(f"/api/v1/articles/{a.id}/history", headers=token("head")).json["items"]
    assert [(h["action"], h["from"], h["to"]) for h in history] == [
        ("submit", "draft", "in_review"),
        ("approve", "in_review", "published"),
    ]
    assert history[1]["comment"] == "Đồng ý đăng" and history[1]["at"].endswith("+07:00")


def test_api_refusals_use_the_error_format(client_for, make_article, token):
    """R-09: wrong role 403, wrong state 409, missing comment 422, unknown action 422, no token 401."""
    a = make_article()
    c = client_for("stc")
    assert post(c, a.id, {}, "submit").status_code == 401
    wrong_state = post(c, a.id, token("head"), "approve")
    assert wrong_state.status_code == 409 and wrong_state.json["error"]["code"] == "conflict"
    post(c, a.id, token("contributor"), "submit")
    wrong_role = post(c, a.id, token("contributor"), "approve")
    assert wrong_role.status_code == 403 and wrong_role.json["error"]["code"] == "forbidden"
    no_comment = post(c, a.id, token("head"), "reject")
    assert no_comment.status_code == 422 and no_comment.json["error"]["fields"] == {"comment": "required"}
    assert post(c, a.id, token("head"), "explode").status_code == 422
    bad_body = c.post(f"/api/v1/articles/{a.id}/transitions", data="nope", headers=token("head"))
    assert bad_body.status_code == 400 and bad_body.is_json


def test_other_tenants_items_do_not_exist_through_the_api(client_for, make_article, token):
    """R-04: an stc item is 404 on dongxoai even for dongxoai's head; the inspector cannot act."""
    a = make_article()
    dx = client_for("dongxoai")
    assert post(dx, a.id, token("dx_head"), "submit").status_code == 404
    assert dx.get(f"/api/v1/articles/{a.id}/history", headers=token("dx_head")).status_code == 404
    assert post(client_for("stc"), a.id, token("dx_head"), "submit").status_code == 403
    inspector = post(client_for("stc"), a.id, token("inspector"), "submit")
    assert inspector.status_code == 403
    assert client_for("stc").get(f"/api/v1/articles/{a.id}/history", headers=token("inspector")).status_code == 200
