"""An archived site is read-only: one check before every other refuses every write, and one context variable
closes the public forms with a notice; a request for a path that moved answers 301 to its new path."""

import logging

from flask import g, redirect, render_template, request

from app.core.errors import json_error
from app.core.models import Tenant
from app.core.tenancy import current_holder, public_base_url, redirect_path
from app.extensions import db
from app.restructure.redirects import is_local_path

log = logging.getLogger(__name__)

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Signing in and out (and recovering a password) writes no content of the site: staff may still read an
# archive's back office.
OPEN_BLUEPRINTS = ("auth.", "two_factor.")
ARCHIVED_MESSAGE = "This site is an archive: it can be read but nothing can be changed or submitted."


def archive_of(tenant):
    """What an archived tenant's pages say about it: since when, and the site that carries on its work."""
    if tenant is None or tenant.state != "archived":
        return None
    successor = db.session.get(Tenant, tenant.successor_id) if tenant.successor_id else None
    successor = current_holder(successor) if successor is not None else None
    return {
        "since": tenant.state_since,
        "successor": successor,
        "successor_url": public_base_url(successor) + "/" if successor is not None else None,
    }


def is_open(endpoint):
    """Whether a write to ``endpoint`` is allowed on an archived site (signing in and out)."""
    return bool(endpoint) and endpoint.startswith(OPEN_BLUEPRINTS)


def refuse_archived_writes():
    """``before_request``, right after the tenant resolver: no write of any kind reaches an archived site."""
    tenant = g.get("tenant")
    if tenant is None or tenant.state != "archived" or request.method in READ_METHODS:
        return None
    if is_open(request.endpoint):
        return None
    log.info("write refused on archived tenant %s: %s %s", tenant.code, request.method, request.path)
    if request.path.startswith("/api/"):
        return json_error(409, ARCHIVED_MESSAGE, "tenant_archived")
    body = render_template("restructure/archived_write.html", archive=archive_of(tenant))
    return body, 409


def follow_redirects(response):
    """``after_request``: a page that does not exist (404) but moved answers 301 to its new path on the tenant."""
    tenant = g.get("tenant")
    if response.status_code != 404 or tenant is None or request.method not in ("GET", "HEAD"):
        return response
    if request.path.startswith(("/api/", "/admin")):
        return response
    target = redirect_path(tenant, request.path)
    # Only a path of this site: a redirect never leaves its tenant, whatever reached the table.
    if not target or target == request.path or not is_local_path(target):
        return response
    query = request.query_string.decode("latin-1")
    return redirect(target + (f"?{query}" if query else ""), 301)


def archive_context():
    """``site_archived`` (the forms' templates close themselves on it) and ``site_archive`` (the banner)."""
    tenant = g.get("tenant")
    archive = archive_of(tenant)
    return {"site_archived": archive is not None, "site_archive": archive}


def former_name(tenant, when):
    """The name ``tenant`` had at ``when`` in the page's language, when it differs from today's (else "")."""
    from app.core.i18n import current_language

    if tenant is None or when is None:
        return ""
    lang = current_language()
    then = tenant.name_at(when, lang)
    return then if then != tenant.name(lang) else ""


def init_app(app):
    from flask import Blueprint

    # No routes: the blueprint only lends its templates (the archive's page, banner and closed-form notice).
    app.register_blueprint(Blueprint("restructure_pages", __name__, template_folder="templates"))
    funcs = app.before_request_funcs.setdefault(None, [])
    if refuse_archived_writes not in funcs:
        # Before everything but the resolver (index 0): API token loading, CSRF and the views come after.
        funcs.insert(1, refuse_archived_writes)
    app.after_request(follow_redirects)
    app.context_processor(archive_context)
    app.jinja_env.globals["former_name"] = former_name
