"""Emails are plain text with single-line headers (R-25, R-15): a visitor's CR/LF or markup cannot add a header."""

from email import message_from_bytes, policy

from sqlalchemy import select

from app.extensions import db
from app.questions.models import Question
from tests.questions.conftest import ASK

HOSTILE_TITLE = "Hoàn thuế\r\nBcc: ke-xau@evil.example\r\nContent-Type: text/html\r\n\r\n<b>chen</b>"
HOSTILE_BODY = '<a href="https://evil.example/">Bấm vào đây</a> <script>alert(1)</script>'


def _headers(raw):
    """Header lines of a raw message (unfolded), before the blank line."""
    head = raw.split(b"\r\n\r\n", 1)[0].decode()
    return [line for line in head.replace("\r\n ", " ").replace("\r\n\t", " ").split("\r\n")]


def test_a_visitors_line_breaks_and_markup_stay_in_the_text(app, client_for, make_user, smtp_server):
    """R-25, R-15: the receipt to the asker and the forwarding mail to staff keep one Subject line, no Bcc,
    only text/plain, and the visitor's markup is text in the body."""
    portal = client_for("portal")
    answer = portal.post("/api/v1/questions", json={**ASK, "title": HOSTILE_TITLE, "body": HOSTILE_BODY})
    assert answer.status_code == 202, answer.get_json()
    with app.app_context():
        question = db.session.execute(select(Question)).scalars().one()
    board = client_for("portal")
    board.login(make_user("editor", "portal"))
    staff = make_user("editor", "stc")
    path = f"/admin/questions/{question.id}"
    forwarded = board.post(f"{path}/forward", data={"csrf_token": board.csrf_token(path), "agency": "stc"})
    assert forwarded.status_code == 302
    assert len(smtp_server.messages) == 2
    for mail in smtp_server.messages:
        assert mail["to"] and not any("evil.example" in address for address in mail["to"]), mail["to"]
        lines = _headers(mail["raw"])
        names = [line.split(":", 1)[0].lower() for line in lines]
        assert "bcc" not in names and names.count("subject") == 1 and names.count("content-type") == 1
        message = message_from_bytes(mail["raw"], policy=policy.default)
        assert message.get_content_type() == "text/plain" and not message.is_multipart()
        assert "\n" not in message["Subject"] and "\r" not in message["Subject"]
    to_staff = next(m for m in smtp_server.messages if staff in m["to"])
    assert "Hoàn thuế Bcc: ke-xau@evil.example" in to_staff["subject"]
    assert "<b>chen</b>" in to_staff["body"]


def test_an_address_with_a_line_break_is_never_a_recipient(app, smtp_server):
    """R-25: send_mail leaves out an address carrying CR/LF or a second address; the others still get it."""
    from app.core.mail import send_mail

    with app.app_context():
        sent = send_mail(
            ["to@example.vn", "x@example.vn\r\nBcc: ke-xau@evil.example", "a@example.vn, b@evil.example"],
            "Tiêu đề\nBcc: ke-xau@evil.example",
            "Nội dung",
            reply_to="r@example.vn\r\nBcc: ke-xau@evil.example",
        )
    assert sent
    [mail] = smtp_server.messages
    assert mail["to"] == ["to@example.vn"]
    names = [line.split(":", 1)[0].lower() for line in _headers(mail["raw"])]
    assert "bcc" not in names and "reply-to" not in names
    assert mail["subject"] == "Tiêu đề Bcc: ke-xau@evil.example"
