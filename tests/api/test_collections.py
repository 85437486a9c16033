"""The staff API of every reviewable type, generated over the registry (issue 12): one mechanism, one shape.

For each declared type: create as staff on a subsite (201 + Location), read it as staff and not anonymously
while it is a draft, change it, submit and approve it through ``/transitions``, read it anonymously; change the
live item (a pending revision with ``revision_of``), address that revision by its own id everywhere, approve it
and see the change published; ETag and 304; a body over the limit (413); a bad field (422 naming it); another
site's token and another site's host.
"""

import json

import pytest
from sqlalchemy import select

from app.api.content import COLLECTIONS
from app.auth.operations import find_user, issue_token
from app.core.fields import Kind
from app.core.models import Tenant
from app.extensions import db
from app.modules import import_declarations
from app.workflow import registry

import_declarations()

TYPES = [pytest.param(ct.name, id=ct.name) for ct in registry.all_types()]


@pytest.fixture
def tokens(app, make_user):
    """Bearer headers of stc's contributor and head, and of dongxoai's head."""
    with app.app_context():
        people = {
            "contributor": make_user("contributor", "stc"),
            "head": make_user("head", "stc"),
            "dx_head": make_user("head", "dongxoai"),
        }
        headers = {name: {"Authorization": f"Bearer {issue_token(find_user(email))}"} for name, email in people.items()}
        db.session.commit()
        return headers


def create_body(app, ct):
    """The collection's documented example, with the rows its required references name made on stc."""
    info = COLLECTIONS[ct.name]
    body = dict(info.example)
    with app.app_context():
        stc = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalar_one()
        author = find_user("contributor.stc@test.vn")
        for field in ct.fields:
            if field.kind != Kind.RELATION or not field.api:
                continue
            if not field.required:
                body.pop(field.key, None)  # optional references are the modules' own tests
                continue
            sample = ct.sample(stc, author)
            related = getattr(sample, field.relation)
            setattr(sample, field.relation, None)
            db.session.add(related)
            db.session.commit()
            body[field.key] = related.id
    return body


def changed_field(ct):
    """``(key, value)``: a text field of ``ct`` to change in a PATCH (not an identifier)."""
    for field in ct.fields:
        if field.api and field.kind in (Kind.TEXT, Kind.RICH_TEXT) and field.key not in ("code", "number", "slug"):
            value = "Nội dung đã sửa" if field.kind == Kind.TEXT else "<p>Nội dung đã sửa</p>"
            return field.key, value
    raise AssertionError(f"{ct.name} has no text field")


def approve_until_published(client, url, head):
    """Approve at every step of stc's chain (the head may act on each); return the last answer."""
    for _ in range(5):
        answer = client.post(f"{url}/transitions", json={"action": "approve"}, headers=head)
        assert answer.status_code == 201, answer.get_json()
        if answer.get_json()["item"]["state"] in ("published", "scheduled"):
            return answer
    raise AssertionError("still in review after five approvals")


@pytest.mark.parametrize("type_name", TYPES)
def test_staff_create_review_publish_and_revise(app, client_for, tokens, type_name):
    """The whole life of an item of every type through the API, its revision addressed by its own id."""
    ct = registry.get(type_name)
    info = COLLECTIONS[type_name]
    base = f"/api/v1/{ct.collection}"
    stc = client_for("stc")
    writer, head = tokens["contributor"], tokens["head"]

    created = stc.post(base, json=create_body(app, ct), headers=writer)
    assert created.status_code == 201, created.get_json()
    item = created.get_json()
    assert item["state"] == "draft" and item["revision_of"] is None
    location = created.headers["Location"]
    assert location.startswith(base + "/")
    assert stc.get(location, headers=writer).get_json()["id"] == item["id"]
    assert stc.get(location).status_code == 404  # a draft is not public
    by_id = f"{base}/{item['id']}"  # the workflow's address of the item

    key, value = changed_field(ct)
    patched = stc.patch(location, json={key: value}, headers=writer)
    assert patched.status_code == 200 and patched.get_json()[key] == value
    assert patched.get_json()["id"] == item["id"]  # a draft is changed in place

    assert stc.post(f"{by_id}/transitions", json={"action": "submit"}, headers=writer).status_code == 201
    approve_until_published(stc, by_id, head)
    public = stc.get(location)
    assert public.status_code == 200 and public.get_json()[key] == value

    # Caching: the same read with its ETag is 304; the answer varies with the token.
    etag = public.headers["ETag"]
    assert "Authorization" in public.headers["Vary"]
    assert stc.get(location, headers={"If-None-Match": etag}).status_code == 304
    listing = stc.get(base)
    assert item["id"] in [i["id"] for i in listing.get_json()["items"]] and listing.headers.get("Last-Modified")

    # A change of the live item is a pending revision, with an id of its own that works everywhere.
    revised = stc.patch(location, json={key: "Bản sửa đổi lần hai"}, headers=writer)
    assert revised.status_code == 200, revised.get_json()
    revision = revised.get_json()
    assert revision["revision_of"] == item["id"] and revision["id"] != item["id"]
    rev_url = f"{base}/{revision['id']}"
    assert stc.get(rev_url, headers=writer).get_json()["revision_of"] == item["id"]
    assert stc.get(rev_url).status_code == 404  # not public
    assert stc.get(location).get_json()[key] == value  # the public version stays online
    again = stc.patch(rev_url, json={key: "Bản sửa đổi lần ba"}, headers=writer)
    assert again.status_code == 200 and again.get_json()["id"] == revision["id"]
    assert stc.post(f"{rev_url}/transitions", json={"action": "submit"}, headers=writer).status_code == 201
    inbox = stc.get("/api/v1/inbox", headers=head).get_json()
    assert revision["id"] in [entry["id"] for entry in inbox["items"]]
    history = stc.get(f"{rev_url}/history", headers=head)
    assert history.status_code == 200 and [h["action"] for h in history.get_json()["items"]][-1] == "submit"
    approve_until_published(stc, by_id, head)  # the live id acts on its pending revision
    assert stc.get(location).get_json()[key] == "Bản sửa đổi lần ba"
    assert stc.get(rev_url, headers=writer).status_code == 404  # merged into the live item
    assert info.max_body > 0


@pytest.mark.parametrize("type_name", TYPES)
def test_refusals(app, client_for, tokens, type_name):
    """413 over the body limit, 422 naming a bad field, another site's token 403, another host 404."""
    ct = registry.get(type_name)
    info = COLLECTIONS[type_name]
    base = f"/api/v1/{ct.collection}"
    stc = client_for("stc")
    writer = tokens["contributor"]
    body = create_body(app, ct)

    padding = "x" * (info.max_body + 1)
    big = stc.post(base, data=json.dumps({**body, "padding": padding}), content_type="application/json", headers=writer)
    assert big.status_code == 413 and big.get_json()["error"]["code"] == "payload_too_large"

    bad = stc.post(base, json={**body, "publish_at": "không phải ngày"}, headers=writer)
    assert bad.status_code == 422 and "publish_at" in bad.get_json()["error"]["fields"]
    missing = next(f.key for f in ct.fields if f.required and f.api)
    blank = stc.post(base, json={k: v for k, v in body.items() if k != missing}, headers=writer)
    assert blank.status_code == 422 and missing in blank.get_json()["error"]["fields"]

    created = stc.post(base, json=body, headers=writer)
    assert created.status_code == 201, created.get_json()
    item_id = created.get_json()["id"]
    assert stc.get(base, headers=tokens["dx_head"]).status_code == 403
    assert stc.patch(f"{base}/{item_id}", json={}, headers=tokens["dx_head"]).status_code == 403
    dongxoai = client_for("dongxoai")
    assert dongxoai.get(f"{base}/{item_id}", headers=tokens["dx_head"]).status_code == 404
    assert dongxoai.patch(f"{base}/{item_id}", json={}, headers=tokens["dx_head"]).status_code == 404
    assert (
        dongxoai.post(f"{base}/{item_id}/transitions", json={"action": "submit"}, headers=tokens["dx_head"]).status_code
        == 404
    )


@pytest.mark.parametrize("type_name", TYPES)
def test_staff_list_shows_drafts_by_state(app, client_for, tokens, type_name):
    """``state=draft`` lists the site's drafts for staff; anonymous callers never see them."""
    ct = registry.get(type_name)
    base = f"/api/v1/{ct.collection}"
    stc = client_for("stc")
    created = stc.post(base, json=create_body(app, ct), headers=tokens["contributor"]).get_json()
    drafts = stc.get(f"{base}?state=draft", headers=tokens["head"]).get_json()
    assert [i["id"] for i in drafts["items"]] == [created["id"]]
    assert stc.get(f"{base}?state=published", headers=tokens["head"]).get_json()["total"] == 0
    assert created["id"] not in [i["id"] for i in stc.get(f"{base}?state=draft").get_json()["items"]]
    assert stc.get(f"{base}?state=nope", headers=tokens["head"]).status_code == 400


def test_inbox_and_history_are_paginated(app, client_for, tokens):
    """``page`` and ``per_page`` cut the inbox and the history, in the contract's envelope."""
    stc = client_for("stc")
    writer, head = tokens["contributor"], tokens["head"]
    ids = []
    for n in range(3):
        made = stc.post("/api/v1/articles", json={"title": f"Tin số {n}"}, headers=writer).get_json()
        stc.post(f"/api/v1/articles/{made['id']}/transitions", json={"action": "submit"}, headers=writer)
        ids.append(made["id"])
    first = stc.get("/api/v1/inbox?per_page=2", headers=head).get_json()
    second = stc.get("/api/v1/inbox?per_page=2&page=2", headers=head).get_json()
    assert (first["total"], first["per_page"], len(first["items"]), len(second["items"])) == (3, 2, 2, 1)
    assert sorted(i["id"] for i in first["items"] + second["items"]) == sorted(ids)
    stc.post(f"/api/v1/articles/{ids[0]}/transitions", json={"action": "approve"}, headers=head)
    history = stc.get(f"/api/v1/articles/{ids[0]}/history?per_page=1&page=2", headers=head).get_json()
    assert history["total"] == 2 and [h["action"] for h in history["items"]] == ["approve"]
    assert stc.get("/api/v1/inbox?per_page=0", headers=head).status_code == 400
