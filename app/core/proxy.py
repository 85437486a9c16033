"""Behind a reverse proxy: believe its X-Forwarded-For, -Host and -Proto for exactly ``PROXY_FIX`` hops.

Werkzeug's ``ProxyFix`` rewrites the WSGI environ before Flask sees it, so ``request.remote_addr`` (rate
limits, audit log), ``request.host`` (tenant, page cache) and ``request.scheme`` are the visitor's. It reads
each header from the right, skipping as many values as there are trusted proxies, so a value the visitor
put in front is never taken. ``PROXY_FIX = 0`` (the default) leaves the request as it came: without a proxy
those headers are the visitor's own words.
"""

import logging

from werkzeug.middleware.proxy_fix import ProxyFix

log = logging.getLogger(__name__)


def trusted_hops(config):
    """Number of trusted proxies; ``TRUST_FORWARDED_HOST`` (deprecated) counts as one."""
    hops = int(config.get("PROXY_FIX") or 0)
    if not hops and config.get("TRUST_FORWARDED_HOST"):
        return 1
    return hops


class ConfiguredProxyFix:
    """WSGI middleware: ``ProxyFix`` with the hop count read from the app's configuration."""

    def __init__(self, app):
        self.app = app
        self.wsgi_app = app.wsgi_app
        self._fixes = {}

    def __call__(self, environ, start_response):
        hops = trusted_hops(self.app.config)
        if not hops:
            return self.wsgi_app(environ, start_response)
        fix = self._fixes.get(hops)
        if fix is None:
            fix = self._fixes[hops] = ProxyFix(self.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
        return fix(environ, start_response)


def init_app(app):
    if app.config.get("TRUST_FORWARDED_HOST"):
        log.warning("TRUST_FORWARDED_HOST is deprecated; set PROXY_FIX=1 (the number of trusted proxies)")
    app.wsgi_app = ConfiguredProxyFix(app)
