"""R-14, R-16, R-17: one input path for comments: the form and the API refuse the same fields by the same
rules (one email rule), and what is stored is clean whichever way it came."""

import io
import re
import unicodedata

import pytest

from app.extensions import db
from tests.moderation.helpers import form_post

FORM = "consultation-comment"
GOOD = {
    "name": "Nguyễn Văn An",
    "email": "an.nguyen@example.vn",
    "phone": "0912345678",
    "organisation": "",
    "body": "Đề nghị giảm mức phí cho học sinh.",
}
BAD_INPUTS = [
    pytest.param({"name": "  "}, id="blank-name"),
    pytest.param({"email": "an@@example.vn"}, id="email-two-at"),
    pytest.param({"email": "an nguyen@example.vn"}, id="email-space"),
    pytest.param({"email": "an@example"}, id="email-no-domain"),
    pytest.param({"body": "x" * 10001}, id="body-too-long"),
    pytest.param({"phone": "1" * 51}, id="phone-too-long"),
    pytest.param({"organisation": "o" * 301}, id="organisation-too-long"),
    pytest.param({"consent": False}, id="no-consent"),
    pytest.param({"section_id": "999999"}, id="unknown-section"),
]


def _form(data):
    return {k: ("y" if v is True else ("" if v is False else v)) for k, v in data.items()}


def _form_errors(response):
    return set(re.findall(r'id="([a-z_]+)-error"', response.get_data(as_text=True)))


@pytest.mark.parametrize("bad", BAD_INPUTS)
def test_form_and_api_refuse_the_same_fields(client_for, make_consultation, comments, bad):
    """The web form and ``POST /api/v1/consultations/<id>/comments`` load one schema: same refusals."""
    cid = make_consultation("stc")
    stc = client_for("stc")
    page = form_post(stc, f"/consultations/{cid}", FORM, _form({**GOOD, "consent": True, **bad}))
    api = stc.post(f"/api/v1/consultations/{cid}/comments", json={**GOOD, "consent": True, **bad})
    assert page.status_code == 422 and api.status_code == 422
    assert _form_errors(page) == set(api.get_json()["error"]["fields"]) == set(bad)
    assert comments(cid) == []


def test_messages_are_worded_per_channel(client_for, make_consultation):
    """The API keeps its short English messages; the form speaks to people, in their language."""
    cid = make_consultation("stc")
    stc = client_for("stc")
    bad = {**GOOD, "name": "", "email": "an@@example.vn", "consent": False}
    fields = stc.post(f"/api/v1/consultations/{cid}/comments", json=bad).get_json()["error"]["fields"]
    assert fields == {
        "name": "Required.",
        "email": "Not a valid email address.",
        "consent": "Consent to the stated use of personal data is required (true).",
    }
    html = form_post(stc, f"/consultations/{cid}?lang=en", FORM, _form(bad)).get_data(as_text=True)
    for message in (
        "Enter your name.",
        "Enter a valid email address, like name@example.vn.",
        "Your consent is needed to send the comment.",
    ):
        assert message in html


def test_stored_comment_is_clean(client_for, make_consultation, comments):
    """Whatever the path, text is stored in NFC without surrounding spaces and the email in its normal form."""
    cid = make_consultation("stc")
    stc = client_for("stc")
    decomposed = unicodedata.normalize("NFD", "  Trần Thị Bình ")
    payload = {**GOOD, "name": decomposed, "email": " Binh.Tran@Example.VN ", "consent": True}
    assert stc.post(f"/api/v1/consultations/{cid}/comments", json=payload).status_code == 202
    assert form_post(stc, f"/consultations/{cid}", FORM, _form(payload)).status_code == 302
    for c in comments(cid):
        assert c.name == "Trần Thị Bình" and c.email == "binh.tran@example.vn"


def test_the_draft_as_a_whole_is_section_zero_or_nothing(client_for, make_consultation, comments):
    cid = make_consultation("stc")
    stc = client_for("stc")
    for section in (0, "0", "", None):
        payload = {**GOOD, "consent": True, "section_id": section}
        assert stc.post(f"/api/v1/consultations/{cid}/comments", json=payload).status_code == 202
    assert {c.section_id for c in comments(cid)} == {None}


def test_a_comments_attachment_is_a_use_of_the_file(app, client_for, make_user, make_consultation, comments):
    """R-05, R-17: a file a visitor attached cannot be deleted from the library while the comment holds it."""
    from app.media.models import MediaFile

    cid = make_consultation("stc")
    stc = client_for("stc")
    pdf = (io.BytesIO(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"), "gop-y.pdf")
    data = {**_form({**GOOD, "consent": True}), "attachment": pdf}
    assert form_post(stc, f"/consultations/{cid}", FORM, data, content_type="multipart/form-data").status_code == 302
    [comment] = comments(cid)
    admin = client_for("stc")
    admin.login(make_user("tenant_admin", "stc"))
    page = admin.get(f"/admin/media/{comment.attachment_id}").get_data(as_text=True)
    assert f"/admin/comments/?consultation={cid}" in page
    token = admin.csrf_token(f"/admin/media/{comment.attachment_id}")
    admin.post(f"/admin/media/{comment.attachment_id}/delete", data={"csrf_token": token})
    with app.app_context():
        assert db.session.get(MediaFile, comment.attachment_id) is not None


def test_editing_a_live_outcome_keeps_its_consultation(app, make_consultation, make_user):
    """The revision copy of a published outcome belongs to the same consultation (a declared field)."""
    from app.auth.operations import find_user
    from app.consultations.models import Consultation, Outcome
    from app.workflow.models import ReviewState
    from app.workflow.operations import start_revision

    cid = make_consultation("stc", opens=-20, closes=-1)
    editor = make_user("editor", "stc")
    with app.test_request_context(base_url="http://stc.localhost"):
        outcome = Outcome(
            tenant_id=db.session.get(Consultation, cid).tenant_id,
            consultation_id=cid,
            title="Báo cáo tiếp thu",
            summary="Tiếp thu.",
            state=ReviewState.PUBLISHED,
        )
        db.session.add(outcome)
        db.session.commit()
        copy = start_revision(outcome, find_user(editor))
        db.session.commit()
        assert copy.id != outcome.id and copy.consultation_id == cid
