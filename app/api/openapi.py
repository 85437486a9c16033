"""The OpenAPI 3.1 document of ``/api/v1``, generated so that it cannot drift from the code.

It is built from three things the API already has: the URL map (every path, its methods and the type of each
path parameter, from the rule's converter), the marshmallow schemas the views load and dump with (turned into
JSON Schema by apispec's ``MarshmallowPlugin``), and the metadata each view attaches with
:mod:`app.api.describe` (tags, query, body, response, statuses, auth...). A view that says nothing still
appears, with its path parameters and an untyped 200, so the document is always valid; ``tests/api`` checks
that no view is left undescribed.

The error statuses follow from the metadata: 400 and 429 for every operation; 401 and 403 where a token is
read; 404 where the path names something; 409, 413 and 422 where a body is read (409: the site is an
archive, or the operation's own conflicts); 414 where there are query parameters and 431 where there are
header parameters (the limits of app/core/limits.py); 304 where the read carries an ``ETag``; plus ``errors``.
Every one of them answers the contract's JSON error, ``components/schemas/Error``.
"""

import re
from decimal import Decimal

import marshmallow
from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin, OpenAPIConverter
from flask import current_app
from werkzeug.routing import IntegerConverter

from app.api.describe import described
from app.api.pagination import MAX_PAGE, MAX_PER_PAGE
from app.core.limits import MAX_ID
from app.core.tenancy import current_tenant, tenant_home_url

PREFIX = "/api/v1"
# Rules under the prefix that are no operation: the catch-all answering 404 for every other path.
NOT_OPERATIONS = {"api.not_found"}
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

# One tag per module, in the order the reference page shows them.
TAGS = {
    "site": "The site answering the request (its tenant) and the directory of subsites.",
    "articles": "News articles (tin tức): published ones for everyone; drafts, creation and changes for staff.",
    "press": "Press releases (thông cáo báo chí), a reviewable type like articles.",
    "documents": "Legal and administrative documents (văn bản).",
    "procedures": "Administrative procedures (thủ tục hành chính), addressed by their code.",
    "consultations": "Public consultations on draft documents (lấy ý kiến dự thảo) and their comments.",
    "consultation-outcomes": "What came of a consultation (kết quả lấy ý kiến): the report published after it.",
    "comments": "Comments on consultations: sending one (held for moderation), the published ones, moderation.",
    "questions": "Citizens' questions (hỏi đáp): the answered ones, a case by tracking code, and asking one.",
    "answers": "Published answers to citizens' questions (trả lời), a reviewable type.",
    "moderation": "Staff moderation of comments and questions.",
    "datasets": "Statistical datasets (số liệu thống kê) and their observations.",
    "projects": "Investment, bidding, procurement and science projects (dự án).",
    "pages": "Standing pages (giới thiệu...).",
    "schedule": "The leaders' weekly schedule (lịch công tác).",
    "workflow": "The review chain of every reviewable type: transitions, history and the caller's inbox.",
    "search": "Full-text search of published items.",
    "reference": "This description of the API and its reference page.",
}

ERROR_SCHEMA = {
    "type": "object",
    "description": "The contract's one error format: every status from 400 up under /api/ answers it.",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {
                    "type": "string",
                    "description": "A stable, machine-readable code.",
                    "examples": ["not_found"],
                },
                "message": {"type": "string", "description": "What went wrong, in plain English."},
                "fields": {
                    "type": "object",
                    "description": "The fields at fault: a message, or a list of messages, per field name.",
                    "additionalProperties": True,
                },
            },
            "required": ["code", "message"],
        }
    },
    "required": ["error"],
}

# status -> (component name, description)
ERROR_RESPONSES = {
    400: (
        "BadRequest",
        "The request cannot be read: a query parameter out of range, a body that is not a JSON object.",
    ),
    401: ("Unauthorized", "A token is needed, or the one sent is not valid, has expired or has been revoked."),
    403: ("Forbidden", "The token has no access to this site, or its role does not allow the operation."),
    404: ("NotFound", "Nothing by that id, code or slug on this site (or not visible to the caller)."),
    409: ("Conflict", "The operation conflicts with the item's state (or the site is an archive: tenant_archived)."),
    413: ("PayloadTooLarge", "The body is over this operation's limit."),
    414: ("URITooLong", "The address (path and query) is longer than the site reads."),
    422: ("UnprocessableEntity", "The body is JSON but some fields are not valid; fields names each."),
    429: ("TooManyRequests", "Too many requests from this address; wait Retry-After seconds."),
    431: ("HeadersTooLarge", "The request's headers are larger than the site reads."),
}

PAGE_PARAMETERS = [
    {
        "in": "query",
        "name": "page",
        "description": "The page, from 1.",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
    },
    {
        "in": "query",
        "name": "per_page",
        "description": f"Items per page, at most {MAX_PER_PAGE}.",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": 20},
    },
]

_RULE_PARAM = re.compile(r"<(?:(?P<converter>[a-zA-Z_][a-zA-Z0-9_]*)(?:\((?P<args>.*?)\))?:)?(?P<name>[a-zA-Z_]\w*)>")


class _Converter(OpenAPIConverter):
    """apispec's converter, with ``additionalProperties`` only where a schema says what it does with unknown keys.

    marshmallow's default (``RAISE``) is about loading; an output schema that never set it is not a promise that
    its dump holds nothing else (a dataset's detail adds its observations, a workflow item its ``version``).
    """

    def schema2jsonschema(self, schema):
        jsonschema = super().schema2jsonschema(schema)
        meta = getattr(resolve_instance(schema), "Meta", None)
        if not any("unknown" in vars(klass) for klass in getattr(meta, "__mro__", ())):
            jsonschema.pop("additionalProperties", None)
        return jsonschema


class _Plugin(MarshmallowPlugin):
    Converter = _Converter


def resolve_instance(schema):
    return schema() if isinstance(schema, type) else schema


def _field_attributes(self, field, ret, **kwargs):
    """What apispec does not know of our fields: dates shown with the offset, money as text."""
    from app.workflow.schemas import LocalDateTime

    if isinstance(field, LocalDateTime):
        return {"type": ["string", "null"], "format": "date-time"}
    if isinstance(field, marshmallow.fields.Decimal):
        if field.as_string:
            return {"type": ["string", "null"] if field.allow_none else "string", "pattern": r"^-?\d+(\.\d+)?$"}
        # apispec writes a Decimal's range as text; JSON Schema wants numbers.
        bounds = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
        return {key: _number(ret[key]) for key in bounds if isinstance(ret.get(key), str | Decimal)}
    return {}


def _number(value):
    number = Decimal(value)
    return int(number) if number == number.to_integral_value() else float(number)


def openapi_document():
    """The document for the request's tenant: the cached description with this tenant's server."""
    cache = current_app.extensions.setdefault("openapi", {})
    if "document" not in cache:
        cache["document"] = build_document(current_app)
    return {**cache["document"], "servers": [{"url": tenant_home_url(current_tenant).rstrip("/") + PREFIX}]}


def build_document(app):
    """Build the OpenAPI 3.1 document (without ``servers``) from ``app``'s URL map and view metadata."""
    plugin = _Plugin()
    spec = APISpec(
        title="Binh Phuoc web portal API",
        version="1",
        openapi_version="3.1.0",
        plugins=[plugin],
        info={
            "description": (
                "The JSON API of the Binh Phuoc provincial portal and every subsite (Cổng thông tin điện tử "
                "tỉnh Bình Phước). Each host answers for its own site. Staff authenticate with "
                "`Authorization: Bearer <token>` (`flask users token EMAIL`). Errors are always "
                '`{"error": {"code", "message", "fields"}}`.'
            ),
        },
    )
    plugin.converter.add_attribute_function(_field_attributes)
    spec.components.schema("Error", ERROR_SCHEMA)
    for status, (name, description) in ERROR_RESPONSES.items():
        response = {
            "description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        if status == 429:
            response["headers"] = {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer"}}}
        spec.components.response(name, response)
    spec.components.security_scheme(
        "bearer", {"type": "http", "scheme": "bearer", "description": "A staff token from `flask users token EMAIL`."}
    )

    used_tags = set()
    paths = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(PREFIX + "/") or rule.endpoint in NOT_OPERATIONS:
            continue
        view = app.view_functions[rule.endpoint]
        path, parameters = _path_and_parameters(rule)
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        for method in methods:
            meta = described(view, method)
            op_id = rule.endpoint if len(methods) == 1 else f"{rule.endpoint}.{method.lower()}"
            operation = _operation(plugin.converter, view, method, meta, parameters, op_id)
            used_tags.update(operation.get("tags", ()))
            paths.setdefault(path, {})[method.lower()] = operation
    for path in sorted(paths):
        spec.path(path=path, operations=paths[path])
    for name in [*TAGS, *sorted(used_tags - set(TAGS))]:
        if name in used_tags:
            spec.tag({"name": name, "description": TAGS.get(name, name)})
    return spec.to_dict()


def _path_and_parameters(rule):
    """``/articles/{article_id}`` and the path parameters of ``rule``, typed by their converters."""
    parameters = []

    def replace(match):
        name = match.group("name")
        converter = rule._converters.get(name)
        if isinstance(converter, IntegerConverter):
            schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
        else:
            schema = {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[^/]+$"}
        parameters.append({"in": "path", "name": name, "required": True, "schema": schema})
        return "{" + name + "}"

    path = _RULE_PARAM.sub(replace, rule.rule[len(PREFIX) :])
    return path, parameters


def _operation(converter, view, method, meta, path_parameters, op_id):
    meta = meta or {}
    doc = (view.__doc__ or "").strip()
    first, _, rest = doc.partition("\n")
    operation = {
        "operationId": op_id,
        "summary": meta.get("summary") or first.strip() or op_id,
        "tags": list(meta.get("tags") or []),
    }
    description = meta.get("description") or _dedent(rest)
    if description:
        operation["description"] = description
    if not operation["tags"]:
        del operation["tags"]

    parameters = []
    path_meta = meta.get("path") or {}
    for parameter in path_parameters:
        parameter = {**parameter, "schema": dict(parameter["schema"])}
        extra = path_meta.get(parameter["name"])
        if isinstance(extra, str):
            parameter["description"] = extra
        elif isinstance(extra, dict):
            parameter.update(extra)
        parameters.append(parameter)
    query = meta.get("query")
    query_parameters = _query_parameters(converter, query) if query is not None else []
    if meta.get("many"):
        names = {p["name"] for p in query_parameters}
        query_parameters = [p for p in PAGE_PARAMETERS if p["name"] not in names] + query_parameters
    parameters += query_parameters
    if meta.get("etag"):
        parameters.append(
            {
                "in": "header",
                "name": "If-None-Match",
                "description": "The ETag of a copy the caller holds: 304 without a body when it is still current.",
                "schema": {"type": "string"},
            }
        )
    if parameters:
        operation["parameters"] = parameters

    body = meta.get("body")
    if body is not None:
        content = {"schema": _schema(converter, body)}
        if meta.get("example") is not None:
            content["example"] = meta["example"]
        operation["requestBody"] = {"required": True, "content": {"application/json": content}}
        if meta.get("max_body"):
            operation["requestBody"]["description"] = f"At most {meta['max_body']} bytes (413 beyond)."

    operation["responses"] = _responses(
        converter, method, meta, bool(path_parameters), body is not None, {p["in"] for p in parameters}
    )

    auth = meta.get("auth")
    if auth == "staff":
        operation["security"] = [{"bearer": []}]
    elif auth == "optional":
        operation["security"] = [{}, {"bearer": []}]
    else:
        operation["security"] = []
    return operation


def _dedent(text):
    lines = [line.strip() for line in text.strip().splitlines()]
    return "\n".join(lines).strip()


def _query_parameters(converter, query):
    if isinstance(query, list):
        return [dict(p) for p in query]
    parameters = converter.schema2parameters(resolve_instance(query), location="query")
    for parameter in parameters:
        parameter.setdefault("required", False)
    return parameters


def _schema(converter, schema):
    """A JSON Schema for ``schema``: a marshmallow schema (a ``$ref`` to its component) or a dict as it is."""
    if schema is None:
        return {}
    if isinstance(schema, dict):
        return schema
    return converter.resolve_nested_schema(schema)


def _page_of(items):
    return {
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": items},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 0},
            "total": {"type": "integer", "minimum": 0},
        },
        "required": ["items", "page", "per_page", "total"],
    }


def _responses(converter, method, meta, has_path_parameters, has_body, parameter_locations=()):
    status = int(meta.get("status") or 200)
    media_type = meta.get("content_type", "application/json")
    schema = _schema(converter, meta.get("response"))
    if meta.get("many"):
        schema = _page_of(schema)
    success = {"description": meta.get("response_description") or _success_description(status)}
    if status != 204:
        success["content"] = {media_type: {"schema": schema}}
        if meta.get("response_example") is not None:
            success["content"][media_type]["example"] = meta["response_example"]
    if meta.get("etag"):
        success["headers"] = {
            "ETag": {"description": "The version of this representation.", "schema": {"type": "string"}}
        }
    responses = {str(status): success}
    if meta.get("etag"):
        responses["304"] = {"description": "Not modified: the copy named by If-None-Match is current."}

    errors = {400, 429, *(int(s) for s in meta.get("errors") or ())}
    if meta.get("auth") in ("staff", "optional"):
        errors |= {401, 403}
    if has_path_parameters:
        errors.add(404)
    if has_body:
        errors |= {413, 422}
    if "query" in parameter_locations:
        errors.add(414)  # MAX_URL_LENGTH (app/core/limits.py): a query can be made as long as one likes
    if "header" in parameter_locations:
        errors.add(431)
    if method in WRITE_METHODS:
        errors.add(409)  # the contract: every write to an archived site is 409 tenant_archived
    for code in sorted(errors):
        if code == 304:
            responses.setdefault("304", {"description": "Not modified."})
        elif code in ERROR_RESPONSES:
            responses[str(code)] = {"$ref": f"#/components/responses/{ERROR_RESPONSES[code][0]}"}
        else:
            responses[str(code)] = {
                "description": "Error.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            }
    return dict(sorted(responses.items()))


def _success_description(status):
    return {200: "OK", 201: "Created", 202: "Accepted: held for moderation", 204: "No content"}.get(status, "OK")
