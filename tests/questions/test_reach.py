"""Issue 16: people reach the agency by email or by phone, and follow any case from the portal."""

import re

import pytest

from tests.moderation.helpers import form_post
from tests.questions.conftest import ASK

CONTACT_MESSAGE = "Enter an email address or a phone number"


def _form(data):
    return {k: ("y" if v is True else ("" if v is False else v)) for k, v in data.items()}


@pytest.mark.parametrize("contact", [{"email": ""}, {"phone": ""}], ids=["phone-only", "email-only"])
def test_a_question_with_a_phone_or_an_email_is_received(client_for, load_question, contact):
    """The form and the API take a question with only a phone number, or only an email address."""
    portal = client_for("portal")
    page = form_post(portal, "/questions/ask", "question", _form({**ASK, **contact}))
    assert page.status_code == 200
    code = re.search(r'class="tracking-code">([^<]+)<', page.get_data(as_text=True)).group(1)
    assert load_question(code) is not None
    api = portal.post("/api/v1/questions", json={**ASK, **contact})
    assert api.status_code == 202, api.get_json()


def test_a_question_without_email_or_phone_says_what_is_missing(client_for):
    """Neither: refused on the email field, with a message that names both ways (form and API)."""
    portal = client_for("portal")
    page = form_post(portal, "/questions/ask?lang=en", "question", _form({**ASK, "email": "", "phone": ""}))
    html = page.get_data(as_text=True)
    assert page.status_code == 422
    assert re.search(r'<p class="error" id="email-error">' + CONTACT_MESSAGE, html)
    api = portal.post("/api/v1/questions", json={**ASK, "email": "", "phone": ""})
    assert api.status_code == 422
    assert "phone" in api.get_json()["error"]["fields"]["email"]


def test_an_invalid_email_is_still_refused_as_such(client_for):
    page = form_post(
        client_for("portal"), "/questions/ask?lang=en", "question", _form({**ASK, "email": "a@@b", "phone": ""})
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and "Enter a valid email address" in html and CONTACT_MESSAGE not in html


def test_the_portal_tracking_page_finds_a_subsite_case(client_for):
    """A case asked on a subsite is found on the portal's tracking page (the province's one door)."""
    code = client_for("stc").post("/api/v1/questions", json=ASK).get_json()["tracking_code"]
    portal = client_for("portal")
    page = portal.get(f"/questions/track/{code}")
    assert page.status_code == 200 and ASK["title"] in page.get_data(as_text=True)
    assert portal.get(f"/questions/track/{code.lower()}").status_code == 200
    lookup = portal.get(f"/questions/track?code={code}", follow_redirects=True)
    assert lookup.status_code == 200 and ASK["title"] in lookup.get_data(as_text=True)
    # Another subsite is no door to it.
    assert client_for("dongxoai").get(f"/questions/track/{code}").status_code == 404
    assert portal.get("/questions/track/KHONG-CO-MA").status_code == 404
