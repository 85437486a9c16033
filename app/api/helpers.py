"""Small pieces every API module uses: who is calling, and reading a JSON body."""

from flask import g, request
from marshmallow import ValidationError

from app.auth.permissions import can_read_backoffice
from app.core.errors import APIError
from app.core.tenancy import current_tenant


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


def invalid(fields):
    """The 422 error naming the fields that are not valid."""
    return APIError(422, "Some fields are not valid.", fields=fields)


def load_json(schema):
    """Validate the JSON body with a marshmallow ``schema``; 400 if not an object, 422 with the fields."""
    try:
        return schema.load(json_object())
    except ValidationError as exc:
        raise invalid(exc.messages) from None
