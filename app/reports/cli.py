import sys

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.core.models import Tenant
from app.core.tabular import write_csv
from app.extensions import db
from app.reports.operations import PERIODS, ReportError, activity, all_sites, period_bounds

reports_cli = AppGroup("reports", help="Activity reports and evaluations (R-29, R-30).")


@reports_cli.command("activity")
@click.option("--year", type=int, required=True)
@click.option("--period", type=click.Choice(PERIODS), default="year")
@click.option("--tenant", "code", default=None, help="One tenant's code; default: every site.")
def activity_command(year, period, code):
    """Print the activity report as CSV (one row per site and content type)."""
    try:
        start, end = period_bounds(year, period)
    except ReportError as exc:
        raise click.ClickException(str(exc)) from None
    if code:
        tenant = db.session.execute(select(Tenant).where(Tenant.code == code)).scalars().first()
        if tenant is None:
            raise click.ClickException(f"no tenant {code!r}")
        tenants = [tenant]
    else:
        tenants = all_sites()
    rows = [["tenant", "content_type", "submitted", "published", "returned", "rejected", "late_reviews"]]
    for entry in activity(tenants, start, end):
        for t in entry.types:
            rows.append([entry.tenant.code, t.name, t.submitted, t.published, t.returned, t.rejected, t.late_reviews])
    write_csv(sys.stdout, rows)


def init_app(app):
    app.cli.add_command(reports_cli)
