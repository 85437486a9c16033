"""R-15, R-16, R-17: one input path for questions (the form and the API refuse the same fields by the same
rules), answers as rich text, and an answer the asker did not let publish has no public place."""

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.questions.models import Answer, Question
from tests.moderation.helpers import form_post
from tests.questions.conftest import ASK

BAD_INPUTS = [
    pytest.param({"title": " "}, id="blank-title"),
    pytest.param({"name": ""}, id="blank-name"),
    pytest.param({"email": "dung@@example.vn"}, id="email-two-at"),
    pytest.param({"email": "dung pham@example.vn"}, id="email-space"),
    pytest.param({"kind": "complaint"}, id="unknown-kind"),
    pytest.param({"target_tenant": "portal"}, id="the-portal-is-no-agency"),
    pytest.param({"target_tenant": "nope"}, id="unknown-agency"),
    pytest.param({"address": "a" * 501}, id="address-too-long"),
    pytest.param({"topic": "t" * 201}, id="topic-too-long"),
    pytest.param({"consent": False}, id="no-consent"),
]


def _form(data):
    return {k: ("y" if v is True else ("" if v is False else v)) for k, v in data.items()}


@pytest.mark.parametrize("bad", BAD_INPUTS)
def test_form_and_api_refuse_the_same_fields(client_for, bad):
    """The form and ``POST /api/v1/questions`` load one schema: the same fields are refused."""
    portal = client_for("portal")
    page = form_post(portal, "/questions/ask", "question", _form({**ASK, **bad}))
    api = portal.post("/api/v1/questions", json={**ASK, **bad})
    assert page.status_code == 422 and api.status_code == 422
    assert set(re.findall(r'id="([a-z_]+)-error"', page.get_data(as_text=True))) == set(bad)
    assert set(api.get_json()["error"]["fields"]) == set(bad)
    with client_for("portal").app.app_context():
        assert db.session.execute(select(Question.id)).first() is None


def test_form_messages_speak_to_people(client_for):
    html = form_post(
        client_for("portal"),
        "/questions/ask?lang=en",
        "question",
        _form({**ASK, "email": "", "phone": "", "title": "", "consent": False}),
    ).get_data(as_text=True)
    for message in (
        "Enter an email address or a phone number: the tracking code and the answer are sent by email, or we call you.",
        "Give your question a title.",
        "Your consent is needed to send the question.",
    ):
        assert message in html


def _answer(app, make_user, code, body):
    from app.auth.operations import find_user
    from app.questions.operations import answer
    from app.workflow.operations import transition

    editor, head = make_user("editor", "stc"), make_user("head", "stc")
    with app.test_request_context(base_url="http://stc.localhost"):
        question = db.session.execute(select(Question).where(Question.tracking_code == code)).scalar_one()
        item = answer(question, body, find_user(editor))
        transition(item, "approve", find_user(head))
        db.session.commit()
        return item.id


def test_an_unpublishable_answer_is_not_found_by_search(app, client_for, make_user):
    """R-17: without ``publish_allowed`` the case has no public place: not in search, its title included."""
    stc = client_for("stc")
    ask = {**ASK, "publish_allowed": False, "title": "Hỏi riêng về hồ sơ đất zkq"}
    code = stc.post("/api/v1/questions", json=ask).get_json()["tracking_code"]
    _answer(app, make_user, code, "Hồ sơ đã được giải quyết zkq.")
    assert "Hỏi riêng về hồ sơ đất" not in stc.get("/search?q=zkq").get_data(as_text=True)
    assert stc.get("/api/v1/search?q=zkq").get_json()["total"] == 0
    assert "Hồ sơ đã được giải quyết zkq." in stc.get(f"/questions/track/{code}").get_data(as_text=True)


def test_a_published_answer_is_found_on_the_list(app, client_for, make_user):
    stc = client_for("stc")
    code = stc.post("/api/v1/questions", json={**ASK, "title": "Hỏi về lệ phí zkw"}).get_json()["tracking_code"]
    _answer(app, make_user, code, "Lệ phí là 0,5%.")
    [hit] = stc.get("/api/v1/search?q=zkw").get_json()["items"]
    assert hit["url"].startswith("http://stc.localhost/questions/#question-")


def test_the_answer_is_rich_text_shown_safe_and_mailed_as_text(app, client_for, make_user, smtp_server):
    """The answer's markup is sanitised, shown as HTML on the public pages, and mailed as plain lines."""
    stc = client_for("stc")
    code = stc.post("/api/v1/questions", json=ASK).get_json()["tracking_code"]
    answer_id = _answer(app, make_user, code, "<p>Dòng một</p><p>Dòng <strong>hai</strong></p><script>x()</script>")
    with app.app_context():
        assert db.session.get(Answer, answer_id).body == "<p>Dòng một</p><p>Dòng <strong>hai</strong></p>"
    assert "<strong>hai</strong>" in stc.get(f"/questions/track/{code}").get_data(as_text=True)
    [mail] = [m for m in smtp_server.messages if "Dòng một" in m["body"]]
    assert "Dòng một\nDòng hai" in mail["body"].replace("\r\n", "\n") and "<p>" not in mail["body"]


def test_a_plain_answer_keeps_its_lines_in_the_email(app, client_for, make_user, smtp_server):
    stc = client_for("stc")
    code = stc.post("/api/v1/questions", json=ASK).get_json()["tracking_code"]
    _answer(app, make_user, code, "Dòng một\nDòng hai")
    [mail] = [m for m in smtp_server.messages if "Dòng một" in m["body"]]
    assert "Dòng một\nDòng hai" in mail["body"].replace("\r\n", "\n")


def test_editing_a_live_answer_keeps_its_question(app, client_for, make_user):
    """The revision copy of a published answer answers the same question (a declared field)."""
    from app.auth.operations import find_user
    from app.workflow.operations import start_revision

    code = client_for("stc").post("/api/v1/questions", json=ASK).get_json()["tracking_code"]
    answer_id = _answer(app, make_user, code, "Đã trả lời.")
    with app.test_request_context(base_url="http://stc.localhost"):
        live = db.session.get(Answer, answer_id)
        copy = start_revision(live, find_user(make_user("editor", "stc")))
        db.session.commit()
        assert copy.id != live.id and copy.question_id == live.question_id
