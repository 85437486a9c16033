"""R-26: backups an operator can trust: private files, optional encryption, and a restore that either
replaces everything or refuses and changes nothing (``flask backup create|verify|restore``)."""

import gzip
import hashlib
import io
import json
import os
import stat
import tarfile

import pytest
from sqlalchemy import select, update

from app.auth.models import User
from app.backup import crypto
from app.backup import operations as backup_operations
from app.core.models import Tenant
from app.extensions import db
from app.news.models import Article
from tests.backup.conftest import media_files, snapshot

KEY = "khoa-sao-luu-tinh-binh-phuoc-2026"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
IMAGE = b"\xff\xd8\xff-image-bytes"


@pytest.fixture
def site(app, make_user):
    """Users (one with a second factor), an article and a media file on the shared test database."""
    make_user("head", "stc")
    make_user("editor", "dongxoai")
    media_root = app.config["MEDIA_ROOT"]
    os.makedirs(media_root, exist_ok=True)
    with open(os.path.join(media_root, "abc123.jpg"), "wb") as fh:
        fh.write(IMAGE)
    # Incompressible bytes: the archive then spans several encrypted chunks.
    with open(os.path.join(media_root, "noise.bin"), "wb") as fh:
        fh.write(os.urandom(3 * crypto.CHUNK))
    with app.app_context():
        db.session.execute(update(User).where(User.email == "head.stc@test.vn").values(totp_secret=TOTP_SECRET))
        stc = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalars().one()
        db.session.add(Article(tenant_id=stc.id, title="Hội nghị chuyển đổi số", slug="hoi-nghi", tags=["số"]))
        db.session.commit()
    yield app
    for name in ("abc123.jpg", "noise.bin"):
        if os.path.exists(os.path.join(media_root, name)):
            os.remove(os.path.join(media_root, name))


def _cli(runner, *args):
    result = runner.invoke(args=list(args))
    assert "Traceback" not in result.output
    return result


def _rewrite(source, target, change=None, manifest_change=None, extra=()):
    """Copy a plain archive, changing members (``change(name, data)``: new bytes, or None to drop), keeping
    the manifest's checksums and counts in step unless ``manifest_change`` says otherwise."""
    with tarfile.open(source, "r:gz") as archive:
        members = {m.name: archive.extractfile(m).read() for m in archive.getmembers()}
    manifest = json.loads(members.pop("manifest.json"))
    for name in list(members):
        data = change(name, members[name]) if change else members[name]
        if data is None:
            del members[name]
            manifest["files"].pop(name)
            continue
        members[name] = data
        manifest["files"][name] = hashlib.sha256(data).hexdigest()
    for name, data in extra:
        members[name] = data
    if manifest_change:
        manifest_change(manifest)
    members["manifest.json"] = json.dumps(manifest).encode()
    with tarfile.open(target, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return target


def _drop_table(name):
    def manifest_change(manifest):
        manifest["tables"].pop(name)
        manifest["columns"].pop(name)

    return {"change": lambda member, data: None if member == f"data/{name}.jsonl" else data,
            "manifest_change": manifest_change}  # fmt: skip


def _no_tables():
    def manifest_change(manifest):
        manifest["tables"], manifest["columns"] = {}, {}

    return {
        "change": lambda member, data: None if member.startswith("data/") else data,
        "manifest_change": manifest_change,
    }


def _tamper_keeping_checksum(source, target):
    with tarfile.open(source, "r:gz") as src, tarfile.open(target, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name == "data/tenant.jsonl":
                data = data.replace("Sở Tài chính".encode(), "Sở Bị sửa".encode())
                member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    return target


def _orphan_article(member, data):
    """A row that breaks a foreign key: detected only when the database takes it, half-way through."""
    if member == "data/news_article.jsonl":
        row = json.loads(data.splitlines()[0])
        row["tenant_id"] = 987654
        return json.dumps(row).encode() + b"\n"
    if member == "media/abc123.jpg":
        return b"other bytes"
    return data


def _truncate(source, target):
    target.write_bytes(source.read_bytes()[: source.stat().st_size // 2])
    return target


def _extra_row(member, data):
    return data + data.splitlines(keepends=True)[0] if member == "data/user.jsonl" else data


BROKEN = {
    "truncated": (lambda s, d: _truncate(s, d), "damaged or truncated"),
    "manifest lists no tables": (lambda s, d: _rewrite(s, d, **_no_tables()), "lacks tables this version has"),
    "a table missing": (lambda s, d: _rewrite(s, d, **_drop_table("user")), "lacks tables this version has: user"),
    "bad checksum": (_tamper_keeping_checksum, "checksum mismatch"),
    "other schema revision": (
        lambda s, d: _rewrite(s, d, manifest_change=lambda m: m.update(revision="0000aaaa1111")),
        "schema revision 0000aaaa1111",
    ),
    "old format": (
        lambda s, d: _rewrite(s, d, manifest_change=lambda m: m.update(format="x/1")),
        "unknown backup format",
    ),
    "row count": (lambda s, d: _rewrite(s, d, change=_extra_row), "rows, the manifest says"),
    "other columns": (
        lambda s, d: _rewrite(s, d, manifest_change=lambda m: m["columns"]["user"].pop("totp_secret")),
        "the columns of table user in the backup differ",
    ),
    "path outside media": (lambda s, d: _rewrite(s, d, extra=[("media/../../evil.txt", b"x")]), "unexpected entry"),
    "constraint broken mid-way": (lambda s, d: _rewrite(s, d, change=_orphan_article), "does not fit this database"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_refused_restore_leaves_everything_as_it_was(site, runner, tmp_path, case):
    """R-26: a damaged, incomplete, foreign or unfitting archive is refused and users, tenants, content and
    media stay exactly as they were (the whole archive is checked first; the data goes in one transaction)."""
    good = tmp_path / "good.tar.gz"
    assert _cli(runner, "backup", "create", str(good)).exit_code == 0
    make_broken, message = BROKEN[case]
    broken = make_broken(good, tmp_path / "broken.tar.gz")
    with site.app_context():
        db.session.execute(update(User).where(User.email == "editor.dongxoai@test.vn").values(name="Changed after"))
        db.session.commit()
    before, files_before = snapshot(site), media_files(site.config["MEDIA_ROOT"])
    assert before["user"] and before["tenant"] and before["news_article"]

    verified = _cli(runner, "backup", "verify", str(broken))
    restored = _cli(runner, "backup", "restore", str(broken))

    assert restored.exit_code != 0 and "restore refused, nothing was changed" in restored.output
    assert message in restored.output
    if case == "constraint broken mid-way":
        assert verified.exit_code == 0  # only the database can tell; the restore then rolls back
    else:
        assert verified.exit_code != 0 and message in verified.output
    assert snapshot(site) == before
    assert media_files(site.config["MEDIA_ROOT"]) == files_before
    assert not os.path.exists(os.path.join(os.path.dirname(site.config["MEDIA_ROOT"]), "evil.txt"))
    assert not [n for n in os.listdir(os.path.dirname(site.config["MEDIA_ROOT"])) if n.startswith(".backup-restore-")]


def test_restore_replaces_data_and_media(site, runner, make_user, tmp_path):
    """R-26: create, verify and restore bring back users, tenants, content and media exactly; later ids still work."""
    path = tmp_path / "b.tar.gz"
    assert _cli(runner, "backup", "create", str(path)).exit_code == 0
    before = snapshot(site)
    make_user("contributor", "stc")
    with site.app_context():
        db.session.execute(update(Article).values(title="Đã sửa"))
        db.session.commit()
    os.remove(os.path.join(site.config["MEDIA_ROOT"], "abc123.jpg"))

    assert "backup valid" in _cli(runner, "backup", "verify", str(path)).output
    restored = _cli(runner, "backup", "restore", str(path))

    assert restored.exit_code == 0, restored.output
    after = snapshot(site)
    assert {k: v for k, v in after.items() if k != "site_generation"} == {
        k: v for k, v in before.items() if k != "site_generation"
    }
    with open(os.path.join(site.config["MEDIA_ROOT"], "abc123.jpg"), "rb") as fh:
        assert fh.read() == IMAGE
    make_user("secretary", "stc")  # ids keep working after a restore (PostgreSQL sequences)


def test_archives_are_readable_by_their_owner_only(site, runner, tmp_path, monkeypatch):
    """R-26: the archive and its .partial file are 0600 from the first byte, whatever the umask; the folder 0700."""
    seen = {}
    real_replace = os.replace

    def spy(source, target):
        if str(source).endswith(".partial"):
            seen[source] = stat.S_IMODE(os.stat(source).st_mode)
        return real_replace(source, target)

    monkeypatch.setattr(backup_operations.os, "replace", spy)
    monkeypatch.setitem(site.config, "BACKUP_DIR", str(tmp_path / "new" / "backups"))
    old_umask = os.umask(0o002)
    try:
        created = _cli(runner, "backup", "create")
    finally:
        os.umask(old_umask)
    assert created.exit_code == 0, created.output
    (path,) = (tmp_path / "new" / "backups").iterdir()
    assert path.name.endswith(".tar.gz")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert list(seen.values()) == [0o600]
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_encrypted_archive_hides_secrets_and_restores(site, runner, tmp_path, monkeypatch):
    """R-26: with BACKUP_KEY the archive is encrypted (no TOTP secret or e-mail in its bytes) and restores."""
    plain = tmp_path / "plain.tar.gz"
    assert _cli(runner, "backup", "create", str(plain)).exit_code == 0
    assert TOTP_SECRET.encode() in gzip.decompress(plain.read_bytes())  # the secret is there to be found

    monkeypatch.setitem(site.config, "BACKUP_KEY", KEY)
    path = tmp_path / "secret.tar.gz.enc"
    created = _cli(runner, "backup", "create", str(path))
    assert created.exit_code == 0 and "encrypted" in created.output
    data = path.read_bytes()
    assert data.startswith(crypto.MAGIC) and not data.startswith(b"\x1f\x8b")
    for clear in (TOTP_SECRET.encode(), b"head.stc@test.vn", "Hội nghị".encode()):
        assert clear not in data
    with pytest.raises(OSError):
        gzip.decompress(data)

    with site.app_context():
        db.session.execute(update(User).values(totp_secret=None))
        db.session.commit()
    assert "backup valid" in _cli(runner, "backup", "verify", str(path)).output
    assert _cli(runner, "backup", "restore", str(path)).exit_code == 0
    with site.app_context():
        secret = db.session.execute(select(User.totp_secret).where(User.email == "head.stc@test.vn")).scalar()
    assert secret == TOTP_SECRET


def _cut_at_chunk(path, target):
    data = path.read_bytes()
    target.write_bytes(data[: crypto.HEADER.size + 2 * (crypto.CHUNK + crypto.TAG)])
    return target


def _flip_byte(path, target):
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    return target


@pytest.mark.parametrize(
    ("key", "damage", "message"),
    [
        ("another-key-of-enough-length", None, "BACKUP_KEY is not the key this backup was encrypted with"),
        (None, None, "this backup is encrypted: set BACKUP_KEY"),
        (KEY, _cut_at_chunk, "damaged or cut off"),
        (KEY, _flip_byte, "damaged or cut off"),
    ],
    ids=["wrong key", "no key", "cut at a chunk boundary", "one byte changed"],
)
def test_encrypted_archive_refused_without_the_right_key_or_intact_bytes(
    site, runner, tmp_path, monkeypatch, key, damage, message
):
    """R-26: a wrong or missing key, or a changed or cut encrypted file, gives a clear message and changes nothing."""
    monkeypatch.setitem(site.config, "BACKUP_KEY", KEY)
    path = tmp_path / "b.tar.gz.enc"
    assert _cli(runner, "backup", "create", str(path)).exit_code == 0
    if damage:
        path = damage(path, tmp_path / "damaged.enc")
    monkeypatch.setitem(site.config, "BACKUP_KEY", key)
    before = snapshot(site)
    for command in ("verify", "restore"):
        result = _cli(runner, "backup", command, str(path))
        assert result.exit_code == 1 and message in result.output, result.output
    assert snapshot(site) == before


def test_unencrypted_archive_refused_when_a_key_is_set(site, runner, tmp_path, monkeypatch):
    """R-26: with BACKUP_KEY set, an unencrypted archive (which anyone could have planted) is not restored."""
    path = tmp_path / "plain.tar.gz"
    assert _cli(runner, "backup", "create", str(path)).exit_code == 0
    monkeypatch.setitem(site.config, "BACKUP_KEY", KEY)
    before = snapshot(site)
    result = _cli(runner, "backup", "restore", str(path))
    assert result.exit_code == 1 and "is not encrypted but BACKUP_KEY is set" in result.output
    assert snapshot(site) == before


def test_short_key_is_refused_before_anything_is_written(site, runner, tmp_path, monkeypatch):
    """R-26: a BACKUP_KEY too short to resist guessing is refused with a clear message and no file is left."""
    monkeypatch.setitem(site.config, "BACKUP_KEY", "short")
    result = _cli(runner, "backup", "create", str(tmp_path / "b.tar.gz.enc"))
    assert result.exit_code == 1 and "BACKUP_KEY is too short" in result.output
    assert list(tmp_path.iterdir()) == []


def test_missing_file_is_reported(runner, tmp_path):
    """R-26: verify names a backup that is not there."""
    result = _cli(runner, "backup", "verify", str(tmp_path / "none"))
    assert result.exit_code == 1 and "no backup file" in result.output


def test_rows_pointing_at_later_rows_of_their_own_table_restore(site, runner, tmp_path):
    """R-26: a revision stored before the item it revises (a lower id) restores: parents go in first."""
    with site.app_context():
        original = db.session.execute(select(Article)).scalars().one()
        revision = Article(tenant_id=original.tenant_id, title="Bản sửa", slug="ban-sua", tags=[])
        db.session.add(revision)
        db.session.flush()
        # The original now revises the newer row: the row with the lower id points up.
        original.revision_of_id = revision.id
        db.session.commit()
    before = snapshot(site)
    path = tmp_path / "b.tar.gz"
    assert _cli(runner, "backup", "create", str(path)).exit_code == 0
    restored = _cli(runner, "backup", "restore", str(path))
    assert restored.exit_code == 0, restored.output
    assert snapshot(site)["news_article"] == before["news_article"]
