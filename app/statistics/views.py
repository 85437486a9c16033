"""Public statistics pages (R-21, R-08 l): the list, a dataset (table, chart, downloads) and the release calendar."""

from flask import Blueprint, Response, abort, render_template, request
from sqlalchemy import select

from app.core.i18n import current_language
from app.core.models import Tenant
from app.core.navigation import section
from app.core.scoping import scope_filter_many
from app.core.tenancy import current_tenant, tenant_url
from app.core.timeutil import to_local, utcnow
from app.extensions import db
from app.media.operations import files_by_ids
from app.statistics.chart import render_svg
from app.statistics.models import DATE_PRECISIONS, NOTE_FLAGS, RELEASE_STATUSES, Dataset, Release
from app.statistics.operations import (
    STATISTICS_OFFICE,
    export_csv,
    export_xlsx,
    filter_observations,
    sorted_observations,
)
from app.workflow.models import published, visible_filter

bp = Blueprint("statistics", __name__, template_folder="templates")


def statistics_office():
    return db.session.execute(select(Tenant).where(Tenant.code == STATISTICS_OFFICE)).scalars().first()


def lookup_tenants(tenant=None):
    """Tenants whose datasets a host serves under its own ``/statistics/<slug>``: itself, then the Statistics Office."""
    tenant = tenant or current_tenant._get_current_object()
    office = statistics_office()
    return [tenant] + ([office] if office is not None and office.id != tenant.id else [])


def resolve_dataset(slug, tenant=None):
    """The published dataset ``slug`` of the host's tenant, else of the Statistics Office; or None."""
    for owner in lookup_tenants(tenant):
        found = db.session.execute(published(Dataset, owner).where(Dataset.slug == slug)).scalars().first()
        if found is not None:
            return found
    return None


def listed_datasets(tenant=None):
    """The datasets a host lists: the portal, every tenant's; a subsite, its own and the Statistics Office's."""
    tenant = tenant or current_tenant._get_current_object()
    stmt = select(Dataset).where(visible_filter(Dataset))
    if not tenant.is_portal:
        stmt = stmt.where(scope_filter_many(Dataset, lookup_tenants(tenant)))
    stmt = stmt.order_by(Dataset.release_date.desc().nulls_last(), Dataset.published_at.desc(), Dataset.id.desc())
    return db.session.execute(stmt).scalars().all()


def dataset_url(dataset, tenant=None, served=None):
    """Where the host links a dataset: its own pages for datasets it serves, else the owner's host.

    :param served: the ids of the tenants whose datasets the host serves, when a list already knows them.
    """
    tenant = tenant or current_tenant._get_current_object()
    if served is None:
        served = {t.id for t in lookup_tenants(tenant)}
    if dataset.tenant_id in served:
        return tenant_url(tenant, "statistics.dataset", slug=dataset.slug, _external=False)
    return tenant_url(dataset.tenant, "statistics.dataset", slug=dataset.slug)


@bp.route("/statistics/")
def index():
    tenant = current_tenant._get_current_object()
    topic = request.args.get("topic", "").strip()
    datasets = listed_datasets(tenant)
    topics = sorted({d.topic for d in datasets if d.topic})
    if topic:
        datasets = [d for d in datasets if d.topic == topic]
    owners = {t.id: t for t in db.session.execute(select(Tenant)).scalars()}
    served = {t.id for t in lookup_tenants(tenant)}  # once, not once per dataset (tests/perf)
    return render_template(
        "statistics/index.html",
        section=section("statistics"),
        datasets=[(d, dataset_url(d, tenant, served), owners.get(d.tenant_id)) for d in datasets],
        topics=topics,
        topic=topic,
        upcoming=upcoming_releases(tenant, limit=5),
    )


def _dataset_or_404(slug):
    dataset = resolve_dataset(slug)
    if dataset is None:
        abort(404)
    return dataset


@bp.route("/statistics/<slug>")
def dataset(slug):
    item = _dataset_or_404(slug)
    owner = item.tenant
    rows = sorted_observations(item)
    indicator = request.args.get("indicator")
    svg, description = render_svg(rows, indicator=indicator, units=item.units, chart_id=f"chart-{item.id}")
    attachments = files_by_ids(item.attachments, item.tenant_id)
    return render_template(
        "statistics/dataset.html",
        section=section("statistics"),
        dataset=item,
        owner=owner,
        rows=rows,
        indicators=item.dimension("indicator"),
        indicator=indicator,
        svg=svg,
        description=description,
        note_flags=NOTE_FLAGS,
        attachments=attachments,
        canonical=tenant_url(owner, "statistics.dataset", slug=item.slug),
    )


def _attribution(item):
    owner = item.tenant
    return owner.attribution(current_language())


@bp.route("/statistics/<slug>.csv")
def dataset_csv(slug):
    item = _dataset_or_404(slug)
    return Response(
        export_csv(item),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{item.slug}.csv"'},
    )


@bp.route("/statistics/<slug>.xlsx")
def dataset_xlsx(slug):
    item = _dataset_or_404(slug)
    return Response(
        export_xlsx(item, _attribution(item)),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{item.slug}.xlsx"'},
    )


def _calendar_tenants(tenant):
    return lookup_tenants(tenant)


def releases(tenant=None):
    """Announced releases with, for each, the public dataset that replaced it (or None)."""
    tenant = tenant or current_tenant._get_current_object()
    owners = _calendar_tenants(tenant)
    rows = db.session.execute(
        select(Release).where(scope_filter_many(Release, owners)).order_by(Release.planned_date, Release.id)
    ).scalars()
    result = []
    for release in rows:
        replaced = None
        if release.dataset_slug:
            replaced = (
                db.session.execute(published(Dataset, release.tenant).where(Dataset.slug == release.dataset_slug))
                .scalars()
                .first()
            )
        result.append((release, replaced))
    return result


def upcoming_releases(tenant, limit=5):
    today = to_local(utcnow()).date()
    return [
        r for r, replaced in releases(tenant)
        if replaced is None and r.status != "cancelled" and r.planned_date >= today.replace(day=1)
    ][:limit]  # fmt: skip


@bp.route("/statistics/calendar")
def calendar():
    """The release calendar: announced, confirmed and cancelled releases, and those already released."""
    return render_template(
        "statistics/calendar.html",
        section=section("statistics"),
        releases=releases(),
        statuses=RELEASE_STATUSES,
        precisions=DATE_PRECISIONS,
        dataset_url=lambda d: dataset_url(d),
    )


def observations_for_api(dataset, args):
    return filter_observations(
        sorted_observations(dataset), args.get("indicator"), args.get("area"), args.get("period")
    )


@bp.app_template_filter("number")
def number(value):
    """Vietnamese number style: 1.234.567,8."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if isinstance(value, float):
        whole, _, frac = f"{value:,.2f}".rstrip("0").rstrip(".").partition(".")
        whole = whole.replace(",", ".")
        return f"{whole},{frac}" if frac else whole
    return value
