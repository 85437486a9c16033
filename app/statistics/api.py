"""Datasets API: ``GET /api/v1/datasets`` and ``GET /api/v1/datasets/<slug>`` (filters indicator, area, period)."""

from flask import Blueprint, request
from sqlalchemy import select

from app.api.pagination import paginate
from app.core.errors import APIError
from app.core.scoping import scope_filter_many
from app.core.tenancy import current_tenant
from app.extensions import csrf
from app.statistics.content import DATASET
from app.statistics.models import Dataset
from app.statistics.schemas import ObservationSchema
from app.statistics.views import lookup_tenants, observations_for_api, resolve_dataset
from app.workflow.models import visible_filter

bp = Blueprint("statistics_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.get("/datasets")
def list_datasets():
    """Published datasets served by this host (the portal: every tenant's; a subsite: its own and ctk's)."""
    tenant = current_tenant._get_current_object()
    stmt = select(Dataset).where(visible_filter(Dataset))
    if not tenant.is_portal:
        stmt = stmt.where(scope_filter_many(Dataset, lookup_tenants(tenant)))
    topic = request.args.get("topic")
    if topic:
        stmt = stmt.where(Dataset.topic == topic)
    stmt = stmt.order_by(Dataset.release_date.desc().nulls_last(), Dataset.id.desc())
    return paginate(stmt, DATASET.schema())


@bp.get("/datasets/<slug>")
def get_dataset(slug):
    dataset = resolve_dataset(slug)
    if dataset is None:
        raise APIError(404, "No such dataset on this site.")
    body = DATASET.schema().dump(dataset)
    body["indicators"] = dataset.dimension("indicator")
    body["areas"] = dataset.dimension("area")
    body["periods"] = dataset.dimension("period")
    body["observations"] = ObservationSchema().dump(observations_for_api(dataset, request.args), many=True)
    return body
