"""Standing pages (R-03, R-08 a f h n): introduction, functions and duties, planning and other pages of a site.

Also the section hubs built from them: ``/pages/`` (every page), ``/planning/`` (planning pages) and
``/direction/`` (direction and administration: schedules, directives, answers to petitions).
"""


def init_app(app):
    from app.demo import register
    from app.pages import admin, api, content, demo, views  # noqa: F401  (content: the declaration)

    app.register_blueprint(views.bp)
    api.init_app(app)
    admin.init_app(app)
    register(demo.load_pages)
