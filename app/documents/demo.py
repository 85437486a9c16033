"""Demo legal documents and e-gazette issues (``flask demo load``)."""

from datetime import date

from sqlalchemy import select

from app.core.models import Tenant
from app.demo import CORPUS, Volume, published, register_volume
from app.documents.models import GazetteIssue, LegalDocument
from app.extensions import db

UBND = "Ủy ban nhân dân tỉnh Bình Phước"
HDND = "Hội đồng nhân dân tỉnh Bình Phước"
# (number, type, issuer, signer, title, issued, effective, status, field, relations [(kind, number)])
DOCUMENTS = (
    (
        "05/2025/QĐ-UBND",
        "Quyết định",
        UBND,
        "Trần Tuệ Hiền",
        "Ban hành Quy chế hoạt động của Cổng thông tin điện tử tỉnh",
        date(2025, 3, 3),
        date(2025, 3, 15),
        "partly_expired",
        "Thông tin và Truyền thông",
        [],
    ),
    (
        "12/2026/QĐ-UBND",
        "Quyết định",
        UBND,
        "Trần Tuệ Hiền",
        "Công bố danh mục thủ tục hành chính thuộc thẩm quyền giải quyết của các sở, ngành",
        date(2026, 1, 12),
        date(2026, 1, 25),
        "in_effect",
        "Nội vụ",
        [],
    ),
    (
        "15/2026/QĐ-UBND",
        "Quyết định",
        UBND,
        "Trần Tuệ Hiền",
        "Sửa đổi, bổ sung một số điều của Quy chế hoạt động của Cổng thông tin điện tử tỉnh",
        date(2026, 2, 9),
        date(2026, 2, 20),
        "in_effect",
        "Thông tin và Truyền thông",
        [("amends", "05/2025/QĐ-UBND")],
    ),
    (
        "03/2026/NQ-HĐND",
        "Nghị quyết",
        HDND,
        "Huỳnh Thị Hằng",
        "Quy định mức thu, nộp, quản lý lệ phí cấp giấy phép xây dựng",
        date(2026, 3, 2),
        date(2026, 3, 15),
        "in_effect",
        "Xây dựng",
        [],
    ),
    (
        "20/2026/QĐ-UBND",
        "Quyết định",
        UBND,
        "Trần Văn Mi",
        "Hướng dẫn thực hiện Nghị quyết về lệ phí cấp giấy phép xây dựng",
        date(2026, 3, 20),
        date(2026, 4, 1),
        "in_effect",
        "Xây dựng",
        [("guides", "03/2026/NQ-HĐND")],
    ),
    (
        "08/2024/QĐ-UBND",
        "Quyết định",
        UBND,
        "Trần Tuệ Hiền",
        "Quy định giá đất định kỳ giai đoạn 2024 - 2025",
        date(2024, 4, 2),
        date(2024, 4, 15),
        "expired",
        "Đất đai",
        [],
    ),
    (
        "25/2026/QĐ-UBND",
        "Quyết định",
        UBND,
        "Trần Tuệ Hiền",
        "Quy định bảng giá đất năm 2026 trên địa bàn tỉnh",
        date(2026, 4, 10),
        date(2026, 4, 20),
        "in_effect",
        "Đất đai",
        [("replaces", "08/2024/QĐ-UBND")],
    ),
    (
        "30/2026/QĐ-UBND",
        "Quyết định",
        UBND,
        "Trần Văn Mi",
        "Quy định phân cấp quản lý tài sản công tại cơ quan, tổ chức, đơn vị",
        date(2026, 5, 4),
        date(2026, 5, 15),
        "not_yet",
        "Tài chính ngân sách",
        [],
    ),
)


def load_demo(scale=1):
    if db.session.execute(select(LegalDocument.id).limit(1)).first() is not None:
        yield "documents: already loaded"
        return
    tenants = {t.code: t for t in db.session.execute(select(Tenant)).scalars()}
    count = 0
    for code in ("portal", "congbao", "stp"):
        tenant = tenants.get(code)
        if tenant is None:
            continue
        issues = []
        for n, day in enumerate((date(2026, 2, 25), date(2026, 3, 25), date(2026, 4, 24)), start=1):
            issue = GazetteIssue(tenant_id=tenant.id, number=f"{n:02d}/2026", issued_on=day)
            db.session.add(issue)
            issues.append(issue)
        db.session.flush()
        by_number = {}
        for i, (number, kind, issuer, signer, title, issued, effective, status, field, relations) in enumerate(
            DOCUMENTS
        ):
            doc = published(
                LegalDocument,
                tenant,
                number=number,
                doc_type=kind,
                issuer=issuer,
                signer=signer,
                title=title,
                issued_on=issued,
                effective_on=effective,
                status=status,
                field=field,
                summary=f"{kind} số {number} của {issuer} về việc {title[0].lower() + title[1:]}.",
                body=f"<p>Căn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015;</p><p>{title}.</p>",
                gazette_issue_id=issues[i % 3].id if issued.year == 2026 else None,
                relations=[{"kind": k, "target_id": by_number[t]} for k, t in relations if t in by_number],
            )
            db.session.add(doc)
            db.session.flush()
            by_number[number] = doc.id
            count += 1
    db.session.commit()
    yield f"documents: {count} published, with gazette issues"


DOC_TYPES = (("Quyết định", "QĐ-UBND", UBND), ("Nghị quyết", "NQ-HĐND", HDND), ("Kế hoạch", "KH-UBND", UBND),
             ("Chỉ thị", "CT-UBND", UBND), ("Công văn", "UBND-KT", UBND))  # fmt: skip


def _volume_document(tenant, number, text):
    """One bulk legal document (``--scale``): a numbered decision, resolution or plan of the province."""
    from app.core.text import unaccent

    rng = text.rng
    doc_type, suffix, issuer = rng.choice(DOC_TYPES)
    year = rng.randint(2016, 2026)
    issued = date(year, rng.randint(1, 12), rng.randint(1, 28))
    sentences = text.sentences()
    title = rng.choice(CORPUS["titles"])
    row = {
        "number": f"{number + 1000}/{year}/{suffix}",  # unique per site, beyond the hand-made ones
        "doc_type": doc_type,
        "issuer": issuer,
        "signer": rng.choice(["Trần Tuệ Hiền", "Huỳnh Anh Minh", "Nguyễn Mạnh Cường", "Trần Văn Mi"]),
        "title": f"{title} trên địa bàn {tenant.name_vi}"[:1000],
        "issued_on": issued,
        "effective_on": issued,
        "status": "in_effect" if year >= 2022 else rng.choice(["in_effect", "expired", "partly_expired"]),
        "field": rng.choice(["Tài chính", "Đất đai", "Xây dựng", "Nội vụ", "Giáo dục", "Y tế", "Nông nghiệp"]),
        "summary": sentences[0],
        "body": text.html(sentences[1:]),
    }
    parts = (row["number"], row["title"], row["issuer"], row["signer"], row["field"], row["doc_type"])
    row["search_text"] = unaccent(" ".join(parts)).lower()
    return row


register_volume(
    Volume(LegalDocument, 0.25, _volume_document),
    titles=[d[4] for d in DOCUMENTS],
)
