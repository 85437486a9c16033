"""Contact directory, organisation chart and leaders' biographies (R-22, R-08 a g h)."""


def init_app(app):
    from app.core import hooks
    from app.demo import register
    from app.directory import admin, content, demo, views  # noqa: F401  (content: the declarations)

    app.register_blueprint(views.bp)
    admin.init_app(app)
    hooks.add(app, "search", views.search_hits)  # the contact directory in site search
    register(demo.load_directory)
