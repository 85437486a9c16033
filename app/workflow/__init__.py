"""The review-chain engine (R-09, R-10, R-12, R-13): one state machine for every content type.

A content model mixes in :class:`app.workflow.models.Reviewable` and registers itself with
:func:`app.workflow.registry.register`; then the engine's operations, the inbox, the staff item
page and the API's ``/transitions``, ``/history`` and ``/inbox`` work for it.
"""


def init_app(app):
    from app.workflow import admin, api

    api.init_app(app)
    admin.init_app(app)
