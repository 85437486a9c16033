"""Form feedback where the eye is (issue 16): after a refused comment or question the page opens at the form's error
summary, focused; after a sent comment the thank-you stands in place of the form. On a phone, without JavaScript
(the browser's own fragment scrolling and ``autofocus`` do it), and the pages stay valid and accessible."""

import json
import re
import subprocess

import pytest
from playwright.sync_api import expect

from tests.e2e.test_participation import _consultation, quick_forms  # noqa: F401  (fixture)
from tests.e2e.test_phone import PHONE
from tests.e2e.test_standards import AXE, VNU


@pytest.fixture
def no_js_phone(browser):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10000)
    yield page
    context.close()


def _focused_id(page):
    return page.evaluate("() => document.activeElement && document.activeElement.id")


def _fill_comment(page, body):
    page.locator("#name").fill("Trần Thị Bình")
    page.locator("#phone").fill("0977000222")
    page.locator("#body").fill(body)
    page.locator("#consent").check()
    page.locator("#comment-form button[type=submit]").click()


def test_a_refused_comment_opens_at_its_focused_error_summary(app, live_server, no_js_phone, quick_forms):  # noqa: F811
    cid, _ = _consultation(app)
    page = no_js_phone
    page.goto(live_server.url("stc", f"/consultations/{cid}?lang=en"))
    _fill_comment(page, "")
    assert page.url.endswith("#form-errors")
    summary = page.locator("#comment-form #form-errors")
    expect(summary).to_be_in_viewport()
    expect(summary).to_contain_text("Write your comment.")
    assert _focused_id(page) == "form-errors"
    # Each refusal links to its field, and what was typed is kept.
    expect(summary.locator('a[href="#body"]')).to_have_count(1)
    expect(page.locator("#name")).to_have_value("Trần Thị Bình")


def test_a_sent_comment_is_thanked_in_place_of_the_form(app, live_server, no_js_phone, quick_forms):  # noqa: F811
    cid, _ = _consultation(app)
    page = no_js_phone
    page.goto(live_server.url("stc", f"/consultations/{cid}?lang=en"))
    _fill_comment(page, "Đề nghị bổ sung quy định về xe đạp.")
    assert page.url.endswith("#comment-sent")
    assert _focused_id(page) == "comment-sent"
    thanks = page.locator("#comment-form .notice-sent")
    expect(thanks).to_be_in_viewport()
    expect(thanks).to_contain_text("awaiting moderation")
    expect(page.locator("#comment-form form")).to_have_count(0)
    expect(page.locator(".flashes")).to_have_count(0)  # said once, where the form was
    # "Send another comment" brings the form back.
    thanks.get_by_role("link").click()
    expect(page.locator("#comment-form form")).to_have_count(1)


def test_a_refused_question_opens_at_its_focused_error_summary(live_server, no_js_phone, quick_forms):  # noqa: F811
    page = no_js_phone
    page.goto(live_server.url("portal", "/questions/ask?lang=en"))
    page.locator("#title").fill("Hỏi về lệ phí")
    page.locator("#name").fill("Lê Văn Cường")
    page.locator("form.participation-form button[type=submit]").click()
    assert page.url.endswith("#form-errors")
    summary = page.locator("#form-errors")
    expect(summary).to_be_in_viewport()
    expect(summary).to_contain_text("Enter an email address or a phone number")
    assert _focused_id(page) == "form-errors"


def test_feedback_pages_are_valid_and_accessible(app, client_for, live_server, page, tmp_path, quick_forms):  # noqa: F811
    """The refused form and the thank-you pass the Nu checker and axe-core (autofocus on the summary included)."""
    from tests.moderation.helpers import form_post

    cid, _ = _consultation(app)
    stc = client_for("stc")
    person = {"name": "A", "email": "", "phone": "0912", "body": "", "consent": "y"}
    refused = form_post(stc, f"/consultations/{cid}", "consultation-comment", person).get_data()
    form_post(stc, f"/consultations/{cid}", "consultation-comment", {**person, "body": "Ý kiến."})
    thanked = stc.get(f"/consultations/{cid}").get_data()
    asked = form_post(client_for("portal"), "/questions/ask", "question", {"title": ""}).get_data()
    files = []
    for name, html in (("refused", refused), ("thanked", thanked), ("asked", asked)):
        assert b"form-errors" in html or b"notice-sent" in html, name
        (tmp_path / f"{name}.html").write_bytes(html)
        files.append(str(tmp_path / f"{name}.html"))
    result = subprocess.run(
        ["java", "-jar", VNU, "--format", "json", "--exit-zero-always", *files], capture_output=True, text=True
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    assert [m for m in messages if m["type"] == "error"] == []
    page.goto(live_server.url("stc", f"/consultations/{cid}"))
    page.locator("#body").fill("")
    page.locator("#name").fill("A")
    page.locator("#consent").check()
    page.locator("#comment-form button[type=submit]").click()
    expect(page.locator("#form-errors")).to_be_visible()
    page.add_script_tag(path=AXE)
    found = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    assert [v["id"] for v in found["violations"]] == []
    assert re.search(r"#form-errors$", page.url)
