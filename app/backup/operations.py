"""A backup is one ``.tar.gz`` (encrypted when ``BACKUP_KEY`` is set, see :mod:`app.backup.crypto`):
``data/<table>.jsonl`` (every row of every table, each column written as its SQL type says, portable
between SQLite and PostgreSQL), ``media/<name>`` (the uploaded files) and, last, ``manifest.json``
(format, time, schema revision, row counts, columns and a SHA-256 per member).

Restore reads and checks the whole archive before it touches anything, replaces every table in one
transaction, and only after the commit puts the media files in place; a refused restore changes nothing.
"""

import getpass
import hashlib
import json
import logging
import os
import re
import shutil
import tarfile
import tempfile
import zlib
from contextlib import contextmanager, suppress
from io import BufferedReader

from flask import current_app
from sqlalchemy import func, insert, inspect, select, text, update
from sqlalchemy.exc import SQLAlchemyError

from app.backup.columns import EncodingError, backed_up_columns, codec_for, describe, storage_table
from app.backup.crypto import CryptoError, DecryptingReader, EncryptingWriter, is_encrypted
from app.core import page_cache
from app.core.errors import DomainError
from app.core.models import SiteGeneration
from app.core.tenancy import invalidate_host_map
from app.core.timeutil import utcnow
from app.extensions import db

log = logging.getLogger(__name__)

FORMAT = "binhphuoc-portal-backup/2"
MANIFEST = "manifest.json"
DATA_MEMBER = re.compile(r"data/([A-Za-z0-9_]{1,100})\.jsonl")
MEDIA_MEMBER = re.compile(r"media/([A-Za-z0-9][A-Za-z0-9._-]{0,199})")
READ_SIZE = 1024 * 1024
MAX_MANIFEST = 64 * 1024 * 1024
INSERT_BATCH = 500


class BackupError(DomainError):
    """A backup that cannot be written, read, verified or restored, with the reason."""


class MediaRestoreError(BackupError):
    """The database was restored but the media files could not all be put in place."""


def _operator():
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name for this uid (containers)
        return f"uid {os.getuid()}"


def _key():
    return current_app.config.get("BACKUP_KEY") or None


def schema_revision():
    """The Alembic head(s) of this version's migrations (``None`` without a migrations folder)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    directory = current_app.extensions["migrate"].directory
    if not os.path.isdir(directory):
        return None
    config = Config()
    config.set_main_option("script_location", directory)
    return ",".join(sorted(ScriptDirectory.from_config(config).get_heads())) or None


def _check_database_revision(connection):
    """Refuse a database that Alembic manages but that is not at this version's revision."""
    if not inspect(connection).has_table("alembic_version"):
        return  # schema made by create_all (tests, first start): it is the models' own
    stored = ",".join(sorted(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())) or None
    expected = schema_revision()
    if stored != expected:
        raise BackupError(
            f"the database is at schema revision {stored}, this version at {expected}: run 'flask db upgrade'"
        )


def default_path():
    folder = current_app.config["BACKUP_DIR"]
    os.makedirs(folder, mode=0o700, exist_ok=True)
    suffix = ".tar.gz.enc" if _key() else ".tar.gz"
    return os.path.join(folder, f"portal-{utcnow():%Y%m%d-%H%M%S}{suffix}")


def _open_private(path):
    """Create ``path`` for writing, readable by its owner only from the first byte on (whatever the umask)."""
    with suppress(FileNotFoundError):
        os.remove(path)  # a .partial left by a crash
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, "wb")


class _Hashing:
    """A file reader that hashes what passes through it (media are read once, streamed into the archive)."""

    def __init__(self, fh):
        self._fh, self.digest = fh, hashlib.sha256()

    def read(self, size=-1):
        data = self._fh.read(size)
        self.digest.update(data)
        return data


@contextmanager
def _snapshot():
    """One connection that sees every table as of one moment, while the site goes on writing."""
    with db.engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
        elif connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN")
        try:
            yield connection
        finally:
            connection.rollback()


def _write_table(archive, connection, table, manifest):
    dialect = connection.dialect
    storage = storage_table(table, dialect)
    codecs = [(c.name, codec_for(c, dialect)) for c in backed_up_columns(table)]
    statement = select(storage).order_by(*storage.primary_key.columns)
    count = 0
    digest = hashlib.sha256()
    with tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024) as spool:
        for row in connection.execute(statement.execution_options(yield_per=1000)):
            record = {}
            for index, (name, codec) in enumerate(codecs):
                try:
                    record[name] = codec.write(row[index])
                except (EncodingError, TypeError, ValueError, AttributeError) as exc:
                    raise BackupError(f"cannot back up {table.name}.{name}: {exc}") from None
            line = (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
            digest.update(line)
            spool.write(line)
            count += 1
        name = f"data/{table.name}.jsonl"
        info = _member(name, spool.tell())
        spool.seek(0)
        archive.addfile(info, spool)
    manifest["tables"][table.name] = count
    manifest["columns"][table.name] = describe(table, dialect)
    manifest["files"][name] = digest.hexdigest()


def _member(name, size):
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    info.mtime = int(utcnow().timestamp())
    return info


def _write_media(archive, manifest):
    root = current_app.config["MEDIA_ROOT"]
    if not os.path.isdir(root):
        return
    for name in sorted(os.listdir(root)):
        full = os.path.join(root, name)
        if name.startswith(".") or not os.path.isfile(full) or os.path.islink(full):
            continue  # upload temp files (".name"), folders, links: not media
        if not MEDIA_MEMBER.fullmatch(f"media/{name}"):
            log.warning("backup: media file %r has a name the portal never gives; not backed up", name)
            continue
        with open(full, "rb") as fh:
            reader = _Hashing(fh)
            archive.addfile(_member(f"media/{name}", os.fstat(fh.fileno()).st_size), reader)
        manifest["files"][f"media/{name}"] = reader.digest.hexdigest()


def create_backup(path=None):
    """Write a backup (encrypted when ``BACKUP_KEY`` is set); return ``(path, manifest)``.

    :raise BackupError: a value that cannot be written, a database not at this version's revision, a bad key.
    """
    key = _key()
    path = path or default_path()
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, mode=0o700, exist_ok=True)
    manifest = {
        "format": FORMAT,
        "created_at": utcnow().isoformat() + "Z",
        "database": db.engine.dialect.name,
        "revision": schema_revision(),
        "encrypted": bool(key),
        "tables": {},
        "columns": {},
        "files": {},
    }
    tmp = path + ".partial"
    try:
        with _open_private(tmp) as raw:
            sink = EncryptingWriter(raw, key) if key else raw
            with tarfile.open(fileobj=sink, mode="w|gz") as archive:
                with _snapshot() as connection:
                    _check_database_revision(connection)
                    for table in db.metadata.sorted_tables:
                        _write_table(archive, connection, table, manifest)
                _write_media(archive, manifest)
                data = json.dumps(manifest, indent=1, ensure_ascii=False).encode("utf-8")
                archive.addfile(_member(MANIFEST, len(data)), _Bytes(data))
            if sink is not raw:
                sink.close()  # the last encrypted chunk
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp, path)
    except CryptoError as exc:
        raise BackupError(str(exc)) from None
    except SQLAlchemyError as exc:
        raise BackupError(f"the database is not as this version expects (flask db upgrade?): {_reason(exc)}") from None
    finally:
        with suppress(FileNotFoundError):
            os.remove(tmp)
    log.info("backup written to %s by %s (encrypted: %s)", path, _operator(), bool(key))
    return path, manifest


class _Bytes:
    def __init__(self, data):
        self._data, self._offset = data, 0

    def read(self, size=-1):
        end = len(self._data) if size is None or size < 0 else self._offset + size
        chunk = self._data[self._offset : end]
        self._offset += len(chunk)
        return chunk


@contextmanager
def _open_archive(path):
    """The archive as a tar stream, decrypted when it is encrypted; refuses an unencrypted one when a key is set."""
    if not os.path.isfile(path):
        raise BackupError(f"no backup file at {path}")
    key = _key()
    with open(path, "rb") as raw:
        head = raw.read(16)
        raw.seek(0)
        if is_encrypted(head):
            stream = BufferedReader(DecryptingReader(raw, key), buffer_size=READ_SIZE)
        elif key:
            raise BackupError(
                f"{path} is not encrypted but BACKUP_KEY is set: an unencrypted archive could have been put there "
                "by anyone who can write to the backup folder; restore it with BACKUP_KEY unset if you trust it"
            )
        else:
            stream = raw
        try:
            archive = tarfile.open(fileobj=stream, mode="r|gz")  # noqa: SIM115 - closed by the `with` below
        except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
            raise BackupError(f"{path} is not a readable backup: {exc}") from None
        with archive:
            yield archive


class _TableCheck:
    """Decodes the rows of one ``data/`` member as they stream past, with this version's columns."""

    def __init__(self, table, dialect):
        self.table = table
        self.codecs = {c.name: codec_for(c, dialect) for c in backed_up_columns(table)} if table is not None else None
        self.rows = 0
        self.problem = None
        self._rest = b""

    def feed(self, data, final=False):
        lines = (self._rest + data).split(b"\n")
        self._rest = b"" if final else lines.pop()
        for line in lines:
            if line.strip():
                self.rows += 1
                if self.problem is None and self.codecs is not None:
                    self.problem = _decode_problem(line, self.codecs, self.rows)

    def finish(self):
        self.feed(b"", final=True)


def _decode_record(line, codecs):
    record = json.loads(line)
    if not isinstance(record, dict) or set(record) != set(codecs):
        raise EncodingError(f"its columns are not {sorted(codecs)}")
    return {name: codec.read(record[name]) for name, codec in codecs.items()}


def _decode_problem(line, codecs, number):
    try:
        _decode_record(line, codecs)
    except (ValueError, UnicodeDecodeError) as exc:  # EncodingError and JSONDecodeError are ValueErrors
        return f"row {number}: {exc}"
    return None


def _scan(path, staging=None):
    """Read the whole archive, check everything and return the manifest; copy its members under ``staging``.

    :raise BackupError: for the first thing wrong, in the order an operator needs to know it.
    """
    tables = {t.name: t for t in db.metadata.sorted_tables}
    dialect = db.engine.dialect
    seen, checks, manifest = {}, {}, None
    try:
        with _open_archive(path) as archive:
            for member in archive:
                name = member.name
                table_match, media_match = DATA_MEMBER.fullmatch(name), MEDIA_MEMBER.fullmatch(name)
                if not member.isfile() or not (name == MANIFEST or table_match or media_match):
                    raise BackupError(f"unexpected entry {name!r} in the backup")
                if name in seen:
                    raise BackupError(f"{name} appears twice in the backup")
                check = _TableCheck(tables.get(table_match.group(1)), dialect) if table_match else None
                digest, content = hashlib.sha256(), bytearray() if name == MANIFEST else None
                target = _staging_file(staging, name) if staging and name != MANIFEST else None
                source = archive.extractfile(member)
                try:
                    while chunk := source.read(READ_SIZE):
                        digest.update(chunk)
                        if check is not None:
                            check.feed(chunk)
                        if target is not None:
                            target.write(chunk)
                        if content is not None:
                            content += chunk
                            if len(content) > MAX_MANIFEST:
                                raise BackupError("manifest.json is too large")
                finally:
                    if target is not None:
                        target.close()
                if check is not None:
                    check.finish()
                    checks[table_match.group(1)] = check
                seen[name] = digest.hexdigest()
                if content is not None:
                    manifest = _parse_manifest(bytes(content))
    except CryptoError as exc:
        raise BackupError(str(exc)) from None
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupError(f"{path} is damaged or truncated: {exc}") from None
    if manifest is None:
        raise BackupError("the backup has no manifest.json (it is incomplete)")
    with open(path, "rb") as fh:
        manifest["encrypted"] = is_encrypted(fh.read(16))  # what the file is, whatever the manifest says
    _check_manifest(manifest, tables, dialect)
    for name, digest in manifest["files"].items():
        if name not in seen:
            raise BackupError(f"{name} is missing from the backup")
        if seen[name] != digest:
            raise BackupError(f"{name} is damaged (checksum mismatch)")
    unlisted = sorted(n for n in seen if n != MANIFEST and n not in manifest["files"])
    if unlisted:
        raise BackupError(f"files the manifest does not list: {unlisted[:5]}")
    for table_name, expected in manifest["tables"].items():
        check = checks.get(table_name)
        if check is None:
            raise BackupError(f"data/{table_name}.jsonl is missing from the backup")
        if check.problem:
            raise BackupError(f"data/{table_name}.jsonl cannot be restored: {check.problem}")
        if check.rows != expected:
            raise BackupError(f"data/{table_name}.jsonl has {check.rows} rows, the manifest says {expected}")
    return manifest


def _parse_manifest(data):
    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BackupError("the backup's manifest.json is not readable") from None
    if not isinstance(manifest, dict):
        raise BackupError("the backup's manifest.json is not readable")
    return manifest


def _check_manifest(manifest, tables, dialect):
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r} (this version reads {FORMAT})")
    for field in ("tables", "columns", "files"):
        if not isinstance(manifest.get(field), dict):
            raise BackupError(f"the manifest has no {field!r}")
    expected = schema_revision()
    if manifest.get("revision") != expected:
        raise BackupError(
            f"the backup was made at schema revision {manifest.get('revision')}, this version is at {expected}: "
            "restore it with the version of the portal that made it"
        )
    missing = sorted(set(tables) - set(manifest["tables"]))
    if missing:
        raise BackupError(f"the backup lacks tables this version has: {', '.join(missing[:10])}")
    unknown = sorted(set(manifest["tables"]) - set(tables))
    if unknown:
        raise BackupError(f"the backup has tables this version does not know: {', '.join(unknown[:10])}")
    for name, table in tables.items():
        if manifest["columns"].get(name) != describe(table, dialect):
            raise BackupError(f"the columns of table {name} in the backup differ from this version's")
        if not isinstance(manifest["tables"][name], int):
            raise BackupError(f"the manifest's row count for {name} is not a number")


def _staging_file(staging, name):
    full = os.path.join(staging, *name.split("/"))
    os.makedirs(os.path.dirname(full), mode=0o700, exist_ok=True)
    return _open_private(full)


def verify_backup(path):
    """Check the whole archive as a restore would (format, revision, tables, columns, checksums, every row).

    :return: the manifest.
    :raise BackupError: what is wrong with it.
    """
    return _scan(path)


def restore_backup(path):
    """Replace the database content and the media with the backup's; return the manifest.

    Nothing is changed unless the whole archive checks out and every row goes in.

    :raise BackupError: the archive is not valid or its rows do not fit; the data is then as it was.
    :raise MediaRestoreError: the database is restored, a media file could not be written (disk full...).
    """
    parent = os.path.dirname(os.path.abspath(current_app.config["MEDIA_ROOT"]))
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".backup-restore-", dir=parent)
    try:
        manifest = _scan(path, staging)
        _replace_data(staging)
        invalidate_host_map()
        try:
            _install_media(os.path.join(staging, "media"))
        except OSError as exc:
            log.error("backup %s: database restored by %s, media not: %s", path, _operator(), exc)
            raise MediaRestoreError(f"the database is restored, but not every media file: {exc}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    log.info("backup %s restored by %s (made %s)", path, _operator(), manifest.get("created_at"))
    return manifest


def _staged_rows(staging, table, dialect):
    codecs = {c.name: codec_for(c, dialect) for c in backed_up_columns(table)}
    with open(os.path.join(staging, "data", f"{table.name}.jsonl"), "rb") as fh:
        for line in fh:
            if line.strip():
                yield _decode_record(line, codecs)


def _parents_first(rows, table):
    """Order rows so that a row a row refers to in its own table (``revision_of_id``, ``parent_id``) goes in first."""
    links = [(fk.parent.name, fk.column.name) for fk in table.foreign_keys if fk.column.table is table]
    if not links:
        return rows
    rows = list(rows)
    index = {(ref, row[ref]): i for i, row in enumerate(rows) for ref in {r for _, r in links}}
    placed, ordered = [False] * len(rows), []
    for start in range(len(rows)):
        stack = [start]
        while stack:
            i = stack[-1]
            if placed[i]:
                stack.pop()
                continue
            parents = (index.get((ref, rows[i][col])) for col, ref in links if rows[i][col] is not None)
            waiting = [p for p in parents if p is not None and not placed[p] and p not in stack]
            if waiting:
                stack.append(waiting[0])
                continue
            placed[i] = True
            ordered.append(rows[i])
            stack.pop()
    return ordered


def _batches(rows):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == INSERT_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _replace_data(staging):
    """Delete every row and insert the backup's, in one transaction; roll it all back on any failure."""
    session = db.session
    session.rollback()
    dialect = db.engine.dialect
    tables = db.metadata.sorted_tables
    table = None
    try:
        _check_database_revision(session.connection())
        generation = session.execute(select(func.max(SiteGeneration.value))).scalar() or 0
        if dialect.name == "postgresql":
            # One statement, locks every table until the commit: the site sees the old data or the new.
            names = ", ".join(dialect.identifier_preparer.format_table(t) for t in tables)
            session.execute(text(f"TRUNCATE {names}"))
        else:
            for each in reversed(tables):
                session.execute(each.delete())
        for table in tables:
            storage = storage_table(table, dialect)
            for batch in _batches(_parents_first(_staged_rows(staging, table, dialect), table)):
                session.execute(insert(storage), batch)
        table = None
        _reset_sequences()
        _bump_generation(generation)
        session.commit()
        page_cache.invalidate_all()  # rows written outside the ORM: no page cached before may come back
    except BackupError:
        session.rollback()
        raise
    except (SQLAlchemyError, ValueError) as exc:
        session.rollback()
        where = f" (table {table.name})" if table is not None else ""
        raise BackupError(f"the backup's data does not fit this database{where}: {_reason(exc)}") from None
    except BaseException:
        session.rollback()
        raise


def _reason(exc):
    """The database's own first line about a failed statement, without the SQL and its parameters."""
    return (str(getattr(exc, "orig", None) or exc).strip().splitlines() or [type(exc).__name__])[0]


def _bump_generation(before):
    """Pages cached before the restore must not come back: move the site generation past both histories."""
    table = SiteGeneration.__table__
    restored = db.session.execute(select(func.max(table.c.value))).scalar()
    value = max(before, restored or 0) + 1
    if restored is None:
        db.session.execute(insert(table).values(id=1, value=value))
    else:
        db.session.execute(update(table).values(value=value))


def _install_media(folder):
    if not os.path.isdir(folder):
        return
    root = current_app.config["MEDIA_ROOT"]
    os.makedirs(root, exist_ok=True)
    for name in os.listdir(folder):
        source, target = os.path.join(folder, name), os.path.join(root, name)
        os.chmod(source, 0o644)  # staged privately (0600); media are served by the app like any upload
        try:
            os.replace(source, target)
        except OSError:  # another file system: copy next to the target, then rename
            partial = os.path.join(root, f".{name}.restoring")
            shutil.copyfile(source, partial)
            os.replace(partial, target)


def _reset_sequences():
    """PostgreSQL keeps id sequences apart from the rows: move them past the restored ids."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not pk[0].autoincrement or pk[0].type.python_type is not int:
            continue
        sequence = db.session.execute(
            text("SELECT pg_get_serial_sequence(:table, :column)"), {"table": table.name, "column": pk[0].name}
        ).scalar()
        if sequence is None:
            continue
        highest = db.session.execute(select(func.max(pk[0]))).scalar() or 0
        db.session.execute(
            text("SELECT setval(:sequence, :value, :called)"),
            {"sequence": sequence, "value": max(highest, 1), "called": highest > 0},
        )
