"""Migrations build the same schema as the models, on the suite's database engine kind."""

import os

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from app.search.backends import include_name


def test_migrations_match_models(tmp_path):
    """R-13: the schema is managed by migrations only; they cover every model."""
    if os.environ.get("DATABASE_URL", "").startswith("postgresql"):
        import sqlalchemy

        base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
        name = "portal_migration_check_" + os.environ.get("PYTEST_XDIST_WORKER", "main")
        engine = sqlalchemy.create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
            conn.exec_driver_sql(f"CREATE DATABASE {name}")
        url = f"{base}/{name}"
    else:
        url = f"sqlite:///{tmp_path}/migrated.db"
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            # The full-text index's own tables (SQLite FTS5) are not models.
            context = MigrationContext.configure(conn, opts={"include_name": include_name})
            diff = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert diff == []
