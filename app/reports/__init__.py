"""Oversight (R-29, R-30): activity reports per half-year and year, per tenant and for the whole system,
and the annual evaluation of every site, computed from the review engine's records."""


def init_app(app):
    from app.reports import admin, cli

    admin.init_app(app)
    cli.init_app(app)
