"""Core API endpoints: the tenant, the tenants directory, the OpenAPI document and its reference page."""

from flask import Blueprint, render_template, request
from marshmallow import Schema, fields
from sqlalchemy import select

from app.api.describe import operation
from app.api.openapi import openapi_document
from app.api.pagination import MAX_PAGE, MAX_PER_PAGE, paginate
from app.core.errors import APIError
from app.core.models import Tenant
from app.core.tenancy import current_tenant, tenant_home_url
from app.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

# The vendored Swagger UI (static/vendor/; how it was fetched: docs/decisions.md).
SWAGGER_UI = "vendor/swagger-ui-dist-5.35.0"

TENANTS_PER_PAGE = 100


class TenantSchema(Schema):
    """A site of the platform: the portal, a department, a district or a commune."""

    id = fields.Int(required=True)
    code = fields.Str(required=True, metadata={"example": "stc"})
    kind = fields.Str(required=True, metadata={"example": "department"})
    name_vi = fields.Str(required=True, metadata={"example": "Sở Tài chính tỉnh Bình Phước"})
    name_en = fields.Str(required=True, metadata={"example": "Binh Phuoc Department of Finance"})
    address = fields.Str(metadata={"example": "Số 1, đường Hùng Vương, phường Tân Phú, thành phố Đồng Xoài"})
    phone = fields.Str()
    fax = fields.Str()
    email = fields.Str()
    attribution = fields.Method("get_attribution", metadata={"type": "string"})
    url = fields.Method("get_url", metadata={"type": "string", "format": "uri"})

    def get_url(self, tenant):
        return tenant_home_url(tenant)

    def get_attribution(self, tenant):
        return tenant.attribution(request.args.get("lang", "vi"))


class LangQuery(Schema):
    lang = fields.Str(
        metadata={"description": "The language of texts that have two (default vi).", "enum": ["vi", "en"]}
    )


_TENANTS_QUERY = [
    {
        "in": "query",
        "name": "page",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
    },
    {
        "in": "query",
        "name": "per_page",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": TENANTS_PER_PAGE},
    },
    {
        "in": "query",
        "name": "lang",
        "description": "The language of texts that have two (default vi).",
        "schema": {"type": "string", "enum": ["vi", "en"]},
    },
]


@bp.get("/tenant")
@operation(tags=["site"], query=LangQuery, response=TenantSchema)
def tenant():
    """The site answering this host."""
    return TenantSchema().dump(current_tenant)


@bp.get("/tenants")
@operation(tags=["site"], query=_TENANTS_QUERY, response=TenantSchema, many=True)
def tenants():
    """The active subsites (on the portal), or this site alone (on a subsite)."""
    stmt = select(Tenant).where(Tenant.active.is_(True)).order_by(Tenant.sort_order, Tenant.code)
    if not current_tenant.is_portal:
        stmt = stmt.where(Tenant.id == current_tenant.id)
    else:
        stmt = stmt.where(Tenant.kind != "portal")
    return paginate(stmt, TenantSchema(), default_per_page=TENANTS_PER_PAGE)


@bp.get("/openapi.json")
@operation(
    tags=["reference"],
    response={
        "type": "object",
        "required": ["openapi", "info", "paths"],
        "properties": {"openapi": {"const": "3.1.0"}},
    },
    response_description="This document (OpenAPI 3.1), with this site as its server.",
)
def openapi():
    """The OpenAPI 3.1 description of this API."""
    return openapi_document()


@bp.get("/docs")
@operation(
    tags=["reference"],
    content_type="text/html",
    response={"type": "string"},
    response_description="A page showing this document (Swagger UI, served from this site).",
)
def docs():
    """The API reference page."""
    return render_template("api/docs.html", swagger_ui=SWAGGER_UI)


@bp.route("/", defaults={"path": ""})
@bp.route("/<path:path>", methods=["GET", "POST", "PATCH", "PUT", "DELETE"])
def not_found(path):
    raise APIError(404, f"No API endpoint at /api/v1/{path}.")
