"""The index follows every reviewable type through publish, edit, expiry and unpublish (R-24), with no job run.

Generated over every registered type that has a public page: a new type is covered without a new test.
"""

import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.auth.operations import find_user
from app.core.fields import Kind
from app.core.models import Tenant
from app.core.timeutil import utcnow
from app.extensions import db
from app.modules import import_declarations
from app.search.models import SearchEntry
from app.workflow import registry
from app.workflow.operations import start_revision, transition

import_declarations()
SEARCHABLE = sorted(ct.name for ct in registry.all_types() if ct.public_url is not None and ct.sample is not None)
EXPIRES_IN = 3  # seconds: long enough for the edit to be approved and searched on a busy machine


def _found(client, word):
    """The title and snippet of each result for ``word``."""
    body = client.get(f"/api/v1/search?q={word}").get_json()
    return [f"{item['title']} {item['snippet']}" for item in body["items"]]


def _set_text(ct, item, text):
    """Put ``text`` in the type's title field (a type without one, an answer: in its first searched field)."""
    fields = [f for f in ct.fields if f.search and f.lang == "vi"]
    target = next((f for f in fields if f.search == "title"), None) or (fields[0] if fields else None)
    # A type with its own search document (documents, procedures) is titled by its title or name.
    target = target or next(f for f in ct.fields if f.name in ("title", "name"))
    setattr(item, target.name, f"<p>{text}</p>" if target.kind == Kind.RICH_TEXT else text)


def _entries(ct, item_id):
    stmt = (
        select(func.count())
        .select_from(SearchEntry)
        .where(SearchEntry.content_type == ct.name, SearchEntry.object_id == item_id)
    )
    return db.session.execute(stmt).scalar()


@pytest.mark.parametrize("type_name", SEARCHABLE)
def test_index_follows_publish_edit_expiry_and_unpublish(app, client_for, make_user, type_name):
    """R-24: found once published (folded: "Kiểm" by "kiem"), found by its new title only once the edit is
    approved, gone when its expiry passes and when it is unpublished; for every reviewable type."""
    ct = registry.get(type_name)
    emails = make_user("contributor", "stc"), make_user("head", "stc")
    client = client_for("stc")
    with app.test_request_context(base_url="http://stc.localhost"):
        writer, head = (find_user(email) for email in emails)
        stc = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalars().one()
        item = ct.sample(stc, writer)
        _set_text(ct, item, "Kiểm tra chỉ mục Xylophonđầu")
        db.session.add(item)
        db.session.flush()
        transition(item, "submit", writer)
        transition(item, "approve", head)
        db.session.commit()
        item_id = item.id
    assert any("Xylophonđầu" in title for title in _found(client, "xylophondau")), f"{type_name} not found"
    assert any("Xylophonđầu" in title for title in _found(client, "XYLOPHONĐẦU"))

    with app.test_request_context(base_url="http://stc.localhost"):
        writer, head = (find_user(email) for email in emails)
        live = db.session.get(ct.model, item_id)
        copy = start_revision(live, writer)
        _set_text(ct, copy, "Kiểm tra chỉ mục Zebraphon")
        copy.expire_at = expires = utcnow() + timedelta(seconds=EXPIRES_IN)
        db.session.commit()
        assert _found(client, "zebraphon") == [], "a pending edit must not reach the index"
        transition(copy, "submit", writer)
        transition(copy, "approve", head)
        db.session.commit()
    assert any("Zebraphon" in title for title in _found(client, "zebraphon")), f"{type_name}: edit not indexed"
    assert _found(client, "xylophondau") == [], f"{type_name}: the old title is still found"

    time.sleep(max(0.0, (expires - utcnow()).total_seconds()) + 0.2)
    assert _found(client, "zebraphon") == [], f"{type_name}: found after its expiry"

    with app.test_request_context(base_url="http://stc.localhost"):
        head = find_user(emails[1])
        live = db.session.get(ct.model, item_id)
        live.expire_at = None
        transition(live, "unpublish", head, "Hết hiệu lực")
        db.session.commit()
        assert _entries(ct, item_id) == 0, f"{type_name}: still in the index after unpublishing"
    assert _found(client, "zebraphon") == []
