import sys

import click
from flask.cli import AppGroup

from app.backup.operations import BackupError, MediaRestoreError, create_backup, restore_backup, verify_backup

backup_cli = AppGroup("backup", help="Backups of the database and media (R-26).")


def _summary(manifest):
    rows = sum(manifest["tables"].values())
    media = len([n for n in manifest["files"] if n.startswith("media/")])
    encrypted = "encrypted" if manifest.get("encrypted") else "not encrypted"
    return (
        f"{len(manifest['tables'])} tables, {rows} rows, {media} media files, "
        f"schema revision {manifest.get('revision')}, {encrypted}"
    )


@backup_cli.command("create")
@click.argument("path", required=False)
def create(path):
    """Write a backup to PATH (default: BACKUP_DIR/portal-<time>.tar.gz, .tar.gz.enc with BACKUP_KEY)."""
    try:
        written, manifest = create_backup(path)
    except BackupError as exc:
        raise click.ClickException(f"backup NOT written: {exc}") from None
    click.echo(f"backup written: {written} ({_summary(manifest)})")


@backup_cli.command("verify")
@click.argument("path")
def verify(path):
    """Check a backup as a restore would (checksums, tables, rows, schema revision) without changing anything."""
    try:
        manifest = verify_backup(path)
    except BackupError as exc:
        raise click.ClickException(f"backup NOT valid: {exc}") from None
    click.echo(f"backup valid: {path} ({_summary(manifest)}, made {manifest['created_at']})")


@backup_cli.command("restore")
@click.argument("path")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation at a terminal.")
def restore(path, yes):
    """Replace the database content and media with the backup at PATH (asks first at a terminal).

    The whole backup is checked first; a refused restore leaves the data as it was.
    """
    if not yes and sys.stdin.isatty() and not click.confirm(f"Replace ALL current data with {path}?", default=False):
        raise click.ClickException("restore cancelled")
    try:
        manifest = restore_backup(path)
    except MediaRestoreError as exc:
        raise click.ClickException(f"restore incomplete: {exc}; run the restore again once fixed") from None
    except BackupError as exc:
        raise click.ClickException(f"restore refused, nothing was changed: {exc}") from None
    click.echo(f"restored: {path} ({_summary(manifest)})")
