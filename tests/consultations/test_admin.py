"""R-14: the back-office forms of consultations, derived from their declaration."""

from sqlalchemy import func, select

from app.consultations.models import Consultation, ConsultationSection
from app.extensions import db


def test_consultation_form_has_the_media_picker_and_checks_the_dates(app, client_for, make_user):
    """Attachments are chosen with the one media picker; a period that ends before it starts is refused."""
    stc = client_for("stc")
    stc.login(make_user("editor", "stc"))
    page = stc.get("/admin/consultations_admin/new/").get_data(as_text=True)
    assert 'name="attachments"' in page and 'data-media-picker="multiple"' in page
    token = stc.csrf_token("/admin/consultations_admin/new/")
    response = stc.post(
        "/admin/consultations_admin/new/",
        data={
            "csrf_token": token,
            "title": "Dự thảo Quy định về phí",
            "opens_at": "2026-12-10 08:00",
            "closes_at": "2026-12-01 08:00",
            "receiving_email": "gopy@stc.binhphuoc.gov.vn",
        },
    )
    assert response.status_code == 200
    assert "Thời điểm kết thúc phải sau thời điểm bắt đầu." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(func.count(Consultation.id))).scalar() == 0


def test_receiving_email_follows_the_email_rule(app, client_for, make_user):
    stc = client_for("stc")
    stc.login(make_user("editor", "stc"))
    token = stc.csrf_token("/admin/consultations_admin/new/")
    data = {"csrf_token": token, "title": "Dự thảo", "opens_at": "2026-12-01 08:00", "closes_at": "2026-12-20 08:00"}
    stc.post("/admin/consultations_admin/new/", data={**data, "receiving_email": "gopy@@stc"})
    stc.post("/admin/consultations_admin/new/", data={**data, "receiving_email": "GopY@STC.binhphuoc.gov.vn"})
    with app.app_context():
        assert db.session.execute(select(Consultation.receiving_email)).scalars().all() == ["gopy@stc.binhphuoc.gov.vn"]


def test_section_picker_offers_this_sites_live_consultations_only(app, client_for, make_user, make_consultation):
    """The base view scopes the picker to the tenant; revision copies are no consultations of their own."""
    own = make_consultation("stc", title="Dự thảo của Sở Tài chính")
    other = make_consultation("dongxoai", title="Dự thảo của Đồng Xoài")
    with app.app_context():
        live = db.session.get(Consultation, own)
        db.session.add(
            Consultation(
                tenant_id=live.tenant_id,
                revision_of_id=own,
                title="Bản sửa đang duyệt",
                opens_at=live.opens_at,
                closes_at=live.closes_at,
            )
        )
        db.session.commit()
    stc = client_for("stc")
    stc.login(make_user("editor", "stc"))
    page = stc.get("/admin/consultation_sections/new/").get_data(as_text=True)
    assert "Dự thảo của Sở Tài chính" in page
    assert "Dự thảo của Đồng Xoài" not in page and "Bản sửa đang duyệt" not in page
    token = stc.csrf_token("/admin/consultation_sections/new/")
    stc.post(
        "/admin/consultation_sections/new/",
        data={"csrf_token": token, "consultation": str(other), "position": "9", "number": "Điều 9"},
    )
    with app.app_context():
        numbers = db.session.execute(
            select(ConsultationSection.number).where(ConsultationSection.consultation_id == other)
        ).scalars()
        assert "Điều 9" not in list(numbers)
