"""Moderation API: the queue of visitors' input waiting for this site's moderators, and their decisions.

A module whose visitors' input is held for moderation (consultation comments) registers its :class:`Queue`
with :func:`register_queue` from its ``init_app``, as it registers personal data with
:mod:`app.moderation.personal_data`; this module cannot import it (it sits below the modules). The
endpoints then call the module's own moderation operation, the one the back office calls, so the actions,
the reasons they need and the audit log are that operation's; who may moderate is the back office's rule
(the queue's ``roles``, or a global role; the inspector reads but never acts).
"""

import logging
from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, request
from marshmallow import EXCLUDE, Schema, ValidationError, validate
from marshmallow import fields as ma

from app.api.auth import require_staff
from app.api.describe import operation
from app.api.helpers import load_json
from app.api.pagination import paginate
from app.auth.permissions import can_read_backoffice, has_role
from app.core.errors import APIError
from app.core.limits import MAX_ID
from app.core.scoping import get_scoped, scoped
from app.core.tenancy import current_tenant
from app.extensions import csrf, db
from app.moderation.schemas import ModerationInputSchema

log = logging.getLogger(__name__)

# The largest moderation body, in bytes (an action, a reason of 500 characters, an id).
MAX_BODY = 8 * 1024


@dataclass(frozen=True)
class Queue:
    """Visitors' input of one kind that moderators publish or hold back, as its module declares it.

    :param collection: the URL name: ``GET /<collection>``, ``POST /<collection>/<id>/moderation``.
    :param model: the tenant-scoped row, with ``status`` and ``created_at`` columns.
    :param statuses: its status values; the first (waiting for a moderator) is the list's default.
    :param actions: the actions the operation knows (for the reference; the operation decides).
    :param moderate: ``moderate(row, action, actor, reason, duplicate_of)``: the back office's operation;
        raises ``refusal`` (a :class:`~app.core.errors.DomainError`) for a refused action.
    :param refusal: the error class of ``moderate``.
    :param schema: the staff output schema (a class); ``personal`` names its fields only moderators see.
    :param roles: the site roles that moderate.
    :param filters: ``{query parameter: column}``: ids the list can be filtered by.
    :param tag: the reference's tag.
    :param example: a Vietnamese example of a moderation body.
    """

    collection: str
    model: Any
    statuses: tuple
    actions: tuple
    moderate: Any
    refusal: type
    schema: Any
    roles: tuple
    personal: tuple = ()
    filters: dict = field(default_factory=dict)
    tag: str = "comments"
    example: dict = field(default_factory=dict)


_QUEUES: dict[str, Queue] = {}


def queues():
    """The registered queues, by collection."""
    return dict(_QUEUES)


def may_read(user, tenant, queue):
    """The back office's rule for the queue's page: its roles on the site, or a global role."""
    return can_read_backoffice(user, tenant) and (bool(user.global_role) or has_role(user, tenant, *queue.roles))


def may_moderate(user, tenant, queue):
    """Acting on the queue (and seeing who wrote): its roles on the site, or the province admin."""
    return has_role(user, tenant, *queue.roles)


def _query_schema(queue):
    attrs = {
        "status": ma.Str(validate=validate.OneOf(queue.statuses), metadata={"description": "Default: waiting."}),
        # Query values are texts: the digits of an id (a body's ids are JSON integers: ``Id``).
        **{name: ma.Int(validate=validate.Range(min=1, max=MAX_ID)) for name in queue.filters},
        "Meta": type("Meta", (), {"unknown": EXCLUDE}),
    }
    return type(f"{queue.model.__name__}QueueQuerySchema", (Schema,), attrs)


def _input_schema(queue):
    action = ma.Str(required=True, validate=validate.OneOf(queue.actions))
    return type(f"{queue.model.__name__}ModerationSchema", (ModerationInputSchema,), {"action": action})


def register_queue(app, queue):
    """Add the queue's endpoints to ``app`` (``GET /<collection>``, ``POST /<collection>/<id>/moderation``)."""
    _QUEUES[queue.collection] = queue
    bp = Blueprint(f"moderation_{queue.collection}_api", __name__, url_prefix="/api/v1")
    csrf.exempt(bp)
    query_schema, input_schema, model = _query_schema(queue), _input_schema(queue), queue.model

    def staff_schema(user):
        return queue.schema(exclude=() if may_moderate(user, current_tenant, queue) else queue.personal)

    def reader():
        user = require_staff(write=False)
        if not may_read(user, current_tenant, queue):
            raise APIError(403, "Your role does not moderate on this site.")
        return user

    @operation(
        tags=[queue.tag],
        summary=f"The moderation queue of {queue.collection} on this site",
        description=(
            f"This site's {queue.collection} in one `status` (default `{queue.statuses[0]}`: waiting for a "
            "moderator), oldest first, with their text and where they belong. Contact details only for the "
            "moderators (not the inspector)."
        ),
        query=query_schema,
        response=queue.schema,
        many=True,
        auth="staff",
    )
    def list_queue():
        """The items of the queue in one status, oldest first."""
        user = reader()
        try:
            args = query_schema().load(request.args)
        except ValidationError as exc:
            raise APIError(400, "Some query parameters are not valid.", fields=exc.messages) from None
        stmt = scoped(model).where(model.status == args.get("status", queue.statuses[0]))
        for name, column in queue.filters.items():
            if name in args:
                stmt = stmt.where(column == args[name])
        return paginate(stmt.order_by(model.created_at, model.id), staff_schema(user))

    @operation(
        tags=[queue.tag],
        summary=f"Moderate one of {queue.collection}",
        description=(
            "Applies the back office's moderation action (" + ", ".join(f"`{a}`" for a in queue.actions) + ") "
            "to an item of this site, at any status (a moderator may revise a decision), and records it in the "
            "audit log. The operation's refusals (a reason missing, a wrong duplicate) are 422 naming the field."
        ),
        body=input_schema,
        response=queue.schema,
        auth="staff",
        max_body=MAX_BODY,
        path={"item_id": "The id of the item on this site."},
        example=queue.example,
    )
    def moderate(item_id):
        """Publish or hold back one item of the queue, with a reason where the action needs one."""
        user = require_staff()
        if not may_moderate(user, current_tenant, queue):
            raise APIError(403, "Your role does not moderate on this site.")
        data = load_json(input_schema())
        row = get_scoped(model, item_id)
        if row is None:
            raise APIError(404, "No such item on this site.")
        duplicate_of = None
        if data.get("duplicate_of") is not None:
            duplicate_of = get_scoped(model, data["duplicate_of"])
            if duplicate_of is None:
                raise APIError(422, "Some fields are not valid.", fields={"duplicate_of": ["Unknown on this site."]})
        try:
            queue.moderate(row, data["action"], user, data.get("reason", ""), duplicate_of)
        except queue.refusal as exc:
            db.session.rollback()
            fields = {name: [str(m) for m in messages] for name, messages in exc.fields.items()}
            raise APIError(exc.status, str(exc.message), exc.code, fields or None) from None
        db.session.commit()
        log.info("%s %s: %s by user %s on %s", queue.collection, row.id, data["action"], user.id, current_tenant.code)
        return staff_schema(user).dump(row)

    bp.add_url_rule(f"/{queue.collection}", "list", list_queue, methods=["GET"])
    bp.add_url_rule(f"/{queue.collection}/<int:item_id>/moderation", "moderate", moderate, methods=["POST"])
    app.register_blueprint(bp)
    return queue
