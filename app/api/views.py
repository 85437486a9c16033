"""Core API endpoints: the tenant, the tenants directory and the OpenAPI description."""

from flask import Blueprint, request
from marshmallow import Schema, fields
from sqlalchemy import select

from app.api.openapi import openapi_document
from app.api.pagination import paginate
from app.core.errors import APIError
from app.core.models import Tenant
from app.core.tenancy import current_tenant, tenant_home_url
from app.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


class TenantSchema(Schema):
    id = fields.Int()
    code = fields.Str()
    kind = fields.Str()
    name_vi = fields.Str()
    name_en = fields.Str()
    address = fields.Str()
    phone = fields.Str()
    fax = fields.Str()
    email = fields.Str()
    attribution = fields.Method("get_attribution")
    url = fields.Method("get_url")

    def get_url(self, tenant):
        return tenant_home_url(tenant)

    def get_attribution(self, tenant):
        return tenant.attribution(request.args.get("lang", "vi"))


@bp.get("/tenant")
def tenant():
    return TenantSchema().dump(current_tenant)


@bp.get("/tenants")
def tenants():
    stmt = select(Tenant).where(Tenant.active.is_(True)).order_by(Tenant.sort_order, Tenant.code)
    if not current_tenant.is_portal:
        stmt = stmt.where(Tenant.id == current_tenant.id)
    else:
        stmt = stmt.where(Tenant.kind != "portal")
    return paginate(stmt, TenantSchema(), default_per_page=100)


@bp.get("/openapi.json")
def openapi():
    return openapi_document()


@bp.route("/", defaults={"path": ""})
@bp.route("/<path:path>", methods=["GET", "POST", "PATCH", "PUT", "DELETE"])
def not_found(path):
    raise APIError(404, f"No API endpoint at /api/v1/{path}.")
