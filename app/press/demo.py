"""Demo press releases (``flask demo load``): a few per site, published through the review chain."""

from sqlalchemy import func, select

from app.core.models import Tenant
from app.core.scoping import scoped
from app.demo import ENGLISH_SHARE, Volume, demo_users, publish, quiet_mail, register_volume
from app.extensions import db
from app.press.models import PressRelease

RELEASES = (
    (
        "Thông cáo báo chí về kết quả kỳ họp thứ 10 Hội đồng nhân dân",
        "Kỳ họp đã thông qua 25 nghị quyết quan trọng về kinh tế - xã hội, đầu tư công và ngân sách.",
        "Press release on the results of the 10th session of the People's Council",
    ),
    (
        "Thông cáo về việc tổ chức Hội nghị xúc tiến đầu tư năm 2026",
        "Hội nghị giới thiệu các dự án kêu gọi đầu tư và chính sách ưu đãi của địa phương.",
        "",
    ),
    (
        "Thông tin báo chí về công tác phòng, chống cháy rừng mùa khô",
        "Các lực lượng chức năng tăng cường tuần tra, sẵn sàng phương án ứng phó cháy rừng.",
        "",
    ),
)


def load_press(scale=1):
    """Three releases per site (times ``scale``), the first two published; skipped where releases exist."""
    created = 0
    with quiet_mail():
        for tenant in db.session.execute(select(Tenant).order_by(Tenant.sort_order, Tenant.id)).scalars().all():
            if db.session.execute(scoped(PressRelease, tenant, func.count(PressRelease.id))).scalar():
                continue
            users = demo_users(tenant.code)
            if not all(users.values()):
                continue
            for index in range(len(RELEASES) * max(1, int(scale))):
                title, summary, title_en = RELEASES[index % len(RELEASES)]
                if index >= len(RELEASES):
                    title = f"{title} ({index // len(RELEASES) + 1})"
                release = PressRelease(
                    tenant_id=tenant.id,
                    title=title,
                    summary=summary,
                    body=f"<p>{summary}</p><p>{tenant.name_vi} trân trọng thông báo.</p>",
                    title_en=title_en,
                    contact_name="Văn phòng",
                    contact_email=tenant.email or "",
                    contact_phone=tenant.phone or "",
                    author_id=users["contributor"].id,
                    last_editor_id=users["contributor"].id,
                )
                db.session.add(release)
                db.session.flush()
                if index % len(RELEASES) < 2:
                    publish(release, tenant, users)
                created += 1
            db.session.commit()
    yield f"press: {created} press releases"


def _volume_release(tenant, number, text):
    """One bulk press release (``--scale``), with an English title now and then."""
    sentences = text.sentences()
    row = {"title": text.title()[:300], "summary": sentences[0], "body": text.html(sentences[1:])}
    row.update(title_en="", summary_en="", body_en="")  # every row of a bulk insert has the same keys
    if text.rng.random() < ENGLISH_SHARE:
        english = text.sentences(300, 1000, english=True)
        row.update(title_en=text.title(True), summary_en=english[0], body_en=text.html(english[1:]))
    return row


register_volume(
    Volume(PressRelease, 0.15, _volume_release),
    sentences=[summary for _, summary, _ in RELEASES],
    titles=[title for title, _, _ in RELEASES],
    titles_en=[english for _, _, english in RELEASES if english],
)
