"""HTTP caching and compression: what browsers, nginx and a CDN may keep, and gzip when the app runs alone.

- Anonymous public pages (app/core/page_cache.py decides which) carry a strong ``ETag`` (and
  ``Last-Modified`` when the page cache keeps them) and answer ``If-None-Match``/``If-Modified-Since`` with
  304 through Werkzeug's conditional helpers. ``Cache-Control: public, max-age=0`` makes browsers revalidate;
  ``s-maxage=PROXY_CACHE_SECONDS`` (0 = off, then ``no-cache``) lets a reverse proxy micro-cache them.
  Every other page of a site is ``private, no-cache``.
- Static files are fingerprinted: ``url_for('static', filename=...)`` adds ``?v=<hash of the file>``, and a
  request carrying the file's current hash is ``public, max-age=31536000, immutable``; without it or with an
  old hash, ``no-cache`` with validators (Flask's default).
- Text responses are gzipped for clients that accept it when ``COMPRESS_RESPONSES`` is on (the default;
  deploy/ turns it off where nginx compresses). Under ``/api/`` the API's own ETags rule: left to the proxy.
"""

import gzip
import hashlib
import os
import threading

from flask import current_app, request, send_from_directory
from werkzeug.http import parse_accept_header

ONE_YEAR = 365 * 24 * 3600
COMPRESSIBLE = frozenset(
    {
        "text/html",
        "text/css",
        "text/plain",
        "text/csv",
        "text/calendar",
        "text/javascript",
        "application/javascript",
        "application/json",
        "application/xml",
        "application/atom+xml",
        "image/svg+xml",
        "application/manifest+json",
    }
)
MIN_COMPRESS_BYTES = 1024
GZIP_LEVEL = 6

_lock = threading.Lock()
_fingerprints = {}  # (folder, filename) -> (mtime_ns, size, hash)
_static_gzip = {}  # (path, mtime_ns, size) -> gzipped bytes


def compression_on():
    return bool(current_app.config.get("COMPRESS_RESPONSES", True))


def accepts_gzip():
    return "gzip" in parse_accept_header(request.headers.get("Accept-Encoding"))


def variant_etag(etag, gzipped):
    """The ETag of the gzipped body: another representation, so another strong validator."""
    return f'{etag[:-1]}-gz"' if gzipped else etag


def set_public_headers(response, ttl):
    """``Cache-Control`` of a page any anonymous visitor gets (``ttl``: its page cache lifetime, if cached)."""
    seconds = int(current_app.config.get("PROXY_CACHE_SECONDS", 0) or 0)
    if ttl is not None:
        seconds = min(seconds, ttl)
    cache_control = response.cache_control
    cache_control.public = True
    if seconds > 0:
        cache_control.max_age = 0
        cache_control.s_maxage = seconds
    else:
        cache_control.no_cache = True
    if compression_on():
        response.vary.add("Accept-Encoding")


class Variants:
    """The body of a public page, its ETag and, when worth it, its gzipped copy (made once, cached with it)."""

    def __init__(self, body, etag, gzip_body):
        self.body, self.etag, self.gzip_body = body, etag, gzip_body

    @classmethod
    def of(cls, response):
        body = response.get_data()
        etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
        gzipped = None
        if compression_on() and len(body) >= MIN_COMPRESS_BYTES and response.mimetype in COMPRESSIBLE:
            gzipped = gzip.compress(body, GZIP_LEVEL, mtime=0)
        return cls(body, etag, gzipped)

    def answer(self, response, request_):
        """``response`` as this client gets it: 304 when its copy is current, else gzipped if it accepts it."""
        use_gzip = self.gzip_body is not None and accepts_gzip()
        response.set_etag(variant_etag(self.etag, use_gzip)[1:-1])
        response.make_conditional(request_)
        if response.status_code == 200 and use_gzip:
            response.set_data(self.gzip_body)
            response.headers["Content-Encoding"] = "gzip"
        return response


def compress(response):
    """Gzip a text response for a client that accepts it (not under /api/, not already encoded)."""
    if (
        not compression_on()
        or response.status_code < 200
        or response.status_code in (204, 304)
        or response.mimetype not in COMPRESSIBLE
        or "Content-Encoding" in response.headers
        or (response.is_streamed and not response.direct_passthrough)
        or request.path.startswith("/api/")
        or not accepts_gzip()
    ):
        return response
    response.vary.add("Accept-Encoding")
    if response.direct_passthrough:
        return _compress_static(response)
    body = response.get_data()
    if len(body) < MIN_COMPRESS_BYTES:
        return response
    response.set_data(gzip.compress(body, GZIP_LEVEL, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    if response.get_etag()[0]:
        etag, weak = response.get_etag()
        response.set_etag(variant_etag(f'"{etag}"', True)[1:-1], weak=weak)
    return response


def _compress_static(response):
    """A static file (a file wrapper, not a body) gzipped once per version of the file."""
    path = _static_path()
    if path is None or response.status_code != 200:
        return response
    stat = os.stat(path)
    if stat.st_size < MIN_COMPRESS_BYTES or stat.st_size > 2 * 1024 * 1024:
        return response
    key = (path, stat.st_mtime_ns, stat.st_size)
    with _lock:
        data = _static_gzip.get(key)
    if data is None:
        with open(path, "rb") as handle:
            data = gzip.compress(handle.read(), GZIP_LEVEL, mtime=0)
        with _lock:
            if len(_static_gzip) > 256:
                _static_gzip.clear()
            _static_gzip[key] = data
    response.close()  # the file wrapper Flask opened
    response.direct_passthrough = False
    response.set_data(data)
    response.headers["Content-Encoding"] = "gzip"
    etag, weak = response.get_etag()
    if etag:
        response.set_etag(variant_etag(f'"{etag}"', True)[1:-1], weak=weak)
    return response


def _static_path():
    if request.endpoint != "static" or not request.view_args:
        return None
    folder = current_app.static_folder
    path = os.path.realpath(os.path.join(folder, request.view_args.get("filename", "")))
    return path if path.startswith(os.path.realpath(folder) + os.sep) and os.path.isfile(path) else None


def fingerprint(folder, filename):
    """A short hash of the file's content (recomputed when its size or time changes); '' when missing."""
    path = os.path.join(folder, filename)
    try:
        stat = os.stat(path)
    except OSError:
        return ""
    with _lock:
        known = _fingerprints.get((folder, filename))
    if known and known[0] == stat.st_mtime_ns and known[1] == stat.st_size:
        return known[2]
    with open(path, "rb") as handle:
        digest = hashlib.blake2b(handle.read(), digest_size=6).hexdigest()
    with _lock:
        _fingerprints[(folder, filename)] = (stat.st_mtime_ns, stat.st_size, digest)
    return digest


def _static_url_defaults(endpoint, values):
    if endpoint == "static" and "filename" in values and "v" not in values:
        version = fingerprint(current_app.static_folder, values["filename"])
        if version:
            values["v"] = version


def _static_headers(response):
    """``after_request``: a fingerprinted static file never changes under its address; then compression."""
    if request.endpoint == "static":
        version = request.args.get("v")
        filename = (request.view_args or {}).get("filename", "")
        if (
            response.status_code in (200, 304)
            and version
            and version == fingerprint(current_app.static_folder, filename)
        ):
            response.cache_control.public = True
            response.cache_control.max_age = ONE_YEAR
            response.cache_control.immutable = True
            response.cache_control.no_cache = None
        return compress(response)
    return response


def favicon():
    """``/favicon.ico`` at the root, where browsers look for it (the pages also link the SVG and PNG icons)."""
    response = send_from_directory(os.path.join(current_app.static_folder, "icons"), "favicon.ico", max_age=86400)
    response.cache_control.public = True
    return response


def init_app(app):
    app.url_defaults(_static_url_defaults)
    app.after_request(_static_headers)
    app.add_url_rule("/favicon.ico", "favicon", favicon)
