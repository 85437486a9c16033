"""Fixtures for backup tests: portals of their own on databases made for the test (SQLite files under a
temporary folder, PostgreSQL databases created and dropped here), and a row-by-row picture of a database."""

import hashlib
import os

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from app import create_app
from app.backup.columns import backed_up_columns
from app.core.tenancy import invalidate_host_map
from app.core.tenant_sync import sync_tenants
from app.extensions import db

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"


class Portal:
    """One portal (app, database, media folder) apart from the suite's shared one."""

    def __init__(self, url, folder, **config):
        os.makedirs(folder, exist_ok=True)
        self.url = url
        self.media = os.path.join(folder, "media")
        settings = {
            "SQLALCHEMY_DATABASE_URI": url,
            "MEDIA_ROOT": self.media,
            "BACKUP_DIR": os.path.join(folder, "backups"),
            "BACKUP_KEY": None,
        }
        settings.update(config)
        self.app = create_app("testing", settings)
        with self.app.app_context():
            db.drop_all()
            db.create_all()
            sync_tenants(self.app.config["TENANTS_DIR"])

    def cli(self, *args):
        result = self.app.test_cli_runner().invoke(args=list(args))
        assert "Traceback" not in result.output, result.output
        return result

    def close(self):
        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()
        invalidate_host_map()


def snapshot(app):
    """``{table: [row, ...]}`` for every table of the schema, rows in primary-key order, as Python values."""
    with app.app_context():
        try:
            return {
                table.name: [
                    tuple(row)
                    for row in db.session.execute(select(*backed_up_columns(table)).order_by(*table.primary_key))
                ]
                for table in db.metadata.sorted_tables
            }
        finally:
            db.session.rollback()


def media_files(folder):
    """``{name: sha256}`` of a media folder."""
    if not os.path.isdir(folder):
        return {}
    result = {}
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), "rb") as fh:
            result[name] = hashlib.sha256(fh.read()).hexdigest()
    return result


def assert_same_rows(expected, actual, *, restored=True):
    """Every table equal row by row; the site generation (the page cache's counter) moves forward instead."""
    assert set(actual) == set(expected)
    for name, rows in expected.items():
        if name == "site_generation" and restored:
            # A restore moves it past the source's, so pages cached before the restore are never served again.
            before = max((value for _, value in rows), default=0)
            assert [value for _, value in actual[name]] and all(value > before for _, value in actual[name])
            continue
        if actual[name] != rows:
            missing = [r for r in rows if r not in actual[name]][:3]
            extra = [r for r in actual[name] if r not in rows][:3]
            pytest.fail(
                f"table {name}: {len(rows)} rows expected, {len(actual[name])} found; lost {missing}; new {extra}"
            )


def _postgres_server():
    """The PostgreSQL server of DATABASE_URL, or the local default; skip when none answers."""
    url = os.environ.get("DATABASE_URL", "")
    url = url if url.startswith("postgresql") else os.environ.get("BACKUP_TEST_POSTGRES", DEFAULT_POSTGRES)
    server = make_url(url).set(database="postgres")
    engine = create_engine(server, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0]
        pytest.skip(f"no PostgreSQL reachable at {server.render_as_string(hide_password=True)}: {reason}")
    return engine


@pytest.fixture(scope="module")
def postgres_database():
    """``postgres_database("label")`` creates an empty PostgreSQL database and returns its URL; dropped after."""
    engine = _postgres_server()
    created = []

    def make(label):
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        name = f"portal_backup_{label}_{worker}_{os.getpid()}"
        with engine.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        created.append(name)
        return engine.url.set(database=name).render_as_string(hide_password=False)

    yield make
    with engine.connect() as connection:
        for name in created:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    engine.dispose()
