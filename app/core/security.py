"""Security headers on every response (pages, errors, the API, static and media files): a Content-Security-Policy
without inline script, no framing, no MIME sniffing, a referrer policy, and HSTS in production.

Flask-Talisman sets them (an ``after_request``, so error pages and ``/static/`` get them too). Its HTTPS
redirect and cookie settings stay off: TLS ends at the reverse proxy (app/core/proxy.py) and the session
cookie is configured in ``config.py``.
"""

import re

from flask import has_request_context, request
from flask_talisman import DENY, Talisman

# Sources for pictures and media: this host, inline previews (data:, blob:), any https host (old articles
# point at pictures elsewhere) and the other sites of the platform in development, where they are http.
_MEDIA_SOURCES = "'self' data: blob: https: {base}:* *.{base}:*"


_NONCE = re.compile(r" 'nonce-[^']*'")


class PortalTalisman(Talisman):
    """Talisman that keeps a policy a view set for itself (media files: ``default-src 'none'; sandbox``).

    A page from the page cache comes back with the policy of its first rendering (an old nonce): that one is ours
    and is replaced; any other policy is the view's, kept, with ``frame-ancestors 'none'`` added if it has none.
    """

    def _set_content_security_policy_headers(self, headers, options):
        given = headers.get("Content-Security-Policy")
        super()._set_content_security_policy_headers(headers, options)
        ours = headers.get("Content-Security-Policy", "")
        if given and _NONCE.sub("", given) != _NONCE.sub("", ours):
            headers["Content-Security-Policy"] = (
                given if "frame-ancestors" in given else f"{given}; frame-ancestors 'none'"
            )


def content_security_policy(base_domain):
    """The policy every response carries; scripts only from this host (or with the request's nonce)."""
    media = _MEDIA_SOURCES.format(base=base_domain)
    return {
        "default-src": "'self'",
        "script-src": "'self'",  # + 'nonce-...' (content_security_policy_nonce_in); never 'unsafe-inline'
        "style-src": "'self'",  # + 'nonce-...'
        "img-src": media,
        "media-src": media,
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "frame-ancestors": "'none'",
    }


def csp_nonce():
    """The nonce of this request's policy (``<script nonce="{{ csp_nonce() }}">``); '' outside a request."""
    return getattr(request, "csp_nonce", "") if has_request_context() else ""


def init_app(app):
    config = app.config
    seconds = int(config.get("HSTS_SECONDS", 0) or 0)
    # One Talisman per app: it keeps its settings on itself, and tests build apps with different configs.
    app.extensions["talisman"] = PortalTalisman(
        app,
        force_https=False,
        frame_options=DENY,
        content_security_policy=content_security_policy(config["BASE_DOMAIN"]),
        content_security_policy_nonce_in=["script-src", "style-src"],
        referrer_policy="strict-origin-when-cross-origin",
        # Sent on https requests only (browsers ignore it over http); off outside production.
        strict_transport_security=seconds > 0,
        strict_transport_security_max_age=seconds,
        # Other services under the province's domain may still be http: opt in with HSTS_INCLUDE_SUBDOMAINS.
        strict_transport_security_include_subdomains=bool(config.get("HSTS_INCLUDE_SUBDOMAINS")),
        permissions_policy={"browsing-topics": "()", "camera": "()", "microphone": "()", "geolocation": "()"},
        session_cookie_secure=False,  # config.SESSION_COOKIE_SECURE decides
        session_cookie_samesite=config.get("SESSION_COOKIE_SAMESITE", "Lax"),
        x_content_type_options=True,
    )
    app.jinja_env.globals["csp_nonce"] = csp_nonce
