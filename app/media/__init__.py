"""The media library (R-05): uploads checked by content, stored under MEDIA_ROOT, reused per tenant."""


def init_app(app):
    from app.media.views import bp

    app.register_blueprint(bp)
