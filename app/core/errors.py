"""The one domain error and the one error format: JSON under ``/api/`` (the contract's shape), HTML pages elsewhere."""

import logging

from flask import current_app, g, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)

ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    414: "uri_too_long",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    431: "headers_too_large",
    500: "internal_error",
}


class DomainError(ValueError):
    """A refused operation, with a message fit for the person who asked for it.

    Every module raises this (or a subclass of it named for the module); the API answers it with the
    contract's JSON error and the back office shows it with :func:`app.admin.views.show_error`.
    It is a ``ValueError`` because most module errors were, and WTForms turns a ``ValueError`` raised
    by a validator into a message on the field.

    :param message: what went wrong; default: the field messages joined.
    :param status: the HTTP status when it reaches a response (422: the data is not valid).
    :param code: the contract's error code; default: the one of ``status``.
    :param fields: ``{field: message or [messages]}``, stored as ``{field: [messages]}``.
    :param field: the one field at fault, if any: ``message`` is added to its messages.
    """

    def __init__(self, message=None, *, status=422, code=None, fields=None, field=None):
        self.fields = {name: _as_list(messages) for name, messages in (fields or {}).items()}
        if field is not None and message is not None:
            self.fields.setdefault(field, []).append(message)
        if message is None:
            message = "; ".join(str(m) for messages in self.fields.values() for m in messages)
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code or ERROR_CODES.get(status, "error")
        self.field = field

    def __str__(self):
        return str(self.message)


def _as_list(messages):
    return list(messages) if isinstance(messages, list | tuple) else [messages]


class APIError(DomainError):
    """Raise from API code to answer with the contract's JSON error.

    ``fields`` stays as given, strings or lists: it is the body's ``fields`` object, which clients read.
    """

    def __init__(self, status, message, code=None, fields=None):
        super().__init__(message, status=status, code=code, fields=fields)
        self.fields = fields or {}


def json_error(status, message, code=None, fields=None):
    body = {"error": {"code": code or ERROR_CODES.get(status, "error"), "message": message}}
    if fields:
        body["error"]["fields"] = fields
    response = jsonify(body)
    response.status_code = status
    return response


def options_response(allowed):
    """The answer to ``OPTIONS`` under ``/api/``: 204 without a body, ``Allow`` naming the URL's methods."""
    response = current_app.response_class(status=204)
    response.headers["Allow"] = ", ".join(allowed)
    return response


def wants_json():
    return request.path.startswith("/api/")


def _messages():
    return {
        400: _("The request could not be understood."),
        401: _("Please log in to continue."),
        403: _("You do not have permission to view this page."),
        404: _("The page you are looking for does not exist."),
        405: _("This method is not allowed here."),
        409: _("The request conflicts with the current state of the item."),
        413: _("The upload is too large."),
        414: _("The address is too long."),
        422: _("Some of the data you sent is not valid."),
        429: _("Too many requests. Please wait a moment and try again."),
        431: _("The request headers are too large."),
        500: _("Something went wrong on our side. Please try again later."),
    }


# Under /api/ messages are plain English whatever the language of the site (the API's convention).
API_MESSAGES = {
    400: "The request could not be understood.",
    401: "This operation needs a valid staff token.",
    403: "You do not have permission for this operation.",
    404: "Nothing exists at this address.",
    405: "This method is not allowed here.",
    409: "The request conflicts with the current state of the item.",
    413: "The body is too large.",
    414: "The address is too long.",
    415: "Send the body as application/json.",
    422: "Some of the data sent is not valid.",
    429: "Too many requests. Wait a moment and try again.",
    431: "The request headers are too large.",
    500: "Something went wrong on our side. Please try again later.",
}


def handle_http_error(exc):
    status = exc.code or 500
    if wants_json():
        response = json_error(status, API_MESSAGES.get(status) or exc.description or "Error.")
        # Headers the error brings (Allow of a 405, WWW-Authenticate...), the body aside.
        for name, value in exc.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        if status == 429:
            response.headers["Retry-After"] = "60"
        return response
    return _error_page(status, _messages().get(status) or exc.description)


def _error_page(status, message):
    host_error = g.get("host_error")
    if host_error or g.get("tenant") is None:
        # No tenant: a plain page that names no site.
        if host_error == "unknown":
            return render_template("errors/unknown_host.html"), status
        return render_template("errors/plain.html", status=status, message=message), status
    return render_template("errors/error.html", status=status, message=message), status


def handle_domain_error(exc):
    """A :class:`DomainError` no view caught: the contract's JSON under ``/api/``, else the error page."""
    if wants_json():
        return json_error(exc.status, str(exc.message), exc.code, exc.fields)
    return _error_page(exc.status, str(exc.message))


def handle_unexpected(exc):
    log.exception("unhandled error on %s %s", request.method, request.path)
    return handle_http_error(InternalServerError())


def init_app(app):
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(DomainError, handle_domain_error)
    if not app.config.get("PROPAGATE_EXCEPTIONS_IN_TESTS"):
        app.register_error_handler(Exception, handle_unexpected)
