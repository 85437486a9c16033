"""Browser: commenting on a draft with moderation, and a question forwarded and answered (R-14..R-17)."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select, update

from app.consultations.models import Consultation, ConsultationSection
from app.core.models import Tenant
from app.core.timeutil import utcnow
from app.extensions import db
from app.questions.models import Answer, Question
from app.workflow.models import ReviewState
from tests.conftest import PASSWORD


@pytest.fixture
def quick_forms(app):
    """People in a browser driven by Playwright fill forms faster than the minimum fill time."""
    old = app.config["PARTICIPATION_MIN_FILL_SECONDS"]
    app.config["PARTICIPATION_MIN_FILL_SECONDS"] = 0
    yield
    app.config["PARTICIPATION_MIN_FILL_SECONDS"] = old


def _consultation(app):
    with app.app_context():
        stc = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalar_one()
        now = utcnow()
        c = Consultation(
            tenant_id=stc.id,
            title="Dự thảo Quyết định quy định giá dịch vụ trông giữ xe",
            document_type="Quyết định",
            drafting_unit="Sở Tài chính",
            summary="Lấy ý kiến nhân dân về dự thảo.",
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=7),
            receiving_address="Số 1 Trần Hưng Đạo, Đồng Xoài",
            receiving_email="gopy@stc.binhphuoc.gov.vn",
            state=ReviewState.PUBLISHED,
            published_at=now,
        )
        for n in (1, 2, 3):
            c.sections.append(
                ConsultationSection(
                    tenant_id=stc.id, position=n, number=f"Điều {n}", title=f"Quy định {n}", body=f"Nội dung Điều {n}."
                )
            )
        db.session.add(c)
        db.session.commit()
        return c.id, {s.number: s.id for s in c.sections}


def _login(browser, live_server, code, email):
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10000)
    page.goto(live_server.url(code, "/login"))
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r".*/admin/.*"))
    return page


def test_comment_moderated_then_published_then_closed(app, live_server, page, browser, make_user, quick_forms):
    """R-14, R-16, R-17: comment on Điều 2 -> awaiting moderation -> published under Điều 2 without contact
    details -> after the closing time the form is gone."""
    cid, sections = _consultation(app)
    url = live_server.url("stc", f"/consultations/{cid}")
    page.goto(url)
    page.locator("#name").fill("Hoàng Văn Em")
    page.locator("#email").fill("em.hoang@example.vn")
    page.locator("#phone").fill("0977000111")
    page.locator("#section_id").select_option(str(sections["Điều 2"]))
    page.locator("#body").fill("Đề nghị miễn phí trông giữ xe đạp cho học sinh tại Điều 2.")
    page.locator("#consent").check()
    page.locator("#comment-form button[type=submit]").click()
    expect(page.locator("#comment-form .notice-sent")).to_contain_text(re.compile("kiểm duyệt|moderation"))
    expect(page.locator(f"#section-{sections['Điều 2']}")).not_to_contain_text("miễn phí trông giữ xe đạp")

    moderator = _login(browser, live_server, "stc", make_user("editor", "stc"))
    moderator.goto(live_server.url("stc", "/admin/comments/"))
    expect(moderator.locator("body")).to_contain_text("em.hoang@example.vn")
    moderator.locator("button[value=publish]").first.click()
    expect(moderator.locator(".alert, .flash").first).to_be_visible()

    page.goto(url)
    section2 = page.locator(f"#section-{sections['Điều 2']}")
    expect(section2).to_contain_text("miễn phí trông giữ xe đạp")
    expect(section2).to_contain_text("Hoàng Văn Em")
    content = page.content()
    assert "em.hoang@example.vn" not in content and "0977000111" not in content

    with app.app_context():
        db.session.execute(
            update(Consultation).where(Consultation.id == cid).values(closes_at=utcnow() - timedelta(minutes=1))
        )
        db.session.commit()
    page.goto(url)
    expect(page.locator("#comment-form form")).to_have_count(0)
    expect(page.locator("#comment-form")).to_contain_text(re.compile("closed|đã kết thúc|hết hạn"))


def test_question_forwarded_answered_and_published(
    app, live_server, page, browser, make_user, smtp_server, quick_forms
):
    """R-15, R-09, R-17: ask on the portal, code by email, forwarded to stc, answered through stc's chain,
    shown on the tracking page and /questions/."""
    editor_portal = make_user("editor", "portal")
    editor_stc, head_stc = make_user("editor", "stc"), make_user("head", "stc")
    page.goto(live_server.url("portal", "/questions/ask"))
    page.locator("#title").fill("Hỏi về thời hạn nộp lệ phí trước bạ")
    page.locator("#body").fill("Xin hỏi thời hạn nộp lệ phí trước bạ nhà đất là bao lâu?")
    page.locator("#target_tenant").select_option("stc")
    page.locator("#name").fill("Đỗ Thị Giang")
    page.locator("#email").fill("giang.do@example.vn")
    page.locator("#publish_allowed").check()
    page.locator("#consent").check()
    page.locator("form.participation-form button[type=submit]").click()
    code = page.locator(".tracking-code").inner_text().strip()
    assert re.fullmatch(r"HD-\d{4}-[A-Z2-9]{8}", code)
    assert any(code in m["body"] and m["to"] == ["giang.do@example.vn"] for m in smtp_server.messages)
    with app.app_context():
        qid = db.session.execute(select(Question.id).where(Question.tracking_code == code)).scalar_one()

    board = _login(browser, live_server, "portal", editor_portal)
    board.goto(live_server.url("portal", f"/admin/questions/{qid}"))
    board.locator("#agency").select_option("stc")
    board.locator("#note").fill("Đề nghị Sở Tài chính trả lời.")
    board.locator("form[action$='/forward'] button[type=submit]").click()

    agency = _login(browser, live_server, "stc", editor_stc)
    agency.goto(live_server.url("stc", "/admin/questions/"))
    agency.get_by_role("link", name="Hỏi về thời hạn nộp lệ phí trước bạ").click()
    agency.locator("#answer-body").fill("Thời hạn nộp lệ phí trước bạ là 30 ngày kể từ ngày ký thông báo.")
    agency.locator("form[action$='/answer'] button[type=submit]").click()
    with app.app_context():
        answer_id = db.session.execute(select(Answer.id).where(Answer.question_id == qid)).scalar_one()

    head = _login(browser, live_server, "stc", head_stc)
    head.goto(live_server.url("stc", f"/admin/review/answer/{answer_id}"))
    head.locator("button[value=approve]").click()

    page.goto(live_server.url("portal", f"/questions/track/{code}"))
    expect(page.locator(".answer")).to_contain_text("30 ngày kể từ ngày ký thông báo")
    page.goto(live_server.url("portal", "/questions/"))
    expect(page.locator(".qa-list")).to_contain_text("30 ngày kể từ ngày ký thông báo")
    content = page.content()
    assert "giang.do@example.vn" not in content and "Đỗ Thị Giang" not in content
    assert any("30 ngày" in m["body"] and m["to"] == ["giang.do@example.vn"] for m in smtp_server.messages)


PARTICIPATION_PAGES = [
    ("stc", "/consultations/"),
    ("portal", "/consultations/"),
    ("stc", "/consultations/{cid}"),
    ("portal", "/questions/"),
    ("portal", "/questions/ask"),
    ("stc", "/questions/ask"),
    ("portal", "/questions/track"),
    ("portal", "/my/"),
]


@pytest.fixture
def participation_data(app, client_for):
    cid, _sections = _consultation(app)
    from tests.questions.conftest import ASK

    client_for("stc").post(
        f"/api/v1/consultations/{cid}/comments",
        json={"name": "A", "email": "a@example.vn", "body": "Ý kiến", "consent": True},
    )
    with app.app_context():
        from app.consultations.models import Comment

        db.session.execute(update(Comment).values(status="published"))
        db.session.commit()
    code = client_for("portal").post("/api/v1/questions", json=ASK).get_json()["tracking_code"]
    return [(c, p.format(cid=cid)) for c, p in PARTICIPATION_PAGES] + [("portal", f"/questions/track/{code}")]


def test_participation_pages_are_valid_and_accessible(participation_data, client_for, live_server, page, tmp_path):
    """R-33, R-14, R-15, R-18: the participation pages (forms included) pass the Nu checker and axe-core."""
    import json
    import os
    import subprocess

    from tests.e2e.test_standards import AXE, VNU

    assert os.path.exists(VNU) and os.path.exists(AXE), "run `make checkers` first"
    files = []
    for i, (code, path) in enumerate(participation_data):
        for lang in ("vi", "en"):
            target = tmp_path / f"{i:02d}-{code}-{lang}.html"
            target.write_bytes(client_for(code).get(f"{path}?lang={lang}").get_data())
            files.append(str(target))
    result = subprocess.run(
        ["java", "-jar", VNU, "--format", "json", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [
        f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages if m["type"] == "error"
    ]
    assert errors == [], "\n".join(errors[:40])
    violations = []
    for code, path in participation_data:
        page.goto(live_server.url(code, path))
        page.add_script_tag(path=AXE)
        found = page.evaluate(
            "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
            "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
        )
        violations += [
            f"{path}: {v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:3]}" for v in found["violations"]
        ]
    assert violations == [], "\n".join(violations)
