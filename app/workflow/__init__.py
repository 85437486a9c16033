"""The review-chain engine (R-09, R-10, R-12, R-13): one state machine for every content type.

A module declares each content type once with :func:`app.workflow.registry.register` (in its
``content.py``); then the engine's operations, the inbox, the staff item page, the API's
``/transitions``, ``/history`` and ``/inbox``, the sitemap and the search index work for it.
"""


def init_app(app):
    from app.core import hooks
    from app.workflow import admin, api
    from app.workflow.operations import sitemap_entries

    api.init_app(app)
    admin.init_app(app)
    hooks.add(app, "sitemap", sitemap_entries)
