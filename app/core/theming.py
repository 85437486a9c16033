"""Per-tenant theming: template overrides from ``tenants/<code>/templates/`` and theme values.

The tenant is part of the Jinja template cache key, so one tenant's override never serves
another. Back-office templates (``admin/``) are never overridden by a tenant.
"""

import hashlib
import os
import re
import weakref

from flask import abort, current_app, g, has_request_context, send_from_directory, url_for
from flask.templating import Environment
from jinja2 import BaseLoader, ChoiceLoader, TemplateNotFound

DEFAULT_THEME = {"primary": "#0b4f8a", "accent": "#b3261e", "header_text": "#ffffff"}


def _theme_key():
    if has_request_context():
        tenant = g.get("tenant")
        if tenant is not None:
            return tenant.code
    return None


class TenantTemplateLoader(BaseLoader):
    """Load ``name`` from the request tenant's folder when it overrides it."""

    def __init__(self, tenants_dir):
        self.tenants_dir = tenants_dir

    def get_source(self, environment, template):
        code = _theme_key()
        if code is None or template.startswith("admin/") or ".." in template.split("/"):
            raise TemplateNotFound(template)
        path = os.path.join(self.tenants_dir, code, "templates", *template.split("/"))
        if not os.path.isfile(path):
            raise TemplateNotFound(template)
        with open(path, encoding="utf-8") as fh:
            source = fh.read()
        mtime = os.path.getmtime(path)
        return source, path, lambda: os.path.isfile(path) and os.path.getmtime(path) == mtime


class TenantEnvironment(Environment):
    """Jinja environment whose template cache is keyed by (template, tenant)."""

    def _load_template(self, name, globals):
        if self.loader is None:
            raise TypeError("no loader for this environment specified")
        cache_key = (weakref.ref(self.loader), name, _theme_key())
        if self.cache is not None:
            template = self.cache.get(cache_key)
            if template is not None and (not self.auto_reload or template.is_up_to_date):
                if globals:
                    template.globals.update(globals)
                return template
        template = self.loader.load(self, name, self.make_globals(globals))
        if self.cache is not None:
            self.cache[cache_key] = template
        return template


def theme_for(tenant):
    theme = dict(DEFAULT_THEME)
    if tenant is not None and tenant.theme:
        theme.update({k: v for k, v in tenant.theme.items() if isinstance(v, str)})
    return theme


# A theme colour is a hex colour or a CSS colour name: anything else could end the rule and add others.
_COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,30}")


def _css_properties(tenant):
    theme = theme_for(tenant)
    values = {
        name: theme[name] if _COLOUR.fullmatch(theme[name].strip()) else default
        for name, default in DEFAULT_THEME.items()
    }
    return ":root{" + ";".join(f"--{name.replace('_', '-')}:{value.strip()}" for name, value in values.items()) + "}\n"


def theme_css_url(tenant):
    """Address of the tenant's colours (versioned by their value, so a change shows at once)."""
    version = hashlib.sha256(_css_properties(tenant).encode()).hexdigest()[:10]
    return url_for("theme_css", v=version)


def theme_css():
    """``/theme.css``: the site's colours as CSS custom properties, in a file because the
    Content-Security-Policy (app/core/security.py) allows no inline ``<style>`` on public pages."""
    response = current_app.response_class(_css_properties(g.get("tenant")), mimetype="text/css")
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response


def tenant_static(code, filename):
    """Serve a file from ``tenants/<code>/static/`` (logos and other theme assets)."""
    tenant = g.get("tenant")
    if tenant is None or tenant.code != code:
        abort(404)
    folder = os.path.join(current_app.config["TENANTS_DIR"], code, "static")
    return send_from_directory(folder, filename, max_age=3600)


def init_app(app):
    app.jinja_environment = TenantEnvironment
    app.jinja_options = {
        **app.jinja_options,
        "loader": ChoiceLoader([TenantTemplateLoader(app.config["TENANTS_DIR"]), app.create_global_jinja_loader()]),
    }
    app.add_url_rule("/tenant-static/<code>/<path:filename>", "tenant_static", tenant_static)
    app.add_url_rule("/theme.css", "theme_css", theme_css)
    app.jinja_env.globals.update(theme_for=theme_for, theme_css_url=theme_css_url)
