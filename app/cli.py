"""Command groups of the contract: ``flask tenants|users|demo ...`` and ``flask worker``."""

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from app.auth.operations import UserError, ensure_user, find_user, new_token, revoke_tokens
from app.core.models import Tenant
from app.core.tenancy import primary_host
from app.core.tenant_sync import TenantFileError, sync_tenants
from app.core.timeutil import to_local
from app.extensions import db

tenants_cli = AppGroup("tenants", help="Manage tenants (the portal and the subsites).")
users_cli = AppGroup("users", help="Manage staff users and API tokens.")
demo_cli = AppGroup("demo", help="Demo data.")


@tenants_cli.command("sync")
def tenants_sync():
    """Load tenants/<code>/tenant.yaml into the database (idempotent)."""
    try:
        created, updated, unchanged = sync_tenants(current_app.config["TENANTS_DIR"])
    except TenantFileError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"tenants: {created} created, {updated} updated, {unchanged} unchanged")


@tenants_cli.command("list")
def tenants_list():
    """Print every tenant: code, kind, host and name."""
    rows = db.session.execute(select(Tenant).order_by(Tenant.sort_order, Tenant.code)).scalars().all()
    if not rows:
        click.echo("no tenants: run 'flask tenants sync'")
        return
    for t in rows:
        state = "" if t.active else "  (inactive)"
        if t.state != "active":
            since = f" since {to_local(t.state_since):%Y-%m-%d}" if t.state_since else ""
            state += f"  ({t.state}{since})"
        click.echo(f"{t.code:<10} {t.kind:<10} {primary_host(t):<28} {t.name_vi}{state}")


@tenants_cli.command("restructure")
@click.argument("plan_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Show what the plan would change and change nothing.")
def tenants_restructure(plan_file, dry_run):
    """Run a reorganisation plan (communes, renames, merges, retirements, domain); idempotent."""
    from app.restructure.operations import RestructureError
    from app.restructure.plan import load_plan, run_plan

    try:
        lines = run_plan(load_plan(plan_file), dry_run=dry_run)
    except RestructureError as exc:
        raise click.ClickException(str(exc)) from None
    for line in lines:
        click.echo(line)


@users_cli.command("create")
@click.argument("email")
@click.option("--tenant", "tenant_code", required=True, help="Tenant code; 'portal' for global roles.")
@click.option("--role", required=True, help="Role in the tenant, or province_admin / inspector.")
@click.option("--password", default=None, help="Password; generated and printed when omitted.")
@click.option("--name", default="", help="Display name.")
def users_create(email, tenant_code, role, password, name):
    """Create a user, or add a membership to an existing one."""
    tenant = db.session.execute(select(Tenant).where(Tenant.code == tenant_code.lower())).scalars().first()
    if tenant is None:
        raise click.ClickException(f"no tenant with code {tenant_code!r} (see 'flask tenants list')")
    try:
        user, generated = ensure_user(email, tenant, role, password=password, name=name)
    except UserError as exc:
        raise click.ClickException(str(exc)) from None
    db.session.commit()
    click.echo(f"user {user.email}: {role} on {tenant.code}")
    if generated:
        click.echo(f"password: {generated}")


@users_cli.command("token")
@click.argument("email")
@click.option("--days", type=click.IntRange(1, 3660), default=None, help="Lifetime in days (default API_TOKEN_DAYS).")
def users_token(email, days):
    """Issue an API token for EMAIL; the token is printed alone on the last line."""
    user = find_user(email)
    if user is None:
        raise click.ClickException(f"no user {email!r}")
    row, plain = new_token(user, days)
    db.session.commit()
    until = f"{row.expires_at:%Y-%m-%d %H:%M} UTC"
    click.echo(f"API token for {user.email}, valid until {until} (shown once; store it safely):")
    click.echo(plain)


@users_cli.command("revoke-token")
@click.argument("email")
@click.option("--all", "every", is_flag=True, help="Revoke every token of the user.")
@click.option("--prefix", default=None, help="Revoke the token starting with this (as listed in the back office).")
def users_revoke_token(email, every, prefix):
    """Revoke EMAIL's newest API token, the one with --prefix, or --all of them."""
    user = find_user(email)
    if user is None:
        raise click.ClickException(f"no user {email!r}")
    revoked = revoke_tokens(user, prefix=prefix, every=every)
    db.session.commit()
    if not revoked:
        raise click.ClickException(f"no active token to revoke for {user.email}")
    for token in revoked:
        click.echo(f"revoked {token.prefix}... (created {token.created_at:%Y-%m-%d %H:%M} UTC)")


@demo_cli.command("load")
@click.option("--scale", default=1, type=click.IntRange(1, 1000), help="Multiply the volume (benchmarks).")
@click.option("--if-empty", is_flag=True, help="Do nothing when demo data is already loaded.")
def demo_load(scale, if_empty):
    """Load realistic demo data for every tenant."""
    from app.demo import demo_loaded, load_demo

    if if_empty and demo_loaded():
        click.echo("demo data already loaded")
        return
    for line in load_demo(scale=scale):
        click.echo(line)


@click.command("worker")
@click.option("--threads", type=click.IntRange(1, 64), default=None, help="Worker threads (default WORKER_THREADS, 2).")
@with_appcontext
def worker(threads):
    """Run the background worker (outbox delivery, periodic jobs) until stopped (SIGTERM or Ctrl-C)."""
    from app.tasks.worker import run_consumer

    run_consumer(current_app._get_current_object(), threads)


def init_app(app):
    for group in (tenants_cli, users_cli, demo_cli):
        app.cli.add_command(group)
    app.cli.add_command(worker)
