"""A backup is one ``.tar.gz``: ``manifest.json`` (format, time, database kind, row counts and a
SHA-256 per member), ``data/<table>.jsonl`` (every row of every table, portable between SQLite and
PostgreSQL) and ``media/`` (the uploaded files). Restore replaces the database content and the media."""

import base64
import hashlib
import io
import json
import os
import tarfile
import zlib
from datetime import date, datetime

from flask import current_app
from sqlalchemy import JSON, Boolean, Date, DateTime, LargeBinary, func, select, text

from app.core.tenancy import invalidate_host_map
from app.core.timeutil import utcnow
from app.extensions import db

FORMAT = "binhphuoc-portal-backup/1"


class BackupError(Exception):
    """A backup that cannot be written, read, verified or restored, with the reason."""


def _encode(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def _decode(column, value):
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, LargeBinary):
        return base64.b64decode(value)
    if isinstance(kind, Boolean):
        return bool(value)
    if isinstance(kind, JSON):
        return value
    return value


def _add_bytes(archive, name, data, manifest):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(utcnow().timestamp())
    archive.addfile(info, io.BytesIO(data))
    manifest["files"][name] = hashlib.sha256(data).hexdigest()


def default_path():
    folder = current_app.config["BACKUP_DIR"]
    os.makedirs(folder, exist_ok=True)
    return os.path.join(folder, f"portal-{utcnow():%Y%m%d-%H%M%S}.tar.gz")


def create_backup(path=None):
    """Write a backup; return ``(path, manifest)``."""
    path = path or default_path()
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    manifest = {
        "format": FORMAT,
        "created_at": utcnow().isoformat() + "Z",
        "database": db.engine.dialect.name,
        "tables": {},
        "files": {},
    }
    tmp = path + ".partial"
    with tarfile.open(tmp, "w:gz") as archive:
        for table in db.metadata.sorted_tables:
            rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).mappings()
            lines = [json.dumps({k: _encode(v) for k, v in row.items()}, ensure_ascii=False) for row in rows]
            manifest["tables"][table.name] = len(lines)
            _add_bytes(archive, f"data/{table.name}.jsonl", "\n".join(lines).encode("utf-8"), manifest)
        media_root = current_app.config["MEDIA_ROOT"]
        if os.path.isdir(media_root):
            for name in sorted(os.listdir(media_root)):
                full = os.path.join(media_root, name)
                if os.path.isfile(full):
                    with open(full, "rb") as fh:
                        _add_bytes(archive, f"media/{name}", fh.read(), manifest)
        _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=1).encode("utf-8"), {"files": {}})
    os.replace(tmp, path)
    return path, manifest


def _read(path):
    if not os.path.isfile(path):
        raise BackupError(f"no backup file at {path}")
    try:
        archive = tarfile.open(path, "r:gz")  # noqa: SIM115 - the callers close it with `with`
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{path} is not a readable backup: {exc}") from None
    return archive


def verify_backup(path):
    """Check the manifest, every checksum and every row; return the manifest or raise BackupError."""
    try:
        return _verify(path)
    except (tarfile.TarError, EOFError, OSError, zlib.error, UnicodeDecodeError) as exc:
        raise BackupError(f"{path} is damaged or truncated: {exc}") from None


def _verify(path):
    with _read(path) as archive:
        try:
            manifest = json.loads(archive.extractfile("manifest.json").read())
        except (KeyError, ValueError, AttributeError):
            raise BackupError("the backup has no readable manifest.json") from None
        if manifest.get("format") != FORMAT:
            raise BackupError(f"unknown backup format {manifest.get('format')!r}")
        members = {m.name: m for m in archive.getmembers() if m.isfile()}
        for name, digest in manifest["files"].items():
            if name not in members:
                raise BackupError(f"{name} is missing from the backup")
            data = archive.extractfile(members[name]).read()
            if hashlib.sha256(data).hexdigest() != digest:
                raise BackupError(f"{name} is damaged (checksum mismatch)")
            if name.startswith("data/"):
                table = name[len("data/") : -len(".jsonl")]
                count = len([line for line in data.decode("utf-8").splitlines() if line.strip()])
                if count != manifest["tables"].get(table):
                    raise BackupError(f"{name} has {count} rows, the manifest says {manifest['tables'].get(table)}")
        unknown = [n for n in members if n != "manifest.json" and n not in manifest["files"]]
        if unknown:
            raise BackupError(f"unexpected files in the backup: {unknown[:5]}")
    return manifest


def restore_backup(path):
    """Replace the database content and the media with the backup's; return the manifest."""
    manifest = verify_backup(path)
    tables = {t.name: t for t in db.metadata.sorted_tables}
    missing = [name for name in manifest["tables"] if name not in tables]
    if missing:
        raise BackupError(f"the backup has tables this version does not know: {missing}")
    with _read(path) as archive:
        try:
            for table in reversed(db.metadata.sorted_tables):
                db.session.execute(table.delete())
            for table in db.metadata.sorted_tables:
                if table.name not in manifest["tables"]:
                    continue
                raw = archive.extractfile(f"data/{table.name}.jsonl").read().decode("utf-8")
                rows = []
                for line in raw.splitlines():
                    if line.strip():
                        record = json.loads(line)
                        rows.append({c.name: _decode(c, record.get(c.name)) for c in table.columns if c.name in record})
                for start in range(0, len(rows), 500):
                    db.session.execute(table.insert(), rows[start : start + 500])
            _reset_sequences()
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        media_root = current_app.config["MEDIA_ROOT"]
        os.makedirs(media_root, exist_ok=True)
        for member in archive.getmembers():
            if member.isfile() and member.name.startswith("media/"):
                name = os.path.basename(member.name)
                if name and not name.startswith("."):
                    with open(os.path.join(media_root, name), "wb") as fh:
                        fh.write(archive.extractfile(member).read())
    invalidate_host_map()
    return manifest


def _reset_sequences():
    """PostgreSQL keeps id sequences apart from the rows: move them past the restored ids."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not pk[0].autoincrement or pk[0].type.python_type is not int:
            continue
        highest = db.session.execute(select(func.max(pk[0]))).scalar() or 0
        db.session.execute(
            text("SELECT setval(pg_get_serial_sequence(:table, :column), :value, :called)"),
            {"table": table.name, "column": pk[0].name, "value": max(highest, 1), "called": highest > 0},
        )
