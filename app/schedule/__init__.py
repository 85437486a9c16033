"""Leaders' work schedules (R-22, R-08 b): reviewed entries, the weekly page, a print view and an iCalendar feed."""


def init_app(app):
    from app.demo import register
    from app.schedule import admin, api, content, demo, views  # noqa: F401  (content: the declaration)

    app.register_blueprint(views.bp)
    api.init_app(app)
    admin.init_app(app)
    register(demo.load_schedules)
