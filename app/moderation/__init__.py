"""Moderation of visitors' input (R-16, R-17): the word filter, anti-automation checks shared by every
public form (honeypot, minimum fill time, rate limits), and the personal-data tools (export, erasure)."""


def init_app(app):
    from flask import Blueprint

    from app.moderation import admin, antispam

    # No routes: the blueprint makes the shared templates (honeypot, refusal page) available.
    app.register_blueprint(Blueprint("moderation", __name__, template_folder="templates"))
    antispam.init_app(app)
    admin.init_app(app)
