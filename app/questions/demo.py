"""Demo questions: answered and pending cases on several sites (portal, stc, dongxoai, snnptnt)."""

from datetime import timedelta

from sqlalchemy import select

from app.core.models import Tenant
from app.core.timeutil import utcnow
from app.demo import published
from app.extensions import db
from app.questions.models import Answer, Question, QuestionStatus
from app.questions.operations import deadline_for, new_tracking_code

CASES = [
    # asked on, handled by, kind, title, body, answer (None: pending), days ago
    (
        "portal",
        "stc",
        "question",
        "Thời hạn nộp lệ phí trước bạ nhà, đất",
        "Tôi nhận thông báo nộp lệ phí trước bạ ngày 02/11. Xin hỏi thời hạn nộp là bao lâu?",
        "Theo quy định, người nộp thực hiện nộp lệ phí trước bạ trong thời hạn 30 ngày kể từ ngày ký thông báo "
        "của cơ quan thuế.",
        12,
    ),
    (
        "portal",
        "portal",
        "feedback",
        "Đề nghị bổ sung chuyên mục dịch vụ công trực tuyến",
        "Đề nghị Cổng thông tin có đường dẫn nổi bật tới Cổng dịch vụ công của tỉnh.",
        "Ban biên tập tiếp thu; đường dẫn tới Cổng dịch vụ công đã được đặt ở đầu trang chủ.",
        20,
    ),
    (
        "dongxoai",
        "dongxoai",
        "petition",
        "Kiến nghị về thủ tục cấp giấy phép xây dựng nhà ở riêng lẻ",
        "Hồ sơ xin phép xây dựng phải nộp bản sao chứng thực giấy tờ đất; đề nghị cho nộp bản chụp kèm bản chính "
        "để đối chiếu.",
        None,
        3,
    ),
    (
        "snnptnt",
        "snnptnt",
        "question",
        "Hỗ trợ giống điều ghép cho hộ nghèo",
        "Gia đình tôi là hộ nghèo ở xã Đak Nhau, xin hỏi có chính sách hỗ trợ giống điều ghép không?",
        None,
        16,
    ),
]


def load_questions(scale=1):
    now = utcnow()
    tenants = {t.code: t for t in db.session.execute(select(Tenant)).scalars()}
    created = 0
    for n, (asked, handler, kind, title, body, answer, days_ago) in enumerate(CASES):
        origin, handling = tenants.get(asked), tenants.get(handler)
        if (
            origin is None
            or handling is None
            or db.session.execute(select(Question.id).where(Question.title == title)).first()
        ):
            continue
        received = now - timedelta(days=days_ago)
        q = Question(
            tenant_id=handling.id,
            origin_tenant_id=origin.id,
            tracking_code=new_tracking_code(received),
            kind=kind,
            title=title,
            body=body,
            name=f"Người dân {n + 1}",
            email=f"nguoidan{n + 1}@example.vn",
            publish_allowed=True,
            consent_at=received,
            consent_version="question-2026-11",
            received_at=received,
            due_at=deadline_for(kind, received),
            status=QuestionStatus.ANSWERED
            if answer
            else (QuestionStatus.FORWARDED if origin.id != handling.id else QuestionStatus.RECEIVED),
            forwarded_at=received + timedelta(days=1) if origin.id != handling.id else None,
            answered_at=received + timedelta(days=7) if answer else None,
        )
        db.session.add(q)
        db.session.flush()
        if answer:
            db.session.add(
                published(
                    Answer,
                    handling,
                    q.answered_at,
                    question_id=q.id,
                    body=answer,
                )
            )
        created += 1
    db.session.commit()
    yield f"questions: {created} cases (answered and pending)"
