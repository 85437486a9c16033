"""Datasets in the API: the generic collection of the declared type, addressed by slug, with its figures.

A host serves its own datasets and the Statistics Office's (``lookup_tenants``) to everyone; staff read and
change their own site's, drafts included, by slug or id. ``observations`` is the whole list of figures.
"""

import math

from flask import Blueprint, request
from marshmallow import Schema, ValidationError, fields, post_load, validate
from sqlalchemy import select

from app.api.content import LARGE_BODY, input_schema, register_collection
from app.core.limits import MAX_ID
from app.core.scoping import get_scoped, scope_filter_many, scoped
from app.core.tenancy import current_tenant
from app.core.text import nfc
from app.extensions import csrf, db
from app.statistics.content import DATASET
from app.statistics.models import Dataset
from app.statistics.operations import MAX_ROWS, NOTE_ALIASES
from app.statistics.schemas import ObservationSchema
from app.statistics.views import lookup_tenants, observations_for_api, resolve_dataset
from app.workflow.models import visible_filter

bp = Blueprint("statistics_api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


def _number(value):
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationError("A number (or null for a missing figure).")
    if abs(value) >= 1e15:
        raise ValidationError("Too large a figure.")


class ObservationInput(Schema):
    """One figure: the value of an indicator for an area and a period."""

    indicator = fields.Str(required=True, validate=validate.Length(min=1, max=300))
    area = fields.Str(load_default="", validate=validate.Length(max=300))
    period = fields.Str(required=True, validate=validate.Length(min=1, max=60))
    value = fields.Raw(required=True, allow_none=True, validate=_number)
    unit = fields.Str(load_default="", validate=validate.Length(max=120))
    note = fields.Str(load_default="", validate=validate.OneOf(sorted(set(NOTE_ALIASES.values()))))


class DatasetInputSchema(type(input_schema(DATASET))):
    """The declared fields and ``observations``: the whole list of figures (replacing the previous one)."""

    observations = fields.List(fields.Nested(ObservationInput), validate=validate.Length(max=MAX_ROWS))

    @post_load
    def _figures(self, data, **kwargs):
        # JSON figures are not cleaned by their declaration (DATA): their text is normalised here.
        for row in data.get("observations", []):
            for name in ("indicator", "area", "period", "unit"):
                row[name] = nfc(row[name]).strip()
        seen = set()
        for position, row in enumerate(data.get("observations", [])):
            key = (row["indicator"], row["area"], row["period"])
            if key in seen:
                raise ValidationError({"observations": {position: ["Same indicator, area and period twice."]}})
            seen.add(key)
        return data


class DatasetQuery(Schema):
    topic = fields.Str(metadata={"description": "The topic (Dân số, Kinh tế...)."})


class DatasetDetailSchema(DATASET.schema):
    """A dataset read by its address: its dimensions and figures (``indicator``, ``area``, ``period`` filter them)."""

    indicators = fields.Function(lambda d: d.dimension("indicator"))
    areas = fields.Function(lambda d: d.dimension("area"))
    periods = fields.Function(lambda d: d.dimension("period"))
    observations = fields.Function(
        lambda d: ObservationSchema().dump(observations_for_api(d, request.args), many=True),
        metadata={"description": "The figures, filtered by the query's indicator, area and period (a|b for two)."},
    )


def filters(stmt, args, staff):
    """Anonymous callers: the published datasets this host serves; ``topic``."""
    if not staff:
        tenant = current_tenant._get_current_object()
        stmt = select(Dataset).where(visible_filter(Dataset))
        if not tenant.is_portal:
            stmt = stmt.where(scope_filter_many(Dataset, lookup_tenants(tenant)))
        stmt = stmt.order_by(Dataset.release_date.desc().nulls_last(), Dataset.id.desc())
    topic = args.get("topic")
    if topic:
        stmt = stmt.where(Dataset.topic == topic)
    return stmt


def lookup(slug, staff):
    """The published dataset ``slug`` this host serves; staff: also their site's in any state, by slug or id."""
    if staff:
        own = (
            db.session.execute(scoped(Dataset).where(Dataset.slug == slug, Dataset.revision_of_id.is_(None)))
            .scalars()
            .first()
        )
        if own is None and slug.isascii() and slug.isdigit() and int(slug) <= MAX_ID:
            own = get_scoped(Dataset, int(slug))
        if own is not None:
            return own
    return resolve_dataset(slug)


def after_apply(dataset, data):
    if "observations" in data:
        dataset.observations = data["observations"]


def key(dataset):
    return dataset.slug if dataset.slug and dataset.revision_of_id is None else dataset.id


register_collection(
    bp,
    DATASET,
    filters=filters,
    query=DatasetQuery,
    lookup=lookup,
    key=key,
    key_converter="string",
    key_description="The dataset's address (slug); staff: also its id, or a pending revision's own id.",
    input=DatasetInputSchema,
    after_apply=after_apply,
    detail_schema=DatasetDetailSchema,
    order_by=(Dataset.release_date.desc().nulls_last(), Dataset.id.desc()),
    max_body=LARGE_BODY,
    example={
        "title": "Dân số trung bình phân theo huyện, thị xã, thành phố",
        "summary": "Dân số trung bình năm 2026 của các đơn vị hành chính cấp huyện.",
        "topic": "Dân số",
        "units": "người",
        "source": "Cục Thống kê tỉnh Bình Phước",
        "observations": [
            {"indicator": "Dân số trung bình", "area": "Thành phố Đồng Xoài", "period": "2026", "value": 112500},
            {"indicator": "Dân số trung bình", "area": "Huyện Bù Đăng", "period": "2026", "value": 141900},
        ],
    },
)
