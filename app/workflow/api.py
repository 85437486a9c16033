"""API of the review engine for every registered content type: transitions, history, inbox."""

from flask import Blueprint

from app.api.auth import require_staff
from app.api.helpers import json_object
from app.core.errors import APIError
from app.core.scoping import get_scoped
from app.core.tenancy import current_tenant
from app.core.timeutil import isoformat
from app.extensions import csrf, db
from app.workflow import registry
from app.workflow.operations import WorkflowError, content_version, history, inbox_items, pending_revision, transition

bp = Blueprint("workflow_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


def transition_dump(row):
    return {
        "id": row.id,
        "action": row.action,
        "from": row.from_state,
        "to": row.to_state,
        "step": row.step,
        "step_role": row.step_role or None,
        "actor": row.actor_name,
        "comment": row.comment,
        "revision": row.revision_number,
        "version": row.version,
        "at": isoformat(row.created_at),
    }


def item_dump(ct, item):
    """The item as its collection shows it, with ``version``: what an ``approve`` of it now would approve."""
    if ct.dump is not None:
        body = ct.dump(item)
    else:
        body = {"id": item.id, "title": item.display_title(), "state": item.effective_state}
    subject = (pending_revision(item) if item.revision_of_id is None else None) or item
    return {**body, "version": content_version(subject)}


def load_item(collection, object_id):
    ct = registry.by_collection(collection)
    if ct is None:
        raise APIError(404, f"No collection {collection!r}.")
    item = get_scoped(ct.model, object_id)
    if item is None or item.revision_of_id is not None:
        raise APIError(404, "No such item on this site.")
    return ct, item


@bp.post("/<collection>/<int:object_id>/transitions")
def post_transition(collection, object_id):
    """Apply a review action (submit, approve, request_changes, reject, unpublish, archive, propose_to_portal).

    ``version`` (optional, from the item's ``version`` in the inbox or a transition's answer): an ``approve`` of
    an item that is no longer that version is refused with 409 ``version_conflict``.
    """
    user = require_staff()
    ct, item = load_item(collection, object_id)
    payload = json_object()
    action = payload.get("action")
    comment = payload.get("comment") or ""
    version = payload.get("version")
    if not isinstance(action, str) or not isinstance(comment, str):
        raise APIError(422, "'action' and 'comment' must be strings.", fields={"action": "required string"})
    if version is not None and not isinstance(version, str):
        raise APIError(422, "'version' must be a string.", fields={"version": "string"})
    try:
        row = transition(item, action, user, comment, version=version)
    except WorkflowError as exc:
        db.session.rollback()
        fields = {exc.field: "required"} if exc.field else None
        raise APIError(exc.status, str(exc.message), exc.code, fields) from None
    db.session.commit()
    fresh = db.session.get(ct.model, object_id)
    return {"transition": transition_dump(row), "item": item_dump(ct, fresh)}, 201


@bp.get("/<collection>/<int:object_id>/history")
def get_history(collection, object_id):
    """Every recorded transition of the item, oldest first."""
    require_staff(write=False)
    ct, item = load_item(collection, object_id)
    rows = history(item)
    return {"items": [transition_dump(r) for r in rows], "page": 1, "per_page": len(rows), "total": len(rows)}


@bp.get("/inbox")
def inbox():
    """Items waiting for the caller's review on this site."""
    user = require_staff(write=False)
    rows = inbox_items(user, current_tenant)
    items = []
    for ct, item in rows:
        entry = item_dump(ct, item)
        entry.update(
            {
                "collection": ct.collection,
                "content_type": ct.name,
                "review_step": item.review_step,
                "due_at": isoformat(item.due_at),
                "overdue": item.is_overdue,
                "revision_of": item.revision_of_id,
            }
        )
        items.append(entry)
    return {"items": items, "page": 1, "per_page": len(items), "total": len(items)}


def init_app(app):
    app.register_blueprint(bp)
