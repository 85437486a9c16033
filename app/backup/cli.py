import sys

import click
from flask.cli import AppGroup

from app.backup.operations import BackupError, create_backup, restore_backup, verify_backup

backup_cli = AppGroup("backup", help="Backups of the database and media (R-26).")


def _summary(manifest):
    rows = sum(manifest["tables"].values())
    media = len([n for n in manifest["files"] if n.startswith("media/")])
    return f"{len(manifest['tables'])} tables, {rows} rows, {media} media files"


@backup_cli.command("create")
@click.argument("path", required=False)
def create(path):
    """Write a backup to PATH (default: BACKUP_DIR/portal-<time>.tar.gz)."""
    written, manifest = create_backup(path)
    click.echo(f"backup written: {written} ({_summary(manifest)})")


@backup_cli.command("verify")
@click.argument("path")
def verify(path):
    """Check a backup's manifest and checksums without changing anything."""
    try:
        manifest = verify_backup(path)
    except BackupError as exc:
        raise click.ClickException(f"backup NOT valid: {exc}") from None
    click.echo(f"backup valid: {path} ({_summary(manifest)}, made {manifest['created_at']})")


@backup_cli.command("restore")
@click.argument("path")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation at a terminal.")
def restore(path, yes):
    """Replace the database content and media with the backup at PATH (asks first at a terminal)."""
    if not yes and sys.stdin.isatty() and not click.confirm(f"Replace ALL current data with {path}?", default=False):
        raise click.ClickException("restore cancelled")
    try:
        manifest = restore_backup(path)
    except BackupError as exc:
        raise click.ClickException(f"restore refused: {exc}") from None
    click.echo(f"restored: {path} ({_summary(manifest)})")
