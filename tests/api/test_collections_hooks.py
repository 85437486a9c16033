"""What a module adds to its generic collection (issue 12): consultation sections, dataset figures, a procedure's
code, one answer per case, times of day of the schedule, the former name of document files."""

import pytest
from sqlalchemy import select

from app.auth.operations import find_user, issue_token
from app.consultations.models import Comment
from app.core.models import Tenant
from app.extensions import db
from app.questions.content import sample_answer


@pytest.fixture
def staff(app, make_user):
    with app.app_context():
        emails = {"contributor": make_user("contributor", "stc"), "head": make_user("head", "stc")}
        headers = {name: {"Authorization": f"Bearer {issue_token(find_user(email))}"} for name, email in emails.items()}
        db.session.commit()
        return headers


def publish(client, collection, item_id, staff):
    client.post(f"/api/v1/{collection}/{item_id}/transitions", json={"action": "submit"}, headers=staff["contributor"])
    answer = client.post(
        f"/api/v1/{collection}/{item_id}/transitions", json={"action": "approve"}, headers=staff["head"]
    )
    assert answer.get_json()["item"]["state"] == "published", answer.get_json()


CONSULTATION = {
    "title": "Dự thảo Quy định về phí tham quan di tích",
    "opens_at": "2026-01-01T08:00:00+07:00",
    "closes_at": "2030-01-01T08:00:00+07:00",
    "sections": [{"number": "Điều 1", "title": "Phạm vi", "body": "Phạm vi điều chỉnh."}, {"number": "Điều 2"}],
}


def test_consultation_sections_keep_their_ids_and_comments(app, client_for, staff):
    """Sections are sent as the whole list: ids kept are changed, new ones added, missing ones removed; a
    published consultation's sections change in place so comments keep pointing at them."""
    c = client_for("stc")
    made = c.post("/api/v1/consultations", json=CONSULTATION, headers=staff["contributor"]).get_json()
    first, second = made["sections"]
    assert (first["number"], second["number"]) == ("Điều 1", "Điều 2")
    publish(c, "consultations", made["id"], staff)
    comment = c.post(
        f"/api/v1/consultations/{made['id']}/comments",
        json={
            "body": "Góp ý cho Điều 1.",
            "name": "Nguyễn Văn A",
            "email": "a@example.vn",
            "section_id": first["id"],
            "consent": True,
        },
    )
    assert comment.status_code == 202, comment.get_json()
    sections = [{"id": first["id"], "number": "Điều 1", "title": "Phạm vi điều chỉnh"}, {"number": "Điều 3"}]
    revised = c.patch(f"/api/v1/consultations/{made['id']}", json={"sections": sections}, headers=staff["contributor"])
    assert revised.status_code == 200 and revised.get_json()["revision_of"] == made["id"]
    live = c.get(f"/api/v1/consultations/{made['id']}").get_json()["sections"]
    assert [(s["id"] == first["id"], s["number"], s["title"]) for s in live] == [
        (True, "Điều 1", "Phạm vi điều chỉnh"),
        (False, "Điều 3", ""),
    ]
    with app.app_context():
        assert db.session.execute(select(Comment.section_id)).scalar() == first["id"]
    unknown = c.patch(
        f"/api/v1/consultations/{made['id']}", json={"sections": [{"id": 999999}]}, headers=staff["contributor"]
    )
    assert unknown.status_code == 422 and "sections" in unknown.get_json()["error"]["fields"]


def test_dataset_figures_are_validated_and_read_by_slug(client_for, staff):
    """``observations`` is checked row by row (422 naming it); the dataset is read by its slug with its figures."""
    c = client_for("stc")
    row = {"indicator": "Dân số", "area": "Đồng Xoài", "period": "2026", "value": 112500}
    bad = c.post(
        "/api/v1/datasets",
        json={"title": "Dân số", "observations": [{**row, "value": "nhiều"}]},
        headers=staff["contributor"],
    )
    assert bad.status_code == 422 and "observations" in bad.get_json()["error"]["fields"]
    twice = c.post(
        "/api/v1/datasets", json={"title": "Dân số", "observations": [row, row]}, headers=staff["contributor"]
    )
    assert twice.status_code == 422
    made = c.post("/api/v1/datasets", json={"title": "Dân số", "observations": [row]}, headers=staff["contributor"])
    assert made.status_code == 201 and made.headers["Location"] == "/api/v1/datasets/dan-so"
    publish(c, "datasets", made.get_json()["id"], staff)
    body = c.get("/api/v1/datasets/dan-so").get_json()
    assert body["observations"][0]["value"] == 112500 and body["indicators"] == ["Dân số"]


def test_procedure_code_is_the_address_and_fixed_once_published(client_for, staff):
    """A procedure is addressed by its code; its revision by its own id; the code of a published one is fixed."""
    c = client_for("stc")
    made = c.post("/api/v1/procedures", json={"code": "1.0001", "name": "Thủ tục A"}, headers=staff["contributor"])
    assert made.status_code == 201 and made.headers["Location"] == "/api/v1/procedures/1.0001"
    assert made.get_json()["level"] == "province"  # the module's default
    publish(c, "procedures", made.get_json()["id"], staff)
    fixed = c.patch("/api/v1/procedures/1.0001", json={"code": "1.0002"}, headers=staff["contributor"])
    assert fixed.status_code == 422 and "code" in fixed.get_json()["error"]["fields"]
    revision = c.patch("/api/v1/procedures/1.0001", json={"name": "Thủ tục A (sửa)"}, headers=staff["contributor"])
    rev_id = revision.get_json()["id"]
    assert c.get(f"/api/v1/procedures/{rev_id}", headers=staff["head"]).get_json()["name"] == "Thủ tục A (sửa)"
    assert c.get("/api/v1/procedures/1.0001").get_json()["name"] == "Thủ tục A"


def test_one_answer_per_case(app, client_for, staff):
    """A case with an answer refuses a second one (409); the case an answer answers is fixed (422)."""
    with app.app_context():
        stc = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalar_one()
        question = sample_answer(stc, find_user("contributor.stc@test.vn")).question
        other = sample_answer(stc, find_user("contributor.stc@test.vn")).question
        other.tracking_code += "X"
        db.session.add_all([question, other])
        db.session.commit()
        question_id, other_id = question.id, other.id
    c = client_for("stc")
    body = {"question": question_id, "body": "<p>Trả lời.</p>"}
    made = c.post("/api/v1/answers", json=body, headers=staff["contributor"])
    assert made.status_code == 201 and made.get_json()["question_id"] == question_id
    assert c.post("/api/v1/answers", json=body, headers=staff["contributor"]).status_code == 409
    moved = c.patch(
        f"/api/v1/answers/{made.get_json()['id']}", json={"question": other_id}, headers=staff["contributor"]
    )
    assert moved.status_code == 422 and "question" in moved.get_json()["error"]["fields"]


def test_schedule_times_of_day(client_for, staff):
    """Times are ``HH:MM``; a time that is none is 422 naming the field; the end comes after the start."""
    c = client_for("stc")
    body = {"date": "2027-03-02", "start_time": "08:00", "end_time": "09:30", "title": "Họp giao ban"}
    made = c.post("/api/v1/schedule", json=body, headers=staff["contributor"])
    assert made.status_code == 201 and (made.get_json()["start_time"], made.get_json()["end_time"]) == (
        "08:00",
        "09:30",
    )
    bad = c.post("/api/v1/schedule", json={**body, "start_time": "25:00"}, headers=staff["contributor"])
    assert bad.status_code == 422 and "start_time" in bad.get_json()["error"]["fields"]
    backwards = c.post("/api/v1/schedule", json={**body, "end_time": "07:00"}, headers=staff["contributor"])
    assert backwards.status_code == 422 and "end_time" in backwards.get_json()["error"]["fields"]


def test_document_files_is_the_former_name_of_attachments(client_for, staff):
    """A document's ``files`` is still read as ``attachments``, and a refusal names both."""
    c = client_for("stc")
    body = {"number": "1/2027/QĐ", "title": "Quyết định", "files": [999999]}
    refused = c.post("/api/v1/documents", json=body, headers=staff["contributor"])
    assert refused.status_code == 422
    assert {"files", "attachments"} <= set(refused.get_json()["error"]["fields"])
