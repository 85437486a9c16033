"""Small pieces every API module uses: who is calling, reading a JSON body, saving a reviewable item."""

from flask import g, request
from marshmallow import ValidationError

from app.auth.permissions import can_read_backoffice
from app.core.errors import APIError
from app.core.tenancy import current_tenant
from app.extensions import db
from app.workflow.operations import WorkflowError, record_edit, start_revision


def is_staff():
    """True when the caller's token gives back-office access to this site (they see every state)."""
    user = g.get("api_user")
    return user is not None and can_read_backoffice(user, current_tenant)


def json_object():
    """The request's JSON body as a dict, or a 400 JSON error."""
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        raise APIError(400, "Send a JSON object.")
    return payload


def text_field(data, name, limit, required, errors):
    """A stripped string field of a JSON body; problems go into ``errors`` (for a 422 with ``fields``)."""
    value = data.get(name)
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[name] = "Must be a string."
        return ""
    value = value.strip()
    if required and not value:
        errors[name] = "Required."
    elif len(value) > limit:
        errors[name] = f"At most {limit} characters."
    return value


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
    """Save a new draft built by ``apply(item, data)``; the caller answers 201."""
    with db.session.no_autoflush:
        apply(item, data)
    record_edit(item, user)
    db.session.add(item)
    db.session.commit()
    return item


def edit_reviewable(item, user, apply, data):
    """Apply ``data`` to ``item``, or to its pending revision when it is live (the public copy stays)."""
    try:
        target = start_revision(item, user)
    except WorkflowError as exc:
        db.session.rollback()
        raise APIError(exc.status, str(exc.message), exc.code) from None
    with db.session.no_autoflush:
        apply(target, data)
    record_edit(target, user)
    db.session.commit()
    return target
