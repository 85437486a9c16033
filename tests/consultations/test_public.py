"""R-14, R-16, R-17: consultation pages, the comment form, moderation before publication, closing."""

import io
import re

from tests.moderation.helpers import form_post

FORM = "consultation-comment"
PERSON = {
    "name": "Nguyễn Văn An",
    "organisation": "",
    "email": "an.nguyen@example.vn",
    "phone": "0912345678",
    "body": "Đề nghị giảm mức phí cho học sinh, sinh viên.",
    "consent": "y",
}


def test_list_and_detail(client_for, make_consultation):
    """R-14: the list shows the open draft; the detail has sections, deadline, address, email and the form."""
    cid = make_consultation("stc")
    stc = client_for("stc")
    html = stc.get("/consultations/").get_data(as_text=True)
    assert f"/consultations/{cid}" in html
    page = stc.get(f"/consultations/{cid}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for text in ("Điều 2", "gopy@stc.binhphuoc.gov.vn", "Trần Hưng Đạo", 'name="consent"', 'name="website"'):
        assert text in html
    assert "5 " in html or "4 " in html  # days left


def test_portal_lists_open_consultations_of_every_tenant(client_for, make_consultation):
    """R-14: the portal lists every site's open drafts, soonest deadline first, linked to their host."""
    late = make_consultation("stc", closes=20, title="Dự thảo A của Sở Tài chính")
    soon = make_consultation("dongxoai", closes=3, title="Dự thảo B của Đồng Xoài")
    make_consultation("snnptnt", opens=-10, closes=-1, title="Dự thảo đã đóng")
    html = client_for("portal").get("/consultations/").get_data(as_text=True)
    assert html.index(f"http://dongxoai.localhost/consultations/{soon}") < html.index(
        f"http://stc.localhost/consultations/{late}"
    )
    assert "Dự thảo đã đóng" not in html
    assert "UBND thị xã Đồng Xoài" in html


def test_other_tenants_consultation_is_404(client_for, make_consultation):
    """R-01: a consultation is served only on its own host."""
    cid = make_consultation("stc")
    assert client_for("dongxoai").get(f"/consultations/{cid}").status_code == 404


def test_draft_consultation_is_not_public(client_for, make_consultation):
    """R-09: an unapproved consultation is not visible."""
    from app.workflow.models import ReviewState

    cid = make_consultation("stc", state=ReviewState.IN_REVIEW)
    assert client_for("stc").get(f"/consultations/{cid}").status_code == 404


def test_comment_is_held_for_moderation(client_for, make_consultation, section_id, comments):
    """R-14, R-16, R-17: the comment is stored pending with consent; it is not shown before moderation."""
    cid = make_consultation("stc")
    stc = client_for("stc")
    sid = section_id(cid, "Điều 2")
    response = form_post(stc, f"/consultations/{cid}", FORM, {**PERSON, "section_id": str(sid)}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "awaiting moderation" in html or "chờ kiểm duyệt" in html
    assert "Đề nghị giảm mức phí" not in html
    [c] = comments(cid)
    assert c.status == "pending" and c.section_id == sid
    assert c.consent_at is not None and c.consent_version


def test_published_comment_shows_no_personal_data(client_for, make_consultation, section_id, comments, publish_all):
    """R-17: a published comment appears under its section without email or phone."""
    cid = make_consultation("stc")
    stc = client_for("stc")
    form_post(stc, f"/consultations/{cid}", FORM, {**PERSON, "section_id": str(section_id(cid, "Điều 2"))})
    publish_all(cid)
    html = stc.get(f"/consultations/{cid}").get_data(as_text=True)
    assert "Đề nghị giảm mức phí" in html
    assert "Nguyễn Văn An" in html
    assert "an.nguyen@example.vn" not in html and "0912345678" not in html
    section2 = html[html.index(f'id="section-{section_id(cid, "Điều 2")}"') :]
    assert section2.index("Đề nghị giảm mức phí") < section2.index("</article>")


def test_validation_errors_keep_input(client_for, make_consultation, comments):
    """R-14: missing fields give errors next to them and keep what the visitor typed; nothing is stored."""
    cid = make_consultation("stc")
    response = form_post(
        client_for("stc"), f"/consultations/{cid}", FORM, {**PERSON, "email": "not-an-email", "consent": ""}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r'aria-describedby="[^"]*email-error"', html) and "consent-error" in html
    assert "Đề nghị giảm mức phí" in html
    assert comments(cid) == []


def test_closed_consultation_has_no_form_and_refuses_posts(client_for, make_consultation, comments):
    """R-14: after closes_at the form is gone and a post is refused with a clear message."""
    cid = make_consultation("stc", opens=-10, closes=-1)
    stc = client_for("stc")
    html = stc.get(f"/consultations/{cid}").get_data(as_text=True)
    assert 'name="body"' not in html
    token = stc.csrf_token("/login")  # the closed page has no form to take a token from
    response = stc.post(f"/consultations/{cid}", data={**PERSON, "csrf_token": token})
    assert response.status_code == 409
    assert "Đã hết thời gian lấy ý kiến" in response.get_data(as_text=True)
    assert comments(cid) == []


def test_honeypot_and_fast_posts_are_refused(client_for, make_consultation, comments):
    """R-16: the honeypot and the minimum fill time refuse automated posts with a clear page."""
    cid = make_consultation("stc")
    stc = client_for("stc")
    r1 = form_post(stc, f"/consultations/{cid}", FORM, {**PERSON, "website": "http://spam.example"})
    r2 = form_post(stc, f"/consultations/{cid}", FORM, PERSON, seconds_ago=0)
    assert r1.status_code == 400 and r2.status_code == 400
    assert 'role="alert"' in r2.get_data(as_text=True)
    assert comments(cid) == []


def test_rate_limit_per_address(app, client_for, make_consultation):
    """R-16: more than the configured posts per minute from one address get 429."""
    cid = make_consultation("stc")
    stc = client_for("stc")
    app.config["PARTICIPATION_RATE_LIMIT"] = "2/minute"
    try:
        codes = []
        for _ in range(3):
            codes.append(form_post(stc, f"/consultations/{cid}", FORM, PERSON).status_code)
            stc.get(f"/consultations/{cid}")  # the thank-you, shown once in place of the form
    finally:
        app.config["PARTICIPATION_RATE_LIMIT"] = "5/minute;30/day"
    assert codes[:2] == [302, 302] and codes[2] == 429


def test_attachment_upload(client_for, make_consultation, comments):
    """R-14: a PDF attachment is stored; a script is refused next to the field."""
    cid = make_consultation("stc")
    stc = client_for("stc")
    pdf = (io.BytesIO(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"), "gop-y.pdf")
    ok = form_post(
        stc, f"/consultations/{cid}", FORM, {**PERSON, "attachment": pdf}, content_type="multipart/form-data"
    )
    assert ok.status_code == 302
    assert comments(cid)[0].attachment_id is not None
    stc.get(f"/consultations/{cid}")  # the thank-you, shown once in place of the form
    bad = (io.BytesIO(b"<html><script>alert(1)</script></html>"), "x.html")
    refused = form_post(
        stc, f"/consultations/{cid}", FORM, {**PERSON, "attachment": bad}, content_type="multipart/form-data"
    )
    assert refused.status_code == 422
    assert "attachment-error" in refused.get_data(as_text=True)


def test_word_filter_flags_but_keeps(app, client_for, make_consultation, comments, tenant):
    """R-16: a comment with a listed word is stored with its hits for the moderator, not dropped."""
    from app.extensions import db
    from app.moderation.models import FilterTerm

    db.session.add(FilterTerm(tenant_id=tenant("portal").id, term="lừa đảo", is_global=True))
    db.session.commit()
    cid = make_consultation("stc")
    form_post(client_for("stc"), f"/consultations/{cid}", FORM, {**PERSON, "body": "Đây là L.U.A D.A.O!"})
    [c] = comments(cid)
    assert c.filter_hits == ["lừa đảo"] and c.status == "pending"
