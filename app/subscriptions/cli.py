"""``flask subscriptions send``: email digests of new items since the last run (idempotent)."""

import click
from flask.cli import AppGroup

from app.extensions import db

subscriptions_cli = AppGroup("subscriptions", help="Email subscriptions.")


@subscriptions_cli.command("send")
def send():
    """Send every confirmed subscriber the items published since their last digest."""
    from app.subscriptions.operations import send_digests

    sent = send_digests()
    db.session.commit()
    click.echo(f"digests sent: {sent}")


def init_app(app):
    app.cli.add_command(subscriptions_cli)
