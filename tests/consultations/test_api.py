"""R-14, R-16, R-17: the consultations API: list, detail, published comments, posting (202/409/422/429)."""

COMMENT = {
    "name": "Trần Thị Bình",
    "email": "binh.tran@example.vn",
    "phone": "0987654321",
    "organisation": "Hợp tác xã Phú Riềng",
    "body": "Đề nghị làm rõ đối tượng miễn phí tại Điều 2.",
    "consent": True,
}


def test_list_and_detail_fields(client_for, make_consultation):
    """R-14: contract fields, absolute URL on the tenant's host, computed status."""
    cid = make_consultation("stc")
    make_consultation("dongxoai")
    stc = client_for("stc")
    body = stc.get("/api/v1/consultations").get_json()
    assert body["total"] == 1 and body["page"] == 1
    item = stc.get(f"/api/v1/consultations/{cid}").get_json()
    for key in (
        "id",
        "title",
        "summary",
        "sections",
        "opens_at",
        "closes_at",
        "receiving_address",
        "receiving_email",
        "status",
        "url",
    ):
        assert key in item
    assert item["status"] == "open"
    assert item["url"] == f"http://stc.localhost/consultations/{cid}"
    assert [s["number"] for s in item["sections"]] == ["Điều 1", "Điều 2", "Điều 3"]
    assert set(item["sections"][0]) >= {"id", "number", "title", "body"}
    assert item["opens_at"].endswith("+07:00")


def test_status_filter_and_upcoming(client_for, make_consultation):
    make_consultation("stc", opens=2, closes=10)
    make_consultation("stc", opens=-10, closes=-2)
    stc = client_for("stc")
    assert [i["status"] for i in stc.get("/api/v1/consultations?status=upcoming").get_json()["items"]] == ["upcoming"]
    assert [i["status"] for i in stc.get("/api/v1/consultations?status=closed").get_json()["items"]] == ["closed"]
    assert stc.get("/api/v1/consultations?status=nope").status_code == 400


def test_other_tenant_is_404(client_for, make_consultation):
    cid = make_consultation("stc")
    response = client_for("dongxoai").get(f"/api/v1/consultations/{cid}")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"
    assert client_for("dongxoai").get(f"/api/v1/consultations/{cid}/comments").status_code == 404


def test_post_comment_is_held_then_published_without_personal_data(
    client_for, make_consultation, section_id, publish_all
):
    """R-16, R-17: 202 on post; nothing listed before moderation; published without email/phone."""
    cid = make_consultation("stc")
    stc = client_for("stc")
    sid = section_id(cid, "Điều 2")
    response = stc.post(f"/api/v1/consultations/{cid}/comments", json={**COMMENT, "section_id": sid})
    assert response.status_code == 202
    assert response.get_json()["state"] == "pending"
    assert stc.get(f"/api/v1/consultations/{cid}/comments").get_json()["total"] == 0
    publish_all(cid)
    listed = stc.get(f"/api/v1/consultations/{cid}/comments")
    text = listed.get_data(as_text=True)
    assert listed.get_json()["items"][0]["section_id"] == sid
    assert "binh.tran@example.vn" not in text and "0987654321" not in text
    detail = stc.get(f"/api/v1/consultations/{cid}").get_data(as_text=True)
    assert "binh.tran@example.vn" not in detail


def test_post_comment_validation(client_for, make_consultation):
    """R-17: consent is required; fields are reported by name."""
    cid = make_consultation("stc")
    response = client_for("stc").post(
        f"/api/v1/consultations/{cid}/comments", json={"body": "", "email": "x", "consent": False, "section_id": 999999}
    )
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert {"body", "name", "email", "consent", "section_id"} <= set(fields)


def test_post_comment_when_closed_is_409(client_for, make_consultation):
    """R-14: after the deadline the API answers 409."""
    cid = make_consultation("stc", opens=-10, closes=-1)
    response = client_for("stc").post(f"/api/v1/consultations/{cid}/comments", json=COMMENT)
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "consultation_closed"


def test_post_comment_rate_limited_429(app, client_for, make_consultation):
    """R-16: the API shares the form's rate limit and answers 429 JSON."""
    cid = make_consultation("stc")
    stc = client_for("stc")
    app.config["PARTICIPATION_RATE_LIMIT"] = "2/minute"
    try:
        codes = [stc.post(f"/api/v1/consultations/{cid}/comments", json=COMMENT).status_code for _ in range(3)]
        last = stc.post(f"/api/v1/consultations/{cid}/comments", json=COMMENT)
    finally:
        app.config["PARTICIPATION_RATE_LIMIT"] = "5/minute;30/day"
    assert codes == [202, 202, 429]
    assert last.get_json()["error"]["code"] == "rate_limited"


def test_bad_json_is_400(client_for, make_consultation):
    cid = make_consultation("stc")
    response = client_for("stc").post(f"/api/v1/consultations/{cid}/comments", data="x", content_type="text/plain")
    assert response.status_code == 400 and "error" in response.get_json()
