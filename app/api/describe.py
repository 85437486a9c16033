"""What each API operation takes and answers, attached to its view: the one source of the OpenAPI document.

A view says it with :func:`operation` (a decorator) or :func:`describe` (for views made in a loop, such as
:func:`app.api.content.register_collection`)::

    @bp.get("/questions/<tracking_code>")
    @operation(tags=["questions"], response=QuestionSchema, errors=(404,))
    def get_question(tracking_code): ...

Keys (all optional):

``tags``        list of tag names (one per module: ``articles``, ``procedures``, ...; see
                :data:`app.api.openapi.TAGS`).
``summary``     one line; defaults to the first line of the view's docstring.
``description`` longer text; defaults to the rest of the docstring.
``query``       a marshmallow ``Schema`` class or instance whose fields are the query parameters (or a list of
                OpenAPI parameter objects). ``page`` and ``per_page`` are added for ``many``.
``body``        a marshmallow ``Schema`` class or instance of the JSON request body (or a JSON Schema dict).
``response``    a marshmallow ``Schema`` class or instance of the success body (or a JSON Schema dict;
                ``None``: an untyped body).
``status``      the success status (200 by default; 201 for a staff create, 202 for a public write).
``many``        the success body is the contract's page envelope ``{items, page, per_page, total}``
                of ``response`` items.
``errors``      the error statuses the operation may answer besides those that follow from the other keys:
                400 and 429 for every operation; 401 and 403 where ``auth`` is ``"staff"`` or ``"optional"``;
                404 where the path has a parameter; 413 and 422 where there is a ``body``; 409 for every write
                (an archived site). List 409 for a read, 304, or any other status here.
``auth``        ``None`` (anonymous), ``"optional"`` (a staff token shows more) or ``"staff"`` (required).
``max_body``    the largest request body in bytes this operation accepts (413 beyond).
``example``     an example request body (Vietnamese text).
``path``        ``{name: description}`` of the path parameters (their types come from the URL rule); a value may
                also be a dict merged into the parameter object, e.g. ``{"schema": {"enum": [...]}}``.
``etag``        ``True`` when the success answer carries ``ETag`` and ``If-None-Match`` gives 304.
``content_type``          the success body's media type (``application/json`` by default).
``response_example``      an example success body.
``response_description``  the success response's description (default: from the status).

When one view function serves several methods, pass ``method=`` to :func:`describe` once per method.
"""

OPERATION_ATTR = "api_operations"


def describe(view, method=None, **meta):
    """Attach ``meta`` (see the module docstring) to ``view`` for ``method`` (every method when ``None``)."""
    operations = getattr(view, OPERATION_ATTR, None)
    if operations is None:
        operations = {}
        setattr(view, OPERATION_ATTR, operations)
    operations[(method or "*").lower()] = meta
    return view


def operation(**meta):
    """Decorator form of :func:`describe` for a view serving one method (or the same for all)."""

    def wrap(view):
        return describe(view, meta.pop("method", None), **meta)

    return wrap


def described(view, method):
    """The metadata attached to ``view`` for ``method``, or ``None`` when the view says nothing."""
    operations = getattr(view, OPERATION_ATTR, None) or {}
    return operations.get(method.lower(), operations.get("*"))
