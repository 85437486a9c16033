"""The editorial board of each tenant (R-02, R-32): head, deputy heads, secretary and members,
managed by the tenant admin in the back office and listed at ``/pages/ban-bien-tap``."""


def init_app(app):
    from app.board import admin, demo, views

    app.register_blueprint(views.bp)
    admin.init_app(app)
    demo.init_app(app)
