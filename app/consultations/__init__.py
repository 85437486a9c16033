"""Consultations on draft documents (R-14, R-16, R-17): drafts with their sections and attachments, public
comments held for moderation, the outcome report, exports for the drafting team, pages and API."""


def init_app(app):
    from app.consultations import admin, api, content, demo, operations, schemas, views  # noqa: F401  (content: declarations)
    from app.core import hooks
    from app.demo import register
    from app.moderation.api import register_queue

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    admin.init_app(app)
    operations.init_app(app)
    register_queue(app, schemas.comment_queue(admin.MODERATOR_ROLES))
    hooks.add(app, "home", views.home_block)
    register(demo.load_consultations)
