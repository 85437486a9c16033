from datetime import timedelta

import pytest
from sqlalchemy import select

from app.consultations.models import Comment, CommentStatus, Consultation, ConsultationSection
from app.core.models import Tenant
from app.core.timeutil import utcnow
from app.extensions import db
from app.workflow.models import ReviewState


@pytest.fixture
def ctx(app):
    with app.test_request_context(base_url="http://localhost"):
        yield


@pytest.fixture
def make_consultation(app):
    """``make_consultation("stc", opens=-1, closes=5)``: a published draft with sections Điều 1..3 (days)."""

    def make(code="stc", opens=-1, closes=5, state=ReviewState.PUBLISHED, title=None, sections=3):
        with app.app_context():
            t = db.session.execute(select(Tenant).where(Tenant.code == code)).scalars().one()
            now = utcnow()
            c = Consultation(
                tenant_id=t.id,
                title=title or f"Dự thảo Nghị quyết quy định mức thu phí tham quan ({code})",
                document_type="Nghị quyết",
                field="Phí, lệ phí",
                drafting_unit="Sở Tài chính",
                summary="Dự thảo quy định mức thu phí tham quan các khu du lịch trên địa bàn tỉnh.",
                opens_at=now + timedelta(days=opens),
                closes_at=now + timedelta(days=closes),
                receiving_address="Số 1 đường Trần Hưng Đạo, phường Tân Phú, TP Đồng Xoài",
                receiving_email="gopy@stc.binhphuoc.gov.vn",
                state=state,
                published_at=now if state == ReviewState.PUBLISHED else None,
            )
            for n in range(1, sections + 1):
                c.sections.append(
                    ConsultationSection(
                        tenant_id=t.id,
                        position=n,
                        number=f"Điều {n}",
                        title=f"Nội dung {n}",
                        body=f"Văn bản của Điều {n}.",
                    )
                )
            db.session.add(c)
            db.session.commit()
            return c.id

    return make


@pytest.fixture
def section_id(app):
    def get(consultation_id, number):
        with app.app_context():
            return db.session.execute(
                select(ConsultationSection.id).where(
                    ConsultationSection.consultation_id == consultation_id, ConsultationSection.number == number
                )
            ).scalar_one()

    return get


@pytest.fixture
def comments(app):
    def get(consultation_id):
        with app.app_context():
            rows = (
                db.session.execute(
                    select(Comment).where(Comment.consultation_id == consultation_id).order_by(Comment.id)
                )
                .scalars()
                .all()
            )
            db.session.expunge_all()
            return rows

    return get


@pytest.fixture
def publish_all(app):
    def run(consultation_id):
        with app.app_context():
            for c in db.session.execute(select(Comment).where(Comment.consultation_id == consultation_id)).scalars():
                c.status = CommentStatus.PUBLISHED
            db.session.commit()

    return run
