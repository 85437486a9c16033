"""Statistics (R-21): datasets of figures with methodology and analysis, downloads, charts and a release calendar.

Owned mostly by the Statistics Office (tenant ``ctk``). Slug resolution across tenants (see docs/decisions.md):
``/statistics/<slug>`` on any host looks up the host's own published dataset first, then the Statistics
Office's. The portal's ``/statistics/`` lists its own datasets and every tenant's published ones (other
subsites' datasets link to their own host).
"""


def init_app(app):
    from app.demo import register
    from app.statistics import admin, api, content, demo, views  # noqa: F401  (content: the declarations)

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    admin.init_app(app)
    register(demo.load_statistics)
