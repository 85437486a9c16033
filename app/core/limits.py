"""What a request may carry (issue 11, "Odd input"): refused at the door with a 4xx, never a 500 further in.

- ids in URLs (``<int:...>``) fit the database's integer columns; a bigger number is no route (404);
- a URL longer than ``MAX_URL_LENGTH`` is 414, headers over ``MAX_HEADER_BYTES`` are 431;
- a NUL character in the path, the query or a form is 400 (PostgreSQL text cannot hold it), and so are other
  control characters (CR, LF...) and whole numbers of 19 digits or more in the query;
- a body under ``/api/`` over ``API_MAX_CONTENT_LENGTH`` is 413 (uploads keep ``MAX_CONTENT_LENGTH``);
- OPTIONS under ``/api/`` is 204 with ``Allow`` (404 for a URL that is no endpoint; there is no CORS);
- a JSON body is parsed by :func:`parse_json_object`: an object, at most ``API_MAX_JSON_DEPTH`` deep,
  without lone surrogates, NUL characters, ``NaN`` or infinities (400 otherwise).

Under ``/api/`` each refusal is the contract's JSON error (``app.core.errors``).
"""

import json
import math
import re

from flask import current_app, request
from flask.globals import request_ctx
from werkzeug.exceptions import (
    BadRequest,
    HTTPException,
    NotFound,
    RequestHeaderFieldsTooLarge,
    RequestURITooLarge,
)
from werkzeug.routing import IntegerConverter

from app.core.errors import APIError, options_response

# The largest id a URL may name: the ``INTEGER`` primary keys of SQLite and PostgreSQL.
MAX_ID = 2**31 - 1
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# In a query value: control characters end up in headers (a redirect's Location) and no field takes them;
# a whole number of 19 digits or more overflows the 64-bit integers of SQLite and PostgreSQL's OFFSET.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_HUGE_NUMBER = re.compile(r"[-+]?0*[1-9][0-9]{18,}")

DEFAULTS = {
    # Longest path + query, in characters (gunicorn refuses request lines over 4094 bytes by itself).
    "MAX_URL_LENGTH": 4000,
    # Total size of the request's header names and values, in bytes.
    "MAX_HEADER_BYTES": 16 * 1024,
    # Largest body under /api/ (JSON only: uploads go through the back office).
    "API_MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    # Deepest nesting of arrays and objects in a JSON body.
    "API_MAX_JSON_DEPTH": 32,
}


def _digits_up_to(limit):
    """A regular expression of the whole numbers from 0 to ``limit`` (leading zeros allowed)."""
    text = str(limit)
    shorter = [f"[0-9]{{1,{len(text) - 1}}}"] if len(text) > 1 else []
    lower = [f"{text[:i]}[0-{int(d) - 1}][0-9]{{{len(text) - i - 1}}}" for i, d in enumerate(text) if d != "0"]
    return "0*(?:" + "|".join([*shorter, *lower, text]) + ")"


class BoundedIntegerConverter(IntegerConverter):
    """``<int:...>`` with the range of an id: 0 to :data:`MAX_ID` (anything bigger matches no route: 404).

    The range is in the regular expression, not only in ``max``: when a converter refuses a value, Werkzeug's
    matcher stops there (405 if the path has a rule for another method, even under /api/v1's catch-all), whereas
    a part that does not match lets the next rule match (the API's catch-all: the JSON 404).
    """

    regex = _digits_up_to(MAX_ID)

    def __init__(self, map, fixed_digits=0, min=0, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class InvalidJSON(BadRequest):
    """A body that is not the JSON object the endpoint reads; ``description`` says why (for the client)."""


def _setting(name):
    return current_app.config.get(name, DEFAULTS[name])


def check_request():
    """``before_request``: refuse what no view should have to handle."""
    if len(request.full_path) > _setting("MAX_URL_LENGTH"):
        raise RequestURITooLarge()
    if sum(len(k) + len(v) for k, v in request.headers.items()) > _setting("MAX_HEADER_BYTES"):
        raise RequestHeaderFieldsTooLarge()
    if request.path.startswith("/api/"):
        request.max_content_length = min(
            _setting("API_MAX_CONTENT_LENGTH"), current_app.config.get("MAX_CONTENT_LENGTH") or math.inf
        )
        if request.method == "OPTIONS":
            return _answer_options()
    if "\x00" in request.path:
        raise BadRequest("The address holds a NUL character.")
    for key, value in request.args.items(multi=True):
        if _CONTROL.search(key) or _CONTROL.search(value):
            raise APIError(400, "The address holds a control character (NUL, CR, LF...).", fields={key: "control"})
        if _HUGE_NUMBER.fullmatch(value.strip()):
            raise APIError(400, f"{key} is a number bigger than any this site counts.", fields={key: "range"})
    if request.mimetype in FORM_TYPES and any("\x00" in k or "\x00" in v for k, v in request.form.items(multi=True)):
        raise BadRequest("A form field holds a NUL character.")
    return None


def _answer_options():
    """OPTIONS is 204 with ``Allow`` naming the URL's methods (404 for a URL that is no endpoint, as the JSON
    error). The API serves no browser from another origin, so no CORS header is added."""
    allowed = []
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        try:
            endpoint, _args = request_ctx.url_adapter.match(method=method)
        except HTTPException:
            continue
        if endpoint != "api.not_found":  # the catch-all that answers 404 for every other /api/v1 path
            allowed += ["GET", "HEAD"] if method == "GET" else [method]
    if not allowed:
        raise NotFound()
    return options_response([*allowed, "OPTIONS"])


def parse_json_object(raw):
    """The JSON object in ``raw`` (bytes or text).

    :raise InvalidJSON: not JSON, not an object, nested too deep, or holding a text no database stores.
    """
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes | bytearray) else raw
        payload = json.loads(text, parse_constant=_refuse_constant)
    except UnicodeDecodeError:
        raise InvalidJSON("The body is not UTF-8.") from None
    except RecursionError:
        raise InvalidJSON("The JSON body is nested too deep.") from None
    except ValueError as exc:
        raise InvalidJSON(f"The body is not valid JSON: {exc}") from None
    if not isinstance(payload, dict):
        raise InvalidJSON("Send a JSON object.")
    _check_values(payload, _setting("API_MAX_JSON_DEPTH"))
    return payload


def _refuse_constant(name):
    raise ValueError(f"{name} is not a number JSON allows")


def _check_values(payload, max_depth):
    """Walk ``payload`` without recursion: depth, texts that encode as UTF-8 without NUL, finite numbers."""
    stack = [(payload, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > max_depth:
                raise InvalidJSON(f"The JSON body is nested deeper than {max_depth} levels.")
            children = [*value.keys(), *value.values()] if isinstance(value, dict) else value
            stack.extend((child, depth + 1) for child in children)
        elif isinstance(value, str):
            _check_text(value)
        elif isinstance(value, float) and not math.isfinite(value):
            raise InvalidJSON("Numbers must be finite.")


def _check_text(value):
    if "\x00" in value:
        raise InvalidJSON("A text holds a NUL character.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidJSON("A text holds a lone surrogate (\\ud800-\\udfff), which is not a character.") from None


def init_app(app):
    """Call before any route is added: the ``int`` converter applies to the rules added after it."""
    for name, value in DEFAULTS.items():
        app.config.setdefault(name, value)
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.before_request_funcs.setdefault(None, []).insert(0, check_request)
