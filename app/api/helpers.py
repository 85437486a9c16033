"""Small pieces every API module uses: who is calling, reading a JSON body, saving a reviewable item."""

from flask import current_app, g, request
from marshmallow import ValidationError

from app.api.describe import described
from app.auth.permissions import can_read_backoffice
from app.core.errors import APIError
from app.core.limits import InvalidJSON, parse_json_object
from app.core.tenancy import current_tenant
from app.extensions import db
from app.workflow.operations import WorkflowError, record_edit, start_revision


def is_staff():
    """True when the caller's token gives back-office access to this site (they see every state)."""
    user = g.get("api_user")
    return user is not None and can_read_backoffice(user, current_tenant)


def json_object():
    """The request's JSON body as a dict, or a 400 JSON error saying what is wrong with it.

    The body is read within the operation's ``max_body`` (:mod:`app.api.describe`) and
    ``API_MAX_CONTENT_LENGTH`` (413 beyond), and refused when nested too deep or holding a lone surrogate, a
    NUL character or a number that is not finite (see :mod:`app.core.limits`).
    """
    limit = body_limit()
    if limit is not None:
        if request.content_length is not None and request.content_length > limit:
            raise too_large(limit)
        request.max_content_length = min(request.max_content_length or limit, limit)
    if not request.is_json:
        raise APIError(400, "Send a JSON object (Content-Type: application/json).")
    raw = request.get_data(cache=True)
    if limit is not None and len(raw) > limit:
        raise too_large(limit)
    try:
        return parse_json_object(raw)
    except InvalidJSON as exc:
        raise APIError(400, exc.description) from None


def body_limit():
    """The ``max_body`` the view serving this request declares (:func:`app.api.describe.describe`), or None."""
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    meta = described(view, request.method) if view is not None else None
    return (meta or {}).get("max_body")


def too_large(limit):
    """The 413 JSON error of a body over ``limit`` bytes."""
    return APIError(413, f"The body is larger than this operation accepts ({limit} bytes).")


def invalid(fields):
    """The 422 error naming the fields that are not valid."""
    return APIError(422, "Some fields are not valid.", fields=fields)


def load_json(schema):
    """Validate the JSON body with a marshmallow ``schema``; 400 if not an object, 422 with the fields."""
    try:
        return schema.load(json_object())
    except ValidationError as exc:
        raise invalid(exc.messages) from None


def create_reviewable(item, user, apply, data):
    """Save a new draft built by ``apply(item, data)``; the caller answers 201 (nothing is kept on a refusal)."""
    try:
        with db.session.no_autoflush:
            apply(item, data)
        record_edit(item, user)
        db.session.add(item)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return item


def edit_reviewable(item, user, apply, data):
    """Apply ``data`` to ``item``, or to its pending revision when it is live (the public copy stays)."""
    try:
        target = start_revision(item, user)
    except WorkflowError as exc:
        db.session.rollback()
        raise APIError(exc.status, str(exc.message), exc.code) from None
    try:
        with db.session.no_autoflush:
            apply(target, data)
        record_edit(target, user)
        db.session.commit()
    except Exception:
        db.session.rollback()  # a refused change leaves no revision copy behind
        raise
    return target
