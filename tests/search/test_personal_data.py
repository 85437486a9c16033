"""Search never finds personal data, nor a question whose sender did not allow publication (R-24, R-17)."""

import pytest
from sqlalchemy import select

from app.auth.operations import find_user
from app.extensions import db
from app.questions.models import Question
from app.questions.operations import answer
from app.search.backends import fold
from app.search.indexing import reindex_all
from app.search.models import SearchEntry
from app.workflow.operations import transition
from tests.questions.conftest import ASK

PRIVATE = {
    "title": "Tranh chấp ranh giới đất tổ Xuyên Mộc",
    "body": "Nhà tôi ở ấp Sóc Quặng bị lấn đất.",
    "name": "Lê Văn Khiêm",
    "email": "khiem.le@example.vn",
    "phone": "0988777666",
    "address": "Ấp Sóc Quặng, xã Tân Hưng",
}
PUBLIC = {
    "title": "Thời hạn cấp phép xây dựng Lộc Ninh",
    "body": "Xin hỏi thời hạn cấp giấy phép xây dựng nhà ở riêng lẻ.",
    "name": "Trịnh Thị Quyên",
    "email": "quyen.trinh@example.vn",
    "phone": "0977111222",
    "address": "Khu phố Ninh Thịnh, thị trấn Lộc Ninh",
}


@pytest.fixture
def answered(app, client_for, make_user):
    """``answered(fields, publish_allowed)``: a question asked on stc, answered and approved."""
    editor, head = make_user("editor", "stc"), make_user("head", "stc")

    def make(fields, publish_allowed):
        sent = client_for("stc").post("/api/v1/questions", json={**ASK, **fields, "publish_allowed": publish_allowed})
        assert sent.status_code == 202, sent.get_json()
        with app.test_request_context(base_url="http://stc.localhost"):
            code = sent.get_json()["tracking_code"]
            question = db.session.execute(select(Question).where(Question.tracking_code == code)).scalars().one()
            reply = answer(question, "<p>Đã chuyển Phòng Tài nguyên giải quyết.</p>", find_user(editor))
            transition(reply, "approve", find_user(head))
            db.session.commit()

    return make


def _found(client, words):
    page = client.get(f"/search?q={words}").get_data(as_text=True)
    api = client.get(f"/api/v1/search?q={words}").get_json()
    return api["total"] > 0 or "Đã chuyển Phòng Tài nguyên" in page


def test_a_question_not_allowed_for_publication_is_never_found(app, client_for, answered):
    """R-17, R-24: neither its title, its text, the sender nor the answer finds it, on the subsite or the portal,
    before or after a full reindex; its sender's consented twin is found by its text but not by the sender."""
    answered(PRIVATE, publish_allowed=False)
    answered(PUBLIC, publish_allowed=True)
    for rebuild in (False, True):
        if rebuild:
            with app.app_context():
                reindex_all()
        for code in ("stc", "portal"):
            client = client_for(code)
            for value in PRIVATE.values():
                assert not _found(client, value), f"{value!r} found on {code} (reindexed: {rebuild})"
            for key in ("name", "email", "phone", "address"):
                assert not _found(client, PUBLIC[key]), f"{PUBLIC[key]!r} found on {code} (reindexed: {rebuild})"
            assert _found(client, "giấy phép xây dựng"), f"the published question is not found on {code}"
    with app.app_context():
        rows = db.session.execute(select(SearchEntry.title, SearchEntry.summary, SearchEntry.body)).all()
        haystacks = fold(" ".join(" ".join(row) for row in rows))
    assert "xuyen moc" not in haystacks and "0977111222" not in haystacks and "trinh thi quyen" not in haystacks


@pytest.fixture
def byline_is_personal():
    """Declare the article's byline personal *and* searchable, as a careless declaration would."""
    from dataclasses import replace

    from app.workflow import registry

    article = registry.get("article")
    fields, search = article.fields, article.search
    byline = next(f for f in fields if f.name == "byline")
    object.__setattr__(article, "fields", tuple(replace(f, personal=True, search="body") if f is byline else f
                                                for f in fields))  # fmt: skip
    yield article
    object.__setattr__(article, "fields", fields)
    object.__setattr__(article, "search", search)


@pytest.mark.parametrize("own_search", [False, True])
def test_a_field_declared_personal_is_never_indexed(app, client_for, make_user, byline_is_personal, own_search):
    """R-17, R-24: a personal field is left out of the derived document, and taken out of a type's own one."""
    from app.news.models import Article

    if own_search:
        object.__setattr__(
            byline_is_personal, "search", lambda a: (a.title, a.summary or "", f"{a.title} {a.byline} {a.body}", "vi")
        )
    emails = make_user("contributor", "stc"), make_user("head", "stc")
    with app.test_request_context(base_url="http://stc.localhost"):
        writer, head = (find_user(email) for email in emails)
        from app.core.models import Tenant

        stc = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalars().one()
        item = Article(tenant_id=stc.id, title="Hội nghị tổng kết công tác thuế", body="<p>Nội dung.</p>",
                       byline="Hoàng Thị Bảo Mật", author_id=writer.id)  # fmt: skip
        db.session.add(item)
        db.session.flush()
        transition(item, "submit", writer)
        transition(item, "approve", head)
        db.session.commit()
    client = client_for("stc")
    assert _found_article(client, "tổng kết công tác thuế")
    assert not _found_article(client, "Bảo Mật")


def _found_article(client, words):
    return client.get(f"/api/v1/search?q={words}").get_json()["total"] > 0
