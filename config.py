"""Configuration read from the environment (see ../shared/CONTRACT.md, "Configuration")."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"
DEV_SECRET = "dev-insecure-secret-key"


def _bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise RuntimeError(f"{name} must be a whole number >= 0, not {value!r}")
    return int(value)


def _scheme(value):
    value = value.strip().lower()
    if value not in ("http", "https"):
        raise RuntimeError(f"PUBLIC_SCHEME must be http or https, not {value!r}")
    return value


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET)
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'portal.db'}"
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    BASE_DOMAIN = os.environ.get("BASE_DOMAIN", "localhost").lower()
    # Reverse proxies in front of the app whose X-Forwarded-For/-Host/-Proto are believed (Werkzeug's
    # ProxyFix, app/core/proxy.py). 0: none, the headers are ignored. TRUST_FORWARDED_HOST=1 is the
    # deprecated spelling of PROXY_FIX=1.
    TRUST_FORWARDED_HOST = _bool("TRUST_FORWARDED_HOST")
    PROXY_FIX = _int("PROXY_FIX", 1 if TRUST_FORWARDED_HOST else 0)
    # Links that leave the request (feeds, emails, API urls) use these, never the Host header's port.
    PUBLIC_SCHEME = _scheme(os.environ.get("PUBLIC_SCHEME", "http"))
    PUBLIC_PORT = os.environ.get("PUBLIC_PORT", "")
    PREFERRED_URL_SCHEME = PUBLIC_SCHEME
    TENANTS_DIR = os.environ.get("TENANTS_DIR", str(BASE_DIR / "tenants"))
    MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(INSTANCE_DIR / "media"))
    # Behind nginx: the internal location that serves MEDIA_ROOT (X-Accel-Redirect); empty: the app sends files.
    MEDIA_ACCEL_REDIRECT = os.environ.get("MEDIA_ACCEL_REDIRECT", "")
    BACKUP_DIR = os.environ.get("BACKUP_DIR", str(INSTANCE_DIR / "backups"))
    # When set, backups are written encrypted with it and can only be read with it (app/backup/crypto.py).
    BACKUP_KEY = os.environ.get("BACKUP_KEY") or None
    REDIS_URL = os.environ.get("REDIS_URL")

    # Sessions: host-only cookie (no SESSION_COOKIE_DOMAIN, no SERVER_NAME), so a login on one
    # subsite never travels to another.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE")
    REMEMBER_COOKIE_HTTPONLY = True
    PERMANENT_SESSION_LIFETIME = 8 * 3600

    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    LANGUAGES = ("vi", "en")

    WTF_CSRF_TIME_LIMIT = None
    # Upload limits per media kind, in bytes; the request limit leaves room for the largest.
    MEDIA_LIMITS = {"image": 10 * 1024 * 1024, "video": 200 * 1024 * 1024, "document": 20 * 1024 * 1024,
                    "audio": 50 * 1024 * 1024}  # fmt: skip
    MAX_CONTENT_LENGTH = 210 * 1024 * 1024
    # Under /api/ a body is JSON only (no uploads): 413 beyond this. Other limits: app/core/limits.py.
    API_MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    # The deepest nesting of arrays and objects a JSON body may have (400 beyond).
    API_MAX_JSON_DEPTH = 32
    # A form's text fields together (Flask's default, said here): 413 beyond.
    MAX_FORM_MEMORY_SIZE = 500 * 1024

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "no-reply@binhphuoc.gov.vn")

    # The page cache and its generations (app/core/caching.py) must be shared by every worker: Redis when
    # configured (every server), else files under instance/ (the workers of this machine).
    CACHE_TYPE = "RedisCache" if os.environ.get("REDIS_URL") else "FileSystemCache"
    CACHE_REDIS_URL = os.environ.get("REDIS_URL")
    CACHE_DIR = os.environ.get("CACHE_DIR", str(INSTANCE_DIR / "cache"))
    CACHE_THRESHOLD = 20000
    CACHE_DEFAULT_TIMEOUT = 60
    # Seconds a reverse proxy or CDN may keep an anonymous page (Cache-Control s-maxage); 0: it must ask each
    # time (no-cache). Gzip text responses in the app (off where nginx compresses): app/core/http_caching.py.
    PROXY_CACHE_SECONDS = _int("PROXY_CACHE_SECONDS", 0)
    COMPRESS_RESPONSES = _bool("COMPRESS_RESPONSES", True)
    # Rate-limit counters shared by every worker: Redis when configured, else a SQLite file that all the
    # workers of this machine use (app/core/ratelimit.py). Several machines need REDIS_URL.
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or f"sqlite:///{INSTANCE_DIR / 'ratelimits.db'}"
    RATELIMIT_HEADERS_ENABLED = True
    # Whole-page cache for anonymous visitors (app/core/page_cache.py); 0 turns it off.
    PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0"))
    # Strict-Transport-Security on https responses (app/core/security.py); 0 = not sent. Subdomains of the
    # province's domain are included only on request: other services there may still be http.
    HSTS_SECONDS = _int("HSTS_SECONDS", 0)
    HSTS_INCLUDE_SUBDOMAINS = _bool("HSTS_INCLUDE_SUBDOMAINS")

    # Argon2id parameters (argon2-cffi defaults are the RFC 9106 "low memory" profile).
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    ADMIN_PAGE_SIZE = 25
    # Days a new API token works; failure delays and reset links: app/auth/operations.py DEFAULTS.
    API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", "90"))


class DevelopmentConfig(Config):
    DEBUG = False
    PUBLIC_PORT = os.environ.get("PUBLIC_PORT", "8000")  # `make run` serves on 8000


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret-key-not-for-production"
    WTF_CSRF_ENABLED = True
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    CACHE_TYPE = "SimpleCache"
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"  # per test app; tests/test_proxy.py serves with the shared file store
    PUBLIC_SCHEME = PREFERRED_URL_SCHEME = "http"
    PUBLIC_PORT = ""
    PROXY_FIX = 0


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))
    HSTS_SECONDS = _int("HSTS_SECONDS", 365 * 24 * 3600)
    PUBLIC_SCHEME = PREFERRED_URL_SCHEME = _scheme(os.environ.get("PUBLIC_SCHEME", "https"))

    @classmethod
    def check(cls):
        secret = os.environ.get("SECRET_KEY", "")
        if not secret or secret == DEV_SECRET or len(secret) < 16:
            raise RuntimeError("SECRET_KEY must be set to a long random value in production")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
