"""``flask questions remind``: deadline reminders and overdue notices, run daily by cron (idempotent)."""

import click
from flask.cli import AppGroup

from app.extensions import db

questions_cli = AppGroup("questions", help="Citizens' questions.")


@questions_cli.command("remind")
def remind():
    """Email agencies about cases due soon or overdue; each notice is sent once per case."""
    from app.questions.operations import send_reminders

    reminders, notices = send_reminders()
    db.session.commit()
    click.echo(f"reminders: {reminders}, overdue notices: {notices}")


def init_app(app):
    app.cli.add_command(questions_cli)
