"""Royalties for published works (R-31): what each author is owed per item and period, and what was paid."""


def init_app(app):
    from app.royalties import admin

    admin.init_app(app)
