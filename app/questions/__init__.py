"""Questions, feedback and petitions from citizens (R-15, R-12, R-16, R-17): the public form with a tracking
code, routing (portal board -> agency), answers through the agency's review chain, deadlines in working
days with reminders and a provincial overview, the public answers page and the API."""


def init_app(app):
    from app.core import hooks
    from app.demo import register
    from app.questions import admin, answers_api, api, cli, content, demo, operations, views  # noqa: F401  (content: declarations)

    operations.init_app(app)
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(answers_api.bp)
    admin.init_app(app)
    cli.init_app(app)
    hooks.add(app, "sitemap", views.sitemap_entries)
    register(demo.load_questions)
