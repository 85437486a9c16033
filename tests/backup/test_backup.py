"""Backups and a tested restore (R-26)."""

import os
import tarfile

from sqlalchemy import func, select

from app.auth.models import Membership, User
from app.core.models import Tenant
from app.extensions import db


def test_backup_restore_round_trip(app, runner, make_user, tmp_path):
    """R-26: create, verify and restore bring back users, memberships, tenants and media exactly."""
    make_user("head", "stc")
    make_user("editor", "dongxoai")
    media_root = app.config["MEDIA_ROOT"]
    os.makedirs(media_root, exist_ok=True)
    with open(os.path.join(media_root, "abc123.jpg"), "wb") as fh:
        fh.write(b"\xff\xd8\xff-image-bytes")
    with app.app_context():
        before = {
            "users": db.session.execute(select(func.count(User.id))).scalar_one(),
            "memberships": db.session.execute(select(func.count(Membership.id))).scalar_one(),
            "tenants": db.session.execute(select(func.count(Tenant.id))).scalar_one(),
        }
    path = str(tmp_path / "b.tar.gz")
    created = runner.invoke(args=["backup", "create", path])
    assert created.exit_code == 0 and "backup written" in created.output
    assert "backup valid" in runner.invoke(args=["backup", "verify", path]).output
    make_user("contributor", "stc")
    os.remove(os.path.join(media_root, "abc123.jpg"))
    restored = runner.invoke(args=["backup", "restore", path])
    assert restored.exit_code == 0, restored.output
    with app.app_context():
        after = {
            "users": db.session.execute(select(func.count(User.id))).scalar_one(),
            "memberships": db.session.execute(select(func.count(Membership.id))).scalar_one(),
            "tenants": db.session.execute(select(func.count(Tenant.id))).scalar_one(),
        }
        assert db.session.execute(select(User).where(User.email == "contributor.stc@test.vn")).first() is None
    assert after == before
    with open(os.path.join(media_root, "abc123.jpg"), "rb") as fh:
        assert fh.read() == b"\xff\xd8\xff-image-bytes"
    make_user("secretary", "stc")  # ids keep working after a restore (PostgreSQL sequences)


def test_verify_detects_damage(runner, tmp_path):
    """R-26: a tampered or truncated backup is refused by verify and by restore."""
    path = tmp_path / "b.tar.gz"
    runner.invoke(args=["backup", "create", str(path)])
    tampered = tmp_path / "t.tar.gz"
    with tarfile.open(path) as src, tarfile.open(tampered, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name == "data/tenant.jsonl":
                data = data.replace("Sở Tài chính".encode(), "Sở Bị sửa".encode())
                member.size = len(data)
            import io

            dst.addfile(member, io.BytesIO(data))
    result = runner.invoke(args=["backup", "verify", str(tampered)])
    assert result.exit_code != 0 and "checksum" in result.output
    assert runner.invoke(args=["backup", "restore", str(tampered)]).exit_code != 0
    truncated = tmp_path / "x.tar.gz"
    truncated.write_bytes(path.read_bytes()[:100])
    assert "NOT valid" in runner.invoke(args=["backup", "verify", str(truncated)]).output
    assert "no backup file" in runner.invoke(args=["backup", "verify", str(tmp_path / "none")]).output
