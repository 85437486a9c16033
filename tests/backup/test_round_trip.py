"""R-26: a backup of the full demo data (every module) restores row for row on SQLite, on PostgreSQL and
across them, through the operator's commands (``flask demo load``, ``flask backup create|verify|restore``)."""

import gc
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from app.auth.models import User
from app.extensions import db
from app.projects.models import Project
from tests.backup.conftest import Portal, assert_same_rows, media_files, snapshot

TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PASSWORD = "Mat-khau-sao-luu-2026"


def _load_demo(portal):
    """The full demo data, plus values that stress the encoding: an exact amount, a TOTP secret, NULLs."""
    result = portal.cli("demo", "load", "--scale", "1")
    assert result.exit_code == 0, result.output
    with portal.app.app_context():
        project = db.session.execute(select(Project).order_by(Project.id)).scalars().first()
        project.total_capital = Decimal("987654321012.35")
        project.estimated_value = None
        db.session.execute(update(User).where(User.email.like("admin@%")).values(totp_secret=TOTP_SECRET))
        db.session.commit()
        amounts = db.session.execute(select(Project.total_capital).where(Project.total_capital.is_not(None))).scalars()
        assert all(isinstance(value, Decimal) for value in amounts)


def _backup(portal, path):
    created = portal.cli("backup", "create", str(path))
    assert created.exit_code == 0, created.output
    verified = portal.cli("backup", "verify", str(path))
    assert verified.exit_code == 0 and "backup valid" in verified.output, verified.output
    return path


def _add_user(portal, email):
    return portal.cli("users", "create", email, "--tenant", "stc", "--role", "editor", "--password", PASSWORD)


def _restore(portal, path):
    stray = _add_user(portal, "stray@test.vn")
    assert stray.exit_code == 0, stray.output
    restored = portal.cli("backup", "restore", str(path))
    assert restored.exit_code == 0, restored.output
    with portal.app.app_context():
        assert db.session.execute(select(User).where(User.email == "stray@test.vn")).first() is None


def _still_works(portal):
    """New rows get fresh ids after a restore (PostgreSQL sequences moved past the restored ids)."""
    created = _add_user(portal, "after@test.vn")
    assert created.exit_code == 0, created.output


@pytest.fixture(scope="module", autouse=True)
def _collect_portals():
    """Free the portals' apps and engines while the worker still runs (not in the interpreter's shutdown)."""
    yield
    gc.collect()


@pytest.fixture(scope="module")
def sqlite_demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sqlite-demo")
    portal = Portal(f"sqlite:///{folder}/portal.db", folder)
    _load_demo(portal)
    portal.archive = _backup(portal, folder / "demo.tar.gz")
    portal.rows = snapshot(portal.app)
    portal.files = media_files(portal.media)
    assert portal.files, "the demo data has media files"
    yield portal
    portal.close()


def test_sqlite_round_trip_of_the_full_demo(sqlite_demo, tmp_path):
    """R-26: the full demo data backed up on SQLite and restored into another SQLite database is identical."""
    target = Portal(f"sqlite:///{tmp_path}/target.db", tmp_path / "target")
    try:
        assert sum(len(rows) for rows in sqlite_demo.rows.values()) > 3000
        _restore(target, sqlite_demo.archive)
        assert_same_rows(sqlite_demo.rows, snapshot(target.app))
        assert media_files(target.media) == sqlite_demo.files
        _still_works(target)
    finally:
        target.close()


def test_postgresql_round_trip_of_the_full_demo(postgres_database, tmp_path):
    """R-26: the full demo data backed up on PostgreSQL and restored into another PostgreSQL database is identical."""
    source = Portal(postgres_database("source"), tmp_path / "source")
    target = Portal(postgres_database("target"), tmp_path / "target")
    try:
        _load_demo(source)
        archive = _backup(source, tmp_path / "pg.tar.gz")
        rows = snapshot(source.app)
        _restore(target, archive)
        assert_same_rows(rows, snapshot(target.app))
        assert media_files(target.media) == media_files(source.media)
        _still_works(target)
    finally:
        source.close()
        target.close()


def test_sqlite_backup_restored_into_postgresql_and_back(sqlite_demo, postgres_database, tmp_path):
    """R-26: a SQLite backup restored into PostgreSQL, backed up there and restored into SQLite, is identical."""
    postgres = Portal(postgres_database("cross"), tmp_path / "postgres")
    back = Portal(f"sqlite:///{tmp_path}/back.db", tmp_path / "back")
    try:
        _restore(postgres, sqlite_demo.archive)
        assert_same_rows(sqlite_demo.rows, snapshot(postgres.app))
        assert media_files(postgres.media) == sqlite_demo.files
        _still_works(postgres)

        archive = _backup(postgres, tmp_path / "from-pg.tar.gz")
        _restore(back, archive)
        expected = snapshot(postgres.app)
        assert_same_rows(expected, snapshot(back.app))
        assert media_files(back.media) == sqlite_demo.files
        with back.app.app_context():
            assert (
                db.session.execute(select(User.totp_secret).where(User.email.like("admin@%"))).scalar() == TOTP_SECRET
            )
    finally:
        postgres.close()
        back.close()
