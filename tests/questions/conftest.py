import pytest
from sqlalchemy import select

from app.extensions import db
from app.questions.models import Question


@pytest.fixture
def load_question(app):
    """``load_question(code)``: the case, read in a fresh application context."""

    def get(code):
        with app.app_context():
            row = db.session.execute(select(Question).where(Question.tracking_code == code)).scalars().first()
            if row is not None:
                db.session.expunge(row)
            return row

    return get


ASK = {
    "kind": "question",
    "topic": "Thuế, phí",
    "title": "Thủ tục hoàn thuế thu nhập cá nhân",
    "body": "Tôi muốn hỏi thời hạn giải quyết hồ sơ hoàn thuế thu nhập cá nhân năm 2025.",
    "name": "Phạm Thị Dung",
    "email": "dung.pham@example.vn",
    "phone": "0911222333",
    "address": "Tổ 3, khu phố Phú Cường, phường Tân Phú",
    "publish_allowed": True,
    "consent": True,
}
