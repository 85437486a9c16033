"""Domain modules: every package under ``app/`` that defines ``init_app(app)`` beyond the core.

A module wires itself up in ``init_app``: blueprints, back-office views (through
``app.extensions["portal_admin"]``), hooks (``app.core.hooks``) and demo loaders
(``app.demo.register``). Its models live in ``<module>/models.py`` and are imported by
:func:`import_models`, so Alembic and ``db.create_all`` see them.
"""

import importlib
import os
import pkgutil

# The directory of the ``app`` package, found from this file: importing ``app`` itself would be a cycle.
APP_DIR = os.path.dirname(os.path.abspath(__file__))

# Packages wired up explicitly by create_app, not discovered.
FOUNDATION = {"core", "auth", "admin", "api", "public"}


def module_names():
    return sorted(
        info.name
        for info in pkgutil.iter_modules([APP_DIR])
        if info.ispkg and info.name not in FOUNDATION and not info.name.startswith("_")
    )


def import_models():
    for name in sorted(FOUNDATION) + module_names():
        try:
            importlib.import_module(f"app.{name}.models")
        except ModuleNotFoundError as exc:
            if exc.name != f"app.{name}.models":
                raise


def init_modules(app):
    for name in module_names():
        module = importlib.import_module(f"app.{name}")
        init = getattr(module, "init_app", None)
        if init is not None:
            init(app)


def import_declarations():
    """Import every module's ``content.py`` (its content-type declarations) without creating an app.

    Tests generated over the declarations call this at collection time.
    """
    for name in module_names():
        try:
            importlib.import_module(f"app.{name}.content")
        except ModuleNotFoundError as exc:
            if exc.name != f"app.{name}.content":
                raise
