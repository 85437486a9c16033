"""Issue 12: the staff API of questions (list, staff view, answer, forward) calls the back office's operations."""

import pytest
from sqlalchemy import select

from app.auth.operations import find_user, issue_token
from app.core.models import AuditEvent, Tenant
from app.extensions import db
from app.questions.models import Answer
from tests.questions.conftest import ASK

PERSONAL = ("name", "email", "phone", "address")


@pytest.fixture
def bearer(app, make_user):
    """``bearer("editor", "stc")``: the Authorization header of a new token of that role's user."""

    def make(role, code, email=None):
        address = make_user(role, code, email)
        with app.app_context():
            token = issue_token(find_user(address))
            db.session.commit()
        return {"Authorization": f"Bearer {token}"}

    return make


@pytest.fixture
def ask(client_for):
    """``ask("stc", **changes)``: a question sent to that site's public API; returns its tracking code."""

    def send(code="stc", **changes):
        response = client_for(code).post("/api/v1/questions", json={**ASK, **changes})
        assert response.status_code == 202, response.get_json()
        return response.get_json()["tracking_code"]

    return send


def _answer(client, code, headers, body="<p>Hồ sơ được giải quyết trong 06 ngày làm việc.</p>", **extra):
    return client.post(f"/api/v1/questions/{code}/answer", json={"body": body, **extra}, headers=headers)


def _approve(client, answer_id, headers):
    return client.post(f"/api/v1/answers/{answer_id}/transitions", json={"action": "approve"}, headers=headers)


def test_answer_then_approve_publishes_it_on_the_public_list(client_for, bearer, ask):
    """An editor answers through the API; the head approves with the generic transitions; the public sees it."""
    code = ask("stc")
    stc = client_for("stc")
    written = _answer(stc, code.lower(), bearer("editor", "stc"))
    assert written.status_code == 201, written.get_json()
    answer = written.get_json()
    assert answer["tracking_code"] == code and answer["state"] == "in_review" and answer["revision_of"] is None
    assert written.headers["Location"] == f"/api/v1/answers/{answer['id']}"
    assert stc.get("/api/v1/questions").get_json()["total"] == 0  # not before approval

    approved = _approve(stc, answer["id"], bearer("head", "stc"))
    assert approved.status_code == 201, approved.get_json()
    public = stc.get("/api/v1/questions").get_json()
    assert [item["title"] for item in public["items"]] == [ASK["title"]]
    assert "06 ngày làm việc" in public["items"][0]["answer"]
    assert not set(PERSONAL) & set(public["items"][0])
    tracked = stc.get(f"/api/v1/questions/{code}").get_json()
    assert tracked["state"] == "answered" and "06 ngày" in tracked["answer"]


def test_answer_again_changes_the_draft(client_for, bearer, ask):
    """A draft (``submit: false``) is changed by the next answer, which sends it into review."""
    code = ask("stc")
    stc, editor = client_for("stc"), bearer("editor", "stc")
    first = _answer(stc, code, editor, submit=False).get_json()
    assert first["state"] == "draft"
    second = _answer(stc, code, editor, body="<p>Bản sửa: 05 ngày làm việc.</p>")
    assert second.status_code == 201
    assert second.get_json()["id"] == first["id"] and second.get_json()["state"] == "in_review"
    assert "05 ngày" in second.get_json()["body"]


def test_answer_after_publication_is_a_revision_until_approved(client_for, bearer, ask):
    code = ask("stc")
    stc, editor, head = client_for("stc"), bearer("editor", "stc"), bearer("head", "stc")
    live = _answer(stc, code, editor).get_json()
    _approve(stc, live["id"], head)
    revision = _answer(stc, code, editor, body="<p>Cập nhật: 04 ngày làm việc.</p>").get_json()
    assert revision["revision_of"] == live["id"] and revision["id"] != live["id"]
    assert "06 ngày" in stc.get(f"/api/v1/questions/{code}").get_json()["answer"]  # the live one stays
    assert _approve(stc, live["id"], head).status_code == 201  # the live id acts on its pending revision
    assert "04 ngày" in stc.get(f"/api/v1/questions/{code}").get_json()["answer"]


@pytest.mark.parametrize(
    "role,code,sees_personal",
    [("contributor", "stc", True), ("editor", "stc", True), ("head", "stc", True), ("tenant_admin", "stc", True),
     ("province_admin", "portal", True), ("inspector", "portal", False)],
)  # fmt: skip
def test_staff_list_shows_the_asker_to_those_who_act(client_for, bearer, ask, role, code, sees_personal):
    """R-17: the handling site's staff list its cases; the asker's contact only for those who may act."""
    case = ask("stc", publish_allowed=False)
    response = client_for("stc").get("/api/v1/questions", headers=bearer(role, code))
    assert response.status_code == 200
    items = response.get_json()["items"]
    assert [item["tracking_code"] for item in items] == [case]
    item = items[0]
    assert item["state"] == "received" and item["due_at"] and item["overdue"] is False
    assert item["answer_id"] is None and item["handled_by"] == "stc" and item["asked_on"] == "stc"
    assert (item.get("email") == ASK["email"]) is sees_personal
    assert set(PERSONAL) <= set(item) if sees_personal else not set(PERSONAL) & set(item)
    detail = client_for("stc").get(f"/api/v1/questions/{case}", headers=bearer(role, code)).get_json()
    assert detail["tracking_code"] == case and ("phone" in detail) is sees_personal


def test_staff_list_filters_by_state(client_for, bearer, ask):
    open_case, answered = ask("stc"), ask("stc")
    stc, editor = client_for("stc"), bearer("editor", "stc")
    _approve(stc, _answer(stc, answered, editor).get_json()["id"], bearer("head", "stc"))

    def codes(query):
        response = stc.get(f"/api/v1/questions?{query}", headers=editor)
        assert response.status_code == 200, response.get_json()
        return {item["tracking_code"] for item in response.get_json()["items"]}

    assert codes("") == {open_case, answered}
    assert codes("state=open") == codes("state=received") == {open_case}
    assert codes("state=answered") == {answered}
    assert codes("overdue=true") == set() and codes("overdue=false") == {open_case, answered}
    bad = stc.get("/api/v1/questions?state=lost", headers=editor)
    assert bad.status_code == 400 and "state" in bad.get_json()["error"]["fields"]


def test_forward_hands_the_case_to_the_agency(app, client_for, bearer, ask):
    """The portal's board forwards; the agency's staff see and answer it; the portal's token no longer acts."""
    code = ask("portal", target_tenant="stc")
    portal, stc = client_for("portal"), client_for("stc")
    board = bearer("editor", "portal")
    response = portal.post(
        f"/api/v1/questions/{code}/forward", json={"target_tenant": "stc", "note": "Đề nghị trả lời."}, headers=board
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["forwarded_to"] == "stc" and body["state"] == "forwarded" and "email" not in body

    agency = bearer("editor", "stc")
    listed = stc.get("/api/v1/questions", headers=agency).get_json()["items"]
    assert [(i["tracking_code"], i["asked_on"], i["email"]) for i in listed] == [(code, "portal", ASK["email"])]
    assert stc.get(f"/api/v1/questions/{code}", headers=agency).get_json()["forward_note"] == "Đề nghị trả lời."

    assert portal.get("/api/v1/questions", headers=board).get_json()["total"] == 0
    seen = portal.get(f"/api/v1/questions/{code}", headers=board).get_json()  # the asker's page stays
    assert seen["handled_by"] == "stc" and "email" not in seen
    assert _answer(portal, code, board).status_code == 404
    again = portal.post(f"/api/v1/questions/{code}/forward", json={"target_tenant": "dongxoai"}, headers=board)
    assert again.status_code == 404
    assert _answer(stc, code, agency).status_code == 201
    with app.app_context():
        event = db.session.execute(select(AuditEvent).where(AuditEvent.action == "question.forward")).scalar_one()
        assert event.detail == "portal -> stc"


@pytest.mark.parametrize("target", ["khong-co", "portal", "", None, 5])
def test_forward_to_no_agency_is_422(client_for, bearer, ask, target):
    code = ask("portal")
    response = client_for("portal").post(
        f"/api/v1/questions/{code}/forward", json={"target_tenant": target}, headers=bearer("editor", "portal")
    )
    assert response.status_code == 422 and "target_tenant" in response.get_json()["error"]["fields"]


def test_forward_to_an_inactive_agency_is_422(app, client_for, bearer, ask):
    code = ask("portal")

    def set_active(value):
        with app.app_context():
            db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalar_one().active = value
            db.session.commit()

    set_active(False)
    try:  # the database reset between tests keeps a tenant's state: put it back
        response = client_for("portal").post(
            f"/api/v1/questions/{code}/forward", json={"target_tenant": "stc"}, headers=bearer("editor", "portal")
        )
    finally:
        set_active(True)
    assert response.status_code == 422 and "target_tenant" in response.get_json()["error"]["fields"]


def test_forward_of_an_answered_or_answering_case_is_409(client_for, bearer, ask):
    portal, editor, head = client_for("portal"), bearer("editor", "portal"), bearer("head", "portal")
    answering, answered = ask("portal"), ask("portal")
    _answer(portal, answering, editor)
    answer_id = _answer(portal, answered, editor).get_json()["id"]
    while portal.get(f"/api/v1/questions/{answered}").get_json()["state"] != "answered":  # the portal's chain
        assert _approve(portal, answer_id, head).status_code == 201
    for code in (answering, answered):
        response = portal.post(f"/api/v1/questions/{code}/forward", json={"target_tenant": "stc"}, headers=editor)
        assert response.status_code == 409, response.get_json()


def test_only_the_portal_forwards(client_for, bearer, ask):
    code = ask("stc")
    response = client_for("stc").post(
        f"/api/v1/questions/{code}/forward", json={"target_tenant": "dongxoai"}, headers=bearer("head", "stc")
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "payload,field",
    [({}, "body"), ({"body": ""}, "body"), ({"body": "<p> </p>"}, "body"), ({"body": ["x"]}, "body"),
     ({"body": {"a": 1}}, "body"), ({"body": "<p>Trả lời</p>", "submit": "có"}, "submit")],
)  # fmt: skip
def test_answer_is_validated_before_the_database(app, client_for, bearer, ask, payload, field):
    code = ask("stc")
    response = client_for("stc").post(f"/api/v1/questions/{code}/answer", json=payload, headers=bearer("editor", "stc"))
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"]
    with app.app_context():
        assert db.session.execute(select(Answer)).first() is None


def test_answer_body_over_its_limit_is_413(client_for, bearer, ask):
    code = ask("stc")
    body = "<p>" + "a" * 600_000 + "</p>"
    response = _answer(client_for("stc"), code, bearer("editor", "stc"), body=body)
    assert response.status_code == 413 and response.get_json()["error"]["code"] == "payload_too_large"


def test_answer_needs_a_token_that_writes(client_for, bearer, ask):
    code = ask("stc")
    stc = client_for("stc")
    assert _answer(stc, code, {}).status_code == 401
    assert _answer(stc, code, bearer("inspector", "portal")).status_code == 403


def test_another_sites_token_never_reaches_the_case(client_for, bearer, ask):
    """R-04: dongxoai's staff get 403 on stc's host and 404 for stc's case on their own host."""
    code = ask("stc")
    other = bearer("head", "dongxoai")
    stc, dx = client_for("stc"), client_for("dongxoai")
    assert stc.get("/api/v1/questions", headers=other).status_code == 403
    assert stc.get(f"/api/v1/questions/{code}", headers=other).status_code == 403
    assert _answer(stc, code, other).status_code == 403
    assert dx.get("/api/v1/questions", headers=other).get_json()["total"] == 0
    assert dx.get(f"/api/v1/questions/{code}", headers=other).status_code == 404
    assert _answer(dx, code, other).status_code == 404
    assert _answer(dx, "HD-2026-KHONGCO1", other).status_code == 404


def test_every_question_endpoint_is_described(app):
    from app.api.describe import described

    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("questions_api."):
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                meta = described(app.view_functions[rule.endpoint], method)
                assert meta is not None and meta["tags"] == ["questions"], (rule.rule, method)
                if method == "POST":
                    assert meta["body"] is not None and meta["example"] and meta["max_body"], rule.rule
