"""Sites that outlive reorganisations (issue 17): the lifecycle of tenants (rename, merge, retire into an archive,
new base domain, communes in bulk), the read-only guard of archived sites and the redirects that keep old URLs
answering.
"""


def init_app(app):
    from app.restructure import admin, guard
    from app.restructure.cli import demo_restructure

    guard.init_app(app)
    admin.init_app(app)
    from app.cli import demo_cli

    demo_cli.add_command(demo_restructure)
