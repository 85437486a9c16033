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


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET)
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'portal.db'}"
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    BASE_DOMAIN = os.environ.get("BASE_DOMAIN", "localhost").lower()
    # X-Forwarded-Host is ignored unless the deployment sits behind a trusted proxy.
    TRUST_FORWARDED_HOST = _bool("TRUST_FORWARDED_HOST")
    TENANTS_DIR = os.environ.get("TENANTS_DIR", str(BASE_DIR / "tenants"))
    MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(INSTANCE_DIR / "media"))
    BACKUP_DIR = os.environ.get("BACKUP_DIR", str(INSTANCE_DIR / "backups"))
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

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "no-reply@binhphuoc.gov.vn")

    CACHE_TYPE = "RedisCache" if os.environ.get("REDIS_URL") else "SimpleCache"
    CACHE_REDIS_URL = os.environ.get("REDIS_URL")
    CACHE_DEFAULT_TIMEOUT = 60
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # Whole-page cache for anonymous visitors (app/core/page_cache.py); 0 turns it off.
    PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0"))

    # Argon2id parameters (argon2-cffi defaults are the RFC 9106 "low memory" profile).
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    ADMIN_PAGE_SIZE = 25


class DevelopmentConfig(Config):
    DEBUG = False


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret-key-not-for-production"
    WTF_CSRF_ENABLED = True
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    CACHE_TYPE = "SimpleCache"
    RATELIMIT_ENABLED = True


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))
    PREFERRED_URL_SCHEME = "https"

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
