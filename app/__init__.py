"""The Binh Phuoc web-portal platform: one Flask application for the portal and every subsite."""

import logging
import os

from flask import Flask

from config import CONFIGS


def create_app(config=None, overrides=None):
    """Create and wire up the application; no I/O, no migrations.

    :param config: a config name (``development``, ``testing``, ``production``) or class;
        default: the ``APP_ENV`` environment variable, else ``development``.
    :param overrides: a dict of settings applied on top (tests use it).
    """
    app = Flask(__name__, instance_relative_config=False)
    name = config if isinstance(config, str) else os.environ.get("APP_ENV", "development")
    config_class = config if isinstance(config, type) else CONFIGS[name]
    app.config.from_object(config_class)
    app.config.update(overrides or {})
    if hasattr(config_class, "check"):
        config_class.check()
    logging.basicConfig(
        level=os.environ.get("LOG_LEVEL", "INFO"), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )

    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    from app import models  # noqa: F401
    from app.core import errors, i18n, proxy, theming

    proxy.init_app(app)  # X-Forwarded-* of PROXY_FIX trusted proxies, before anything reads the request
    theming.init_app(app)  # before anything touches app.jinja_env
    from app.core import limits

    limits.init_app(app)  # before any route (the bounded <int:...> converter) and before any other check
    _init_extensions(app)
    from app.core import formats, security

    security.init_app(app)  # headers on every response: pages, errors, the API, static files
    formats.init_app(app)  # Atom, sitemap and other XML escaped for XML
    i18n.init_app(app)
    errors.init_app(app)
    _register_blueprints(app)

    from app import cli

    cli.init_app(app)
    return app


def _init_extensions(app):
    from app.core.i18n import select_locale
    from app.extensions import babel, cache, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"))
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    babel.init_app(
        app, locale_selector=select_locale, default_translation_directories=app.config["BABEL_TRANSLATION_DIRECTORIES"]
    )
    csrf.init_app(app)
    cache.init_app(app)
    limiter.init_app(app)

    from app.core import page_cache, sqlite

    sqlite.init_app(app)
    page_cache.init_app(app)


def _register_blueprints(app):
    from app.core.tenancy import current_tenant, resolve_tenant
    from app.public.views import nav_context

    # The tenant is resolved before anything else runs for the request.
    app.before_request_funcs.setdefault(None, []).insert(0, resolve_tenant)
    from app.api.auth import load_api_user

    app.before_request(load_api_user)
    app.context_processor(nav_context)
    app.jinja_env.globals["current_tenant"] = current_tenant
    app.json.ensure_ascii = False

    from app.api.views import bp as api_bp
    from app.auth.two_factor import bp as two_factor_bp
    from app.auth.views import bp as auth_bp
    from app.public.views import bp as public_bp

    for bp in (public_bp, auth_bp, two_factor_bp, api_bp):
        app.register_blueprint(bp)

    from app import admin
    from app.modules import init_modules

    admin.init_app(app)
    init_modules(app)
