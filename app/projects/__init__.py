"""Projects (R-23, R-08 f, i, k): investment projects calling for investment, bidding and procurement
notices and state-funded science programmes; public pages under ``/projects/`` and the JSON API."""


def init_app(app):
    from app.demo import register as register_demo
    from app.projects import admin, api, content, views  # noqa: F401  (content: the declaration)
    from app.projects.demo import load_demo

    app.register_blueprint(views.bp)
    api.init_app(app)
    admin.init_app(app)
    register_demo(load_demo)
