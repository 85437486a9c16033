"""Backups of configuration, content and media with a tested restore (R-26):
``flask backup create [PATH]``, ``flask backup verify PATH``, ``flask backup restore PATH``."""


def init_app(app):
    from app.backup.cli import backup_cli

    app.cli.add_command(backup_cli)
