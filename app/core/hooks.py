"""Extension points through which modules contribute to shared pages without importing each other.

A module's ``init_app`` adds callables with :func:`add`; shared pages call :func:`collect`.

- ``home``: ``fn(tenant) -> (order, template_name, block) | None``: a block on the home page; the
  template is included with ``block`` (any object) in its context.
- ``sitemap``: ``fn(tenant) -> iterable of (absolute_url, lastmod_datetime | None)``.
- ``search``: ``fn(query, tenants, limit) -> list of SearchHit`` (R-24).
- ``inbox_badges``: ``fn(tenant) -> list of (label, count, url)``: work outside the review chain that is
  late or waiting (shown on the back-office dashboard).
- ``media_usage``: ``fn(tenant) -> dict media_id -> number of items using it`` (media library).
"""

from flask import current_app

KINDS = ("home", "sitemap", "search", "inbox_badges", "media_usage")


def _registry(app):
    return app.extensions.setdefault("portal_hooks", {kind: [] for kind in KINDS})


def add(app, kind, fn):
    if kind not in KINDS:
        raise ValueError(f"unknown hook kind {kind!r}")
    _registry(app)[kind].append(fn)


def collect(kind):
    return list(_registry(current_app)[kind])
