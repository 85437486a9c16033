"""API of the review engine for every registered content type: transitions, history, inbox.

An item is addressed by its own id, a pending revision too (the inbox lists revisions by theirs); a live item's
id acts on its pending revision for the review actions (:data:`app.workflow.operations.REVISION_ACTIONS`).
"""

from flask import Blueprint
from marshmallow import Schema, fields, validate

from app.api.auth import require_staff
from app.api.content import TRANSITION_BODY
from app.api.describe import describe
from app.api.helpers import json_object
from app.api.pagination import paginate_list
from app.core.errors import APIError
from app.core.scoping import get_scoped
from app.core.tenancy import current_tenant
from app.core.timeutil import isoformat
from app.extensions import csrf, db
from app.workflow import registry
from app.workflow.operations import (
    ACTIONS,
    WorkflowError,
    content_version,
    history,
    inbox_items,
    pending_revision,
    transition,
)

bp = Blueprint("workflow_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


class TransitionInput(Schema):
    """A review action on an item."""

    action = fields.Str(required=True, validate=validate.OneOf(ACTIONS))
    comment = fields.Str(metadata={"description": "Required for request_changes and reject."})
    version = fields.Str(
        allow_none=True,
        metadata={"description": "The item's ``version`` the reviewer saw; an approve of another is 409."},
    )


class TransitionSchema(Schema):
    """One recorded step of an item's review."""

    id = fields.Int()
    action = fields.Str()
    from_ = fields.Str(data_key="from")
    to = fields.Str()
    step = fields.Int(allow_none=True)
    step_role = fields.Str(allow_none=True)
    actor = fields.Str(allow_none=True)
    comment = fields.Str(allow_none=True)
    revision = fields.Int(allow_none=True)
    version = fields.Str(allow_none=True)
    at = fields.Str(allow_none=True)


class ReviewItemSchema(Schema):
    """An item as the review engine shows it: its collection's fields (as ``GET`` of it answers), and ``version``."""

    class Meta:
        unknown = "include"

    id = fields.Int()
    state = fields.Str()
    revision_of = fields.Int(allow_none=True)
    version = fields.Str()


class TransitionResultSchema(Schema):
    transition = fields.Nested(TransitionSchema)
    item = fields.Nested(ReviewItemSchema)


class InboxItemSchema(ReviewItemSchema):
    collection = fields.Str()
    content_type = fields.Str()
    review_step = fields.Int(allow_none=True)
    due_at = fields.Str(allow_none=True)
    overdue = fields.Bool()


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
    body.setdefault("revision_of", item.revision_of_id)
    subject = (pending_revision(item) if item.revision_of_id is None else None) or item
    return {**body, "version": content_version(subject)}


def load_item(collection, object_id):
    """The content type of ``collection`` and its item ``object_id`` on this site (a pending revision too)."""
    ct = registry.by_collection(collection)
    if ct is None:
        raise APIError(404, f"No collection {collection!r}.")
    item = get_scoped(ct.model, object_id)
    if item is None:
        raise APIError(404, "No such item on this site.")
    return ct, item


ITEM_PATH = {
    "collection": {
        "description": "The collection of the item's type (``articles``, ``procedures``...).",
        "schema": {"type": "string"},
    },
    "object_id": "The item's id (a pending revision's own id, as the inbox lists it, works too).",
}


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
    live_id = item.revision_of_id
    try:
        row = transition(item, action, user, comment, version=version)
    except WorkflowError as exc:
        db.session.rollback()
        fields_ = {exc.field: "required"} if exc.field else None
        raise APIError(exc.status, str(exc.message), exc.code, fields_) from None
    db.session.commit()
    # An approved revision is merged into its live item and removed: answer with the live item then.
    fresh = db.session.get(ct.model, object_id) or (db.session.get(ct.model, live_id) if live_id else None)
    return {"transition": transition_dump(row), "item": item_dump(ct, fresh)}, 201


def get_history(collection, object_id):
    """Every recorded transition of the item (of its live item, for a revision), oldest first."""
    require_staff(write=False)
    ct, item = load_item(collection, object_id)
    return paginate_list([transition_dump(r) for r in history(item)], default_per_page=100)


def inbox():
    """Items waiting for the caller's review on this site, by the id to act on (a revision's own id)."""
    user = require_staff(write=False)
    items = []
    for ct, item in inbox_items(user, current_tenant):
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
    return paginate_list(items)


describe(
    post_transition,
    "post",
    tags=["workflow"],
    body=TransitionInput,
    response=TransitionResultSchema,
    status=201,
    auth="staff",
    max_body=TRANSITION_BODY,
    errors=(404, 409, 422),
    path=ITEM_PATH,
    example={"action": "approve", "comment": "Đồng ý đăng tải."},
)
describe(get_history, "get", tags=["workflow"], response=TransitionSchema, many=True, auth="staff", path=ITEM_PATH)
describe(inbox, "get", tags=["workflow"], response=InboxItemSchema, many=True, auth="staff")
bp.add_url_rule("/<collection>/<int:object_id>/transitions", "post_transition", post_transition, methods=["POST"])
bp.add_url_rule("/<collection>/<int:object_id>/history", "get_history", get_history, methods=["GET"])
bp.add_url_rule("/inbox", "inbox", inbox, methods=["GET"])


def init_app(app):
    app.register_blueprint(bp)
