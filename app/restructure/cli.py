"""``flask demo restructure-2025``: the 2025 reorganisation applied to the demo data."""

import click
from flask.cli import with_appcontext


@click.command("restructure-2025")
@click.option("--dry-run", is_flag=True, help="Show what would change and change nothing.")
@with_appcontext
def demo_restructure(dry_run):
    """Apply the 2025 restructuring to the demo data: districts archived, communes created, portal moved."""
    from flask import current_app

    from app.restructure.scenario import run_2025

    for line in run_2025(current_app.config, dry_run=dry_run):
        click.echo(line)
