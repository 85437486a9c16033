"""Search across the portal and every subsite (R-24): one index of published items, fed by the
review engine's signals, plus providers that modules add with the ``search`` hook."""


def init_app(app):
    from app.search import indexing, views
    from app.workflow import signals

    signals.item_published.connect(indexing.on_published)
    signals.item_withdrawn.connect(indexing.on_withdrawn)
    app.register_blueprint(views.bp)
    app.register_blueprint(views.api_bp)
    indexing.init_cli(app)
