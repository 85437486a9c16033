"""The one error format: JSON under ``/api/`` (the contract's shape), HTML pages elsewhere."""

import logging

from flask import g, jsonify, render_template, request
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
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
}


class APIError(Exception):
    """Raise from API code to answer with the contract's JSON error."""

    def __init__(self, status, message, code=None, fields=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code or ERROR_CODES.get(status, "error")
        self.fields = fields or {}


def json_error(status, message, code=None, fields=None):
    body = {"error": {"code": code or ERROR_CODES.get(status, "error"), "message": message}}
    if fields:
        body["error"]["fields"] = fields
    response = jsonify(body)
    response.status_code = status
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
        422: _("Some of the data you sent is not valid."),
        429: _("Too many requests. Please wait a moment and try again."),
        500: _("Something went wrong on our side. Please try again later."),
    }


def handle_http_error(exc):
    status = exc.code or 500
    message = _messages().get(status) or exc.description
    if wants_json():
        response = json_error(status, message)
        if status == 429:
            response.headers["Retry-After"] = "60"
        return response
    host_error = g.get("host_error")
    if host_error or g.get("tenant") is None:
        # No tenant: a plain page that names no site.
        if host_error == "unknown":
            return render_template("errors/unknown_host.html"), status
        return render_template("errors/plain.html", status=status, message=message), status
    return render_template("errors/error.html", status=status, message=message), status


def handle_api_error(exc):
    return json_error(exc.status, exc.message, exc.code, exc.fields)


def handle_unexpected(exc):
    log.exception("unhandled error on %s %s", request.method, request.path)
    return handle_http_error(InternalServerError())


def init_app(app):
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(APIError, handle_api_error)
    if not app.config.get("PROPAGATE_EXCEPTIONS_IN_TESTS"):
        app.register_error_handler(Exception, handle_unexpected)
