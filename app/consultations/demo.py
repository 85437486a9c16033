"""Demo consultations: open, upcoming and closed drafts with sections, moderated comments and an outcome."""

from datetime import timedelta

from sqlalchemy import select

from app.consultations.models import Comment, CommentStatus, Consultation, ConsultationSection, Outcome
from app.core.models import Tenant
from app.core.scoping import scoped
from app.core.timeutil import utcnow
from app.demo import published
from app.extensions import db

DRAFTS = [
    # code, title, type, field, unit, opens (days from now), closes, sections
    (
        "stc",
        "Dự thảo Nghị quyết quy định mức thu, chế độ thu, nộp phí tham quan khu du lịch sinh thái Bà Rá",
        "Nghị quyết",
        "Phí, lệ phí",
        "Phòng Quản lý ngân sách - Sở Tài chính",
        -5,
        20,
        ["Phạm vi điều chỉnh", "Đối tượng nộp phí", "Mức thu phí", "Miễn, giảm phí", "Quản lý và sử dụng tiền phí"],
    ),
    (
        "dongxoai",
        "Dự thảo Quyết định ban hành Quy chế quản lý trật tự xây dựng trên địa bàn thành phố Đồng Xoài",
        "Quyết định",
        "Xây dựng",
        "Phòng Quản lý đô thị thành phố Đồng Xoài",
        -2,
        12,
        [
            "Phạm vi điều chỉnh và đối tượng áp dụng",
            "Nguyên tắc quản lý",
            "Trách nhiệm của UBND phường, xã",
            "Xử lý vi phạm",
        ],
    ),
    (
        "snnptnt",
        "Dự thảo Kế hoạch phát triển cây điều bền vững tỉnh Bình Phước giai đoạn 2026-2030",
        "Kế hoạch",
        "Nông nghiệp",
        "Chi cục Trồng trọt và Bảo vệ thực vật",
        3,
        33,
        ["Mục tiêu", "Nhiệm vụ và giải pháp", "Kinh phí thực hiện", "Tổ chức thực hiện"],
    ),
    (
        "portal",
        "Dự thảo Quy chế tổ chức và hoạt động của Cổng Thông tin điện tử tỉnh Bình Phước",
        "Quyết định",
        "Thông tin và truyền thông",
        "Văn phòng UBND tỉnh",
        -40,
        -10,
        [
            "Phạm vi điều chỉnh",
            "Giải thích từ ngữ",
            "Cấu trúc Cổng Thông tin điện tử",
            "Ban biên tập",
            "Cung cấp thông tin",
            "Bảo đảm an toàn thông tin",
        ],
    ),
]
COMMENTS = [
    (
        "Nguyễn Văn Hùng",
        "",
        "hung.nguyen@example.vn",
        2,
        "Đề nghị quy định rõ đối tượng là người cao tuổi, người khuyết tật được miễn phí.",
        CommentStatus.PUBLISHED,
    ),
    (
        "Trần Thị Lan",
        "Hợp tác xã du lịch Bù Gia Mập",
        "lan.tran@example.vn",
        3,
        "Mức thu đề xuất cao hơn các tỉnh lân cận; đề nghị cân nhắc giảm 20% vào ngày thường.",
        CommentStatus.PUBLISHED,
    ),
    (
        "Lê Minh Tuấn",
        "",
        "tuan.le@example.vn",
        None,
        "Đề nghị công khai số tiền phí thu được hằng năm trên Cổng thông tin.",
        CommentStatus.PENDING,
    ),
]
OUTCOME = (
    "Nhóm ý kiến về phạm vi điều chỉnh (12 ý kiến): tiếp thu, bổ sung trang thành phần của các xã.\n"
    "Nhóm ý kiến về Ban biên tập (5 ý kiến): tiếp thu một phần, giữ cơ cấu Ban biên tập như dự thảo.\n"
    "Nhóm ý kiến về an toàn thông tin (3 ý kiến): giải trình, đã quy định tại Điều 6."
)


def load_consultations(scale=1):
    now = utcnow()
    tenants = {t.code: t for t in db.session.execute(select(Tenant)).scalars()}
    created = 0
    for code, title, doc_type, field, unit, opens, closes, sections in DRAFTS:
        tenant = tenants.get(code)
        if (
            tenant is None
            or db.session.execute(
                scoped(Consultation, tenant, Consultation.id).where(Consultation.title == title)
            ).first()
        ):
            continue
        c = published(
            Consultation,
            tenant,
            now + timedelta(days=min(opens, 0)),
            title=title,
            document_type=doc_type,
            field=field,
            drafting_unit=unit,
            summary=f"{unit} lấy ý kiến góp ý của cơ quan, tổ chức, cá nhân đối với {title[0].lower()}{title[1:]}.",
            opens_at=now + timedelta(days=opens),
            closes_at=now + timedelta(days=closes),
            receiving_address=tenant.address or "Trung tâm hành chính tỉnh, phường Tân Phú, TP Đồng Xoài",
            receiving_email=tenant.email or f"gopy@{code}.binhphuoc.gov.vn",
        )
        for n, heading in enumerate(sections, 1):
            c.sections.append(
                ConsultationSection(
                    tenant_id=tenant.id,
                    position=n,
                    number=f"Điều {n}",
                    title=heading,
                    body=f"{heading}: nội dung quy định chi tiết tại Điều {n} của dự thảo.",
                )
            )
        db.session.add(c)
        db.session.flush()
        if opens < 0:
            for name, org, email, section_no, body, status in COMMENTS:
                section = c.sections[section_no - 1] if section_no and section_no <= len(c.sections) else None
                db.session.add(
                    Comment(
                        tenant_id=tenant.id,
                        consultation_id=c.id,
                        section_id=section.id if section else None,
                        name=name,
                        organisation=org,
                        email=email,
                        body=body,
                        status=status,
                        consent_at=now,
                        consent_version="consultation-2026-11",
                        created_at=now + timedelta(days=opens, hours=5),
                    )
                )
        if closes < 0:
            db.session.add(
                published(
                    Outcome,
                    tenant,
                    now + timedelta(days=closes + 5),
                    consultation_id=c.id,
                    title="Báo cáo tổng hợp, tiếp thu, giải trình ý kiến góp ý",
                    summary=OUTCOME,
                )
            )
        created += 1
    db.session.commit()
    yield f"consultations: {created} drafts with sections and comments"
