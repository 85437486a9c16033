"""Every cache entry belongs to one tenant and one host (R-01, R-27)."""

import ast
import pathlib

import pytest

from app.core import caching

APP = pathlib.Path(__file__).resolve().parents[2] / "app"
# The extension is created in extensions.py and bound in create_app; only caching.py builds keys.
ALLOWED = {"extensions.py", "__init__.py", "core/caching.py"}


def test_only_the_tenant_key_builder_touches_the_cache():
    """R-01: no module reaches Flask-Caching around app/core/caching.py, so no key can miss the tenant."""
    offenders = []
    for path in APP.rglob("*.py"):
        relative = path.relative_to(APP).as_posix()
        if relative in ALLOWED:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module == "app.extensions"
                and any(alias.name == "cache" for alias in node.names)
            ):
                offenders.append(relative)
            if isinstance(node, ast.Import) and any(a.name.startswith("flask_caching") for a in node.names):
                offenders.append(relative)
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("flask_caching"):
                offenders.append(relative)
    assert offenders == [], f"use app.core.caching in {offenders}"


def test_keys_differ_by_tenant_and_host_and_need_a_tenant(app):
    """R-01: the same parts give other keys on another tenant or another host of the tenant; none without one."""
    keys = set()
    for host in ("stc.localhost", "dongxoai.localhost", "stc.binhphuoc.gov.vn", "STC.localhost:8080"):
        with app.test_request_context("/", headers={"Host": host}):
            app.preprocess_request()
            keys.add(caching.tenant_key("page", "/", "vi", 1))
    assert len(keys) == 3  # the last one is stc.localhost once normalised
    with app.test_request_context("/healthz"), pytest.raises(RuntimeError):
        app.preprocess_request()
        caching.tenant_key("page", "/healthz")
