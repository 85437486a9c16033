"""Issue 16: a comment reaches the agency with an email address or a phone number; one of them is needed."""

from tests.consultations.test_public import FORM as COMMENT_FORM
from tests.consultations.test_public import PERSON
from tests.moderation.helpers import form_post

CONTACT_MESSAGE = "Enter an email address or a phone number"


def test_a_comment_with_a_phone_only_is_received(client_for, make_consultation, comments):
    cid = make_consultation("stc")
    response = form_post(client_for("stc"), f"/consultations/{cid}", COMMENT_FORM, {**PERSON, "email": ""})
    assert response.status_code == 302
    [comment] = comments(cid)
    assert comment.email == "" and comment.phone == PERSON["phone"]


def test_a_comment_without_email_or_phone_is_refused(client_for, make_consultation, comments):
    cid = make_consultation("stc")
    response = form_post(
        client_for("stc"), f"/consultations/{cid}?lang=en", COMMENT_FORM, {**PERSON, "email": "", "phone": ""}
    )
    assert response.status_code == 422 and CONTACT_MESSAGE in response.get_data(as_text=True)
    assert comments(cid) == []
