"""R-19 and the contract: the procedures API (published only for anonymous callers, staff writes, isolation)."""

from app.extensions import db
from app.procedures.models import Procedure
from app.workflow.models import ReviewState
from app.workflow.operations import transition


def test_list_and_detail_are_published_only(client_for, make_procedure):
    """Contract: anonymous callers see published procedures only, with the list shape and absolute urls."""
    make_procedure("1.000001", field="Hộ tịch", level="commune")
    make_procedure("1.000002", state=ReviewState.DRAFT)
    make_procedure("1.000003", tenant="stp")
    api = client_for("stc")
    body = api.get("/api/v1/procedures").get_json()
    assert body["total"] == 1 and body["page"] == 1 and body["per_page"] == 20
    item = body["items"][0]
    assert item["code"] == "1.000001" and item["state"] == "published"
    assert item["url"] == "http://stc.localhost/procedures/1.000001"
    for name in ("id", "name", "level", "field", "implementing_agency", "channels", "components", "online_level"):
        assert name in item
    assert api.get("/api/v1/procedures?level=commune").get_json()["total"] == 1
    assert api.get("/api/v1/procedures?level=district").get_json()["total"] == 0
    assert api.get("/api/v1/procedures?q=ho+tich").get_json()["total"] == 1
    assert api.get("/api/v1/procedures/1.000001").get_json()["code"] == "1.000001"
    assert api.get("/api/v1/procedures/1.000002").status_code == 404
    missing = api.get("/api/v1/procedures/1.000003")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"


def test_staff_create_and_validation(client_for, token_for, tenants):
    """Contract: staff POST returns 201 with a draft; bad input is 422 with fields; duplicate code is 422."""
    headers = {"Authorization": f"Bearer {token_for('editor', 'stc')}"}
    api = client_for("stc")
    payload = {
        "code": "1.009999",
        "name": "Cấp giấy phép hoạt động",
        "level": "district",
        "steps": ["Bước 1", "Bước 2"],
        "channels": [{"channel": "online", "processing_days": 3, "fee": 100000}],
        "components": [{"name": "Đơn đề nghị", "quantity": 1}],
        "online_level": "partial",
    }
    created = api.post("/api/v1/procedures", json=payload, headers=headers)
    assert created.status_code == 201
    body = created.get_json()
    assert body["state"] == "draft" and body["steps"] == ["Bước 1", "Bước 2"]
    assert body["components"][0]["quantity"] == 1
    again = api.post("/api/v1/procedures", json=payload, headers=headers)
    assert again.status_code == 422 and "code" in again.get_json()["error"]["fields"]
    bad = api.post("/api/v1/procedures", json={"code": "x", "name": "y", "level": "village"}, headers=headers)
    assert bad.status_code == 422 and "level" in bad.get_json()["error"]["fields"]
    bad_channel = api.post(
        "/api/v1/procedures", json=dict(payload, code="2", channels=[{"channel": "fax"}]), headers=headers
    )
    assert bad_channel.status_code == 422
    assert api.post("/api/v1/procedures", json=payload).status_code == 401
    other = client_for("stp").post("/api/v1/procedures", json=dict(payload, code="3"), headers=headers)
    assert other.status_code == 403


def test_patch_of_a_published_procedure_makes_a_revision_with_its_children(
    client_for, token_for, make_procedure, make_user, tenants
):
    """R-09, R-19: PATCH of a live procedure edits a revision copy (steps, channels, components) that goes
    through the chain; the public record changes only after approval."""
    from app.auth.operations import find_user

    proc = make_procedure("1.000050", steps=["Cũ"], components=[{"name": "Cũ", "quantity": 1, "form_id": None}])
    headers = {"Authorization": f"Bearer {token_for('editor', 'stc')}"}
    api = client_for("stc")
    changed = api.patch(
        "/api/v1/procedures/1.000050",
        headers=headers,
        json={"steps": ["Mới 1", "Mới 2"], "components": [{"name": "Mới", "quantity": 3}]},
    )
    assert changed.status_code == 200
    revision_id = changed.get_json()["id"]
    assert revision_id != proc.id
    assert api.get("/api/v1/procedures/1.000050").get_json()["steps"] == ["Cũ"]
    revision = db.session.get(Procedure, revision_id)
    editor = find_user("editor.stc@test.vn")
    head = find_user(make_user("head", "stc"))
    transition(revision, "submit", editor)
    transition(revision, "approve", head)
    db.session.commit()
    body = api.get("/api/v1/procedures/1.000050").get_json()
    assert body["steps"] == ["Mới 1", "Mới 2"]
    assert body["components"][0]["name"] == "Mới" and body["components"][0]["quantity"] == 3
    assert body["id"] == proc.id


def test_generic_transitions_endpoint_knows_procedures(client_for, token_for, make_procedure):
    """R-09: the procedure type is registered: POST /api/v1/procedures/<id>/transitions submits it."""
    proc = make_procedure("1.000060", state=ReviewState.DRAFT)
    headers = {"Authorization": f"Bearer {token_for('editor', 'stc')}"}
    response = client_for("stc").post(
        f"/api/v1/procedures/{proc.id}/transitions", json={"action": "submit"}, headers=headers
    )
    assert response.status_code in (200, 201)
    db.session.expire_all()
    assert db.session.get(Procedure, proc.id).state == "in_review"
