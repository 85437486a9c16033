"""Personalisation (R-18): follow agencies and topics without an account (a signed cookie), "My news",
email subscriptions with double opt-in and one-click unsubscribe, and the digest sender."""


def init_app(app):
    from app.core import hooks
    from app.subscriptions import cli, operations, views

    app.register_blueprint(views.bp)
    hooks.add(app, "home", views.home_block)
    cli.init_app(app)
    operations.init_app(app)
