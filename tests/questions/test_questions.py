"""R-15, R-12, R-17: asking, tracking code, routing, forwarding, answers through the chain, publication."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.questions.models import Answer, Question
from tests.moderation.helpers import form_post
from tests.questions.conftest import ASK

CODE_RE = re.compile(r"HD-\d{4}-[A-HJ-KM-NP-Z2-9]{8}")


def _form(data):
    return {k: ("y" if v is True else ("" if v is False else v)) for k, v in data.items()}


def test_ask_on_the_portal_gives_a_code_on_screen_and_by_email(client_for, smtp_server, load_question):
    """R-15: the form returns a short unguessable tracking code, also emailed; the case waits at the portal."""
    portal = client_for("portal")
    response = form_post(portal, "/questions/ask", "question", _form({**ASK, "target_tenant": "stc"}))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    code = CODE_RE.search(html).group(0)
    question = load_question(code)
    assert question.tenant_id == question.origin_tenant_id  # the portal's board handles it first
    assert question.target_tenant_id is not None and question.consent_at and question.consent_version
    [mail] = smtp_server.messages
    assert mail["to"] == ["dung.pham@example.vn"] and code in mail["subject"] + mail["body"]


def test_ask_on_a_subsite_goes_to_that_agency(client_for, load_question, tenant):
    """R-15: asked on dongxoai, the case is dongxoai's."""
    response = form_post(client_for("dongxoai"), "/questions/ask", "question", _form(ASK))
    code = CODE_RE.search(response.get_data(as_text=True)).group(0)
    assert load_question(code).tenant_id == tenant("dongxoai").id


def test_ask_errors_keep_input(client_for):
    response = form_post(
        client_for("portal"), "/questions/ask", "question", _form({**ASK, "consent": False, "email": "", "phone": ""})
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "consent-error" in html and re.search(r'aria-describedby="[^"]*email-error"', html)
    assert "Thủ tục hoàn thuế thu nhập cá nhân" in html


def test_ask_honeypot_and_rate_limit(app, client_for):
    """R-16: the honeypot refuses; the 6th post in a minute gets 429."""
    portal = client_for("portal")
    assert form_post(portal, "/questions/ask", "question", _form({**ASK, "website": "x"})).status_code == 400
    codes = [form_post(portal, "/questions/ask", "question", _form(ASK)).status_code for _ in range(5)]
    assert codes[-1] == 429 and codes[:4] == [200, 200, 200, 200]


def _staff(app, email):
    from app.auth.operations import find_user

    return find_user(email)


def test_forward_answer_publish_and_notify(app, client_for, make_user, smtp_server, load_question):
    """R-15, R-09: the portal forwards to stc; stc answers through its chain; the asker is told; it is public."""
    portal = client_for("portal")
    code = portal.post("/api/v1/questions", json={**ASK, "target_tenant": "stc"}).get_json()["tracking_code"]
    qid = load_question(code).id
    board = client_for("portal")
    board.login(make_user("editor", "portal"))
    token = board.csrf_token(f"/admin/questions/{qid}")
    assert (
        board.post(
            f"/admin/questions/{qid}/forward",
            data={"csrf_token": token, "agency": "stc", "note": "Đề nghị Sở Tài chính trả lời"},
        ).status_code
        == 302
    )
    assert load_question(code).status == "forwarded"
    assert board.get(f"/admin/questions/{qid}").status_code == 404  # no longer the portal's case
    stc = client_for("stc")
    stc.login(make_user("editor", "stc"))
    assert code in stc.get("/admin/questions/").get_data(as_text=True)
    token = stc.csrf_token(f"/admin/questions/{qid}")
    stc.post(
        f"/admin/questions/{qid}/answer", data={"csrf_token": token, "body": "Thời hạn hoàn thuế là 6 ngày làm việc."}
    )
    assert load_question(code).status == "in_progress"
    # Not public before the head approves.
    assert "6 ngày làm việc" not in portal.get(f"/questions/track/{code}").get_data(as_text=True)
    head = client_for("stc")
    head.login(make_user("head", "stc"))
    with app.app_context():
        answer_id = db.session.execute(select(Answer.id)).scalar_one()
    token = head.csrf_token(f"/admin/review/answer/{answer_id}")
    head.post(f"/admin/review/answer/{answer_id}/transition", data={"csrf_token": token, "action": "approve"})
    assert load_question(code).status == "answered"
    assert any("6 ngày làm việc" in m["body"] and m["to"] == ["dung.pham@example.vn"] for m in smtp_server.messages)
    for page in (
        portal.get(f"/questions/track/{code}"),
        portal.get("/questions/"),
        client_for("stc").get("/questions/"),
    ):
        html = page.get_data(as_text=True)
        assert "6 ngày làm việc" in html
        for personal in ("dung.pham@example.vn", "0911222333", "Phạm Thị Dung", "Phú Cường"):
            assert personal not in html
    api = portal.get(f"/api/v1/questions/{code}").get_json()
    assert api["state"] == "answered" and api["answer"].startswith("Thời hạn")
    listed = portal.get("/api/v1/questions").get_data(as_text=True)
    assert "6 ngày làm việc" in listed and "dung.pham@example.vn" not in listed and "0911222333" not in listed


def test_unpublishable_answer_stays_off_the_list(app, client_for, make_user, load_question):
    """R-15, R-17: without publish_allowed the answer shows on the tracking page only."""
    stc = client_for("stc")
    code = stc.post("/api/v1/questions", json={**ASK, "publish_allowed": False}).get_json()["tracking_code"]
    editor, head, qid = make_user("editor", "stc"), make_user("head", "stc"), load_question(code).id
    with app.test_request_context(base_url="http://stc.localhost"):
        from app.questions.operations import answer
        from app.workflow.operations import transition

        a = answer(db.session.get(Question, qid), "Đã giải quyết.", _staff(app, editor))
        transition(a, "approve", _staff(app, head))
        db.session.commit()
    assert "Đã giải quyết." in stc.get(f"/questions/track/{code}").get_data(as_text=True)
    assert "Đã giải quyết." not in stc.get("/questions/").get_data(as_text=True)
    assert stc.get("/api/v1/questions").get_json()["total"] == 0


def test_tracking_is_per_site_and_case_insensitive(client_for):
    """R-01: another subsite does not know the code; the code is read case-insensitively."""
    stc = client_for("stc")
    code = stc.post("/api/v1/questions", json=ASK).get_json()["tracking_code"]
    assert stc.get(f"/questions/track/{code.lower()}").status_code == 200
    assert client_for("dongxoai").get(f"/questions/track/{code}").status_code == 404
    assert client_for("dongxoai").get(f"/api/v1/questions/{code}").status_code == 404
    track = stc.get(f"/api/v1/questions/{code}").get_json()
    assert set(track) >= {"tracking_code", "state", "answer", "url"}
    assert "email" not in track and "name" not in track and "phone" not in track


def test_api_post_validation(client_for):
    response = client_for("portal").post(
        "/api/v1/questions", json={"kind": "x", "consent": False, "target_tenant": "nope"}
    )
    assert response.status_code == 422
    assert {"kind", "title", "body", "name", "email", "consent", "target_tenant"} <= set(
        response.get_json()["error"]["fields"]
    )


def test_api_post_rate_limit(client_for):
    portal = client_for("portal")
    codes = [portal.post("/api/v1/questions", json=ASK).status_code for _ in range(6)]
    assert codes == [202] * 5 + [429]


def test_inbox_is_tenant_scoped(client_for, make_user, load_question):
    """R-04: dongxoai's staff do not see or open stc's cases."""
    code = client_for("stc").post("/api/v1/questions", json=ASK).get_json()["tracking_code"]
    dx = client_for("dongxoai")
    dx.login(make_user("editor", "dongxoai"))
    assert code not in dx.get("/admin/questions/").get_data(as_text=True)
    assert dx.get(f"/admin/questions/{load_question(code).id}").status_code == 404


def test_erasure_keeps_the_case(client_for, make_user, load_question):
    """R-17: a tenant admin erases the asker's data; the case stays."""
    stc = client_for("stc")
    code = stc.post("/api/v1/questions", json=ASK).get_json()["tracking_code"]
    qid = load_question(code).id
    admin = client_for("stc")
    admin.login(make_user("tenant_admin", "stc"))
    token = admin.csrf_token(f"/admin/questions/{qid}")
    admin.post(f"/admin/questions/{qid}/erase", data={"csrf_token": token})
    q = load_question(code)
    assert q.title == ASK["title"] and q.email == "" and q.name == "" and q.phone == "" and q.erased_at


@pytest.mark.parametrize("role", ["editor", "contributor"])
def test_only_admins_erase(client_for, make_user, load_question, role):
    stc = client_for("stc")
    code = stc.post("/api/v1/questions", json=ASK).get_json()["tracking_code"]
    qid = load_question(code).id
    staff = client_for("stc")
    staff.login(make_user(role, "stc"))
    token = staff.csrf_token(f"/admin/questions/{qid}")
    assert staff.post(f"/admin/questions/{qid}/erase", data={"csrf_token": token}).status_code == 403
    assert load_question(code).email == ASK["email"]


def test_overview_and_overdue(app, client_for, make_user, load_question):
    """R-12: an overdue case is flagged for the agency and on the province admin's overview."""
    code = client_for("stc").post("/api/v1/questions", json=ASK).get_json()["tracking_code"]
    with app.app_context():
        q = db.session.execute(select(Question).where(Question.tracking_code == code)).scalar_one()
        q.due_at = q.received_at - timedelta(days=1)
        db.session.commit()
    stc = client_for("stc")
    stc.login(make_user("head", "stc"))
    assert "overdue" in stc.get("/admin/questions/").get_data(as_text=True)
    assert stc.get("/admin/questions/overview").status_code == 403
    portal = client_for("portal")
    portal.login(make_user("province_admin", "portal"))
    html = portal.get("/admin/questions/overview").get_data(as_text=True)
    assert code in html and "Sở Tài chính" in html
