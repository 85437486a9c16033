"""R-14, R-16, R-17: the moderation queue, exports, outcome through the chain, erasure and personal-data export."""

import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.consultations.models import Comment, Consultation
from app.extensions import db

COMMENT = {
    "name": "Lê Văn Cường",
    "email": "cuong@example.vn",
    "phone": "0901234567",
    "body": "Góp ý về Điều 1: nên ghi rõ thời điểm áp dụng.",
    "consent": True,
}


@pytest.fixture
def load(app):
    """``load(Model, id)`` in a fresh application context (client requests must not share ``g``)."""

    def get(model, ident):
        with app.app_context():
            row = db.session.get(model, ident)
            if row is not None:
                db.session.expunge(row)
            return row

    return get


@pytest.fixture
def pending(client_for, make_consultation):
    cid = make_consultation("stc")
    stc = client_for("stc")
    ids = [stc.post(f"/api/v1/consultations/{cid}/comments", json=COMMENT).get_json()["id"] for _ in range(2)]
    return cid, ids


def _act(client, comment_id, **data):
    # The session's CSRF token is stable: take it once, while the queue still shows a form.
    token = getattr(client, "token", None) or client.csrf_token("/admin/comments/")
    client.token = token
    return client.post(f"/admin/comments/{comment_id}", data={"csrf_token": token, **data})


def test_queue_shows_pending_with_highlight(app, client_for, make_user, pending):
    """R-16: the moderator sees pending comments with the word-filter hits highlighted."""
    from app.core.models import Tenant
    from app.moderation.models import FilterTerm

    with app.app_context():
        stc_id = db.session.execute(select(Tenant.id).where(Tenant.code == "stc")).scalar_one()
        db.session.add(FilterTerm(tenant_id=stc_id, term="thời điểm"))
        db.session.commit()
    stc = client_for("stc")
    stc.login(make_user("editor", "stc"))
    html = stc.get("/admin/comments/").get_data(as_text=True)
    assert "cuong@example.vn" in html  # handling staff see contact details
    assert '<mark title="thời điểm">thời điểm</mark>' in html


@pytest.mark.parametrize("role,code,status", [("contributor", "stc", 403), ("editor", "dongxoai", 403)])
def test_queue_access(client_for, make_user, pending, role, code, status):
    """R-04: contributors and other tenants' staff cannot moderate stc's comments."""
    stc = client_for("stc")
    stc.login(make_user(role, code))
    assert stc.get("/admin/comments/").status_code == status


def test_publish_hide_duplicate(client_for, make_user, pending, load):
    """R-16: publish; hide needs a reason; duplicate needs another comment of the same consultation."""
    cid, (first, second) = pending
    stc = client_for("stc")
    stc.login(make_user("editor", "stc"))
    assert _act(stc, first, action="publish").status_code == 302
    _act(stc, second, action="hide", reason="")
    assert load(Comment, second).status == "pending"
    _act(stc, second, action="duplicate", duplicate_of=str(first))
    assert load(Comment, first).status == "published"
    assert load(Comment, second).status == "duplicate"
    _act(stc, second, action="hide", reason="Nội dung trùng lặp")
    hidden = load(Comment, second)
    assert hidden.status == "hidden" and hidden.hidden_reason == "Nội dung trùng lặp"
    public = client_for("stc").get(f"/api/v1/consultations/{cid}/comments").get_json()
    assert [c["id"] for c in public["items"]] == [first]


def test_other_tenant_cannot_moderate_by_id(client_for, make_user, pending, load):
    """R-01: a moderator of dongxoai posting an stc comment id gets 404."""
    _cid, (first, _second) = pending
    dx = client_for("dongxoai")
    dx.login(make_user("editor", "dongxoai"))
    dx.token = dx.csrf_token("/login")
    assert _act(dx, first, action="publish").status_code == 404
    assert load(Comment, first).status == "pending"


def test_exports_csv_and_xlsx(client_for, make_user, pending):
    """R-14: the drafting team exports every comment (with contact details) to CSV and XLSX."""
    cid, _ids = pending
    stc = client_for("stc")
    stc.login(make_user("editor", "stc"))
    csv_text = stc.get(f"/admin/comments/export/{cid}.csv").get_data().decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("id,received,status")
    assert "cuong@example.vn" in csv_text and "Góp ý về Điều 1" in csv_text
    xlsx = stc.get(f"/admin/comments/export/{cid}.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.get_data())).active
    assert sheet.max_row == 3 and sheet["I2"].value.startswith("Góp ý")
    dx = client_for("dongxoai")
    dx.login(make_user("editor", "dongxoai"))
    assert dx.get(f"/admin/comments/export/{cid}.csv").status_code == 404


def test_erasure_and_export_of_personal_data(app, client_for, make_user, pending):
    """R-17: an admin exports one person's data as JSON, then erases it; the comments stay, audited."""
    cid, ids = pending
    stc = client_for("stc")
    stc.login(make_user("tenant_admin", "stc"))
    exported = stc.get("/admin/personal-data/export?email=CUONG@example.vn")
    data = json.loads(exported.get_data(as_text=True))
    assert len(data["records"]["consultation_comments"]) == 2
    token = stc.csrf_token("/admin/personal-data/?email=cuong@example.vn")
    stc.post("/admin/personal-data/erase", data={"csrf_token": token, "email": "cuong@example.vn", "confirm": "yes"})
    from app.core.models import AuditEvent

    with app.app_context():
        rows = db.session.execute(select(Comment).where(Comment.consultation_id == cid)).scalars().all()
        assert len(rows) == 2
        assert all(r.email == "" and r.name == "" and r.phone == "" and r.erased_at for r in rows)
        actions = set(db.session.execute(select(AuditEvent.action)).scalars())
    assert "personal_data.erase" in actions


def test_personal_data_page_needs_tenant_admin(client_for, make_user):
    stc = client_for("stc")
    stc.login(make_user("editor", "stc"))
    assert stc.get("/admin/personal-data/").status_code == 403


def test_outcome_goes_through_the_chain(app, client_for, make_consultation, make_user):
    """R-09, R-14: the outcome is published by the chain and then appears on the closed consultation."""
    from app.auth.operations import find_user
    from app.consultations.models import Outcome
    from app.workflow.operations import transition

    cid = make_consultation("stc", opens=-20, closes=-1)
    editor, head = make_user("editor", "stc"), make_user("head", "stc")
    stc = client_for("stc")
    with app.test_request_context(base_url="http://stc.localhost"):
        author = find_user(editor)
        outcome = Outcome(
            tenant_id=db.session.get(Consultation, cid).tenant_id,
            consultation_id=cid,
            title="Báo cáo tiếp thu, giải trình",
            summary="Nhóm ý kiến về mức phí: tiếp thu, giảm 20% cho học sinh.",
            author_id=author.id,
            last_editor_id=author.id,
        )
        db.session.add(outcome)
        db.session.commit()
        assert "Báo cáo tiếp thu" not in stc.get(f"/consultations/{cid}").get_data(as_text=True)
        transition(outcome, "submit", author)
        transition(outcome, "approve", find_user(head))
        db.session.commit()
    html = stc.get(f"/consultations/{cid}").get_data(as_text=True)
    assert "Báo cáo tiếp thu" in html
    assert stc.get(f"/api/v1/consultations/{cid}").get_json()["status"] == "outcome_published"
