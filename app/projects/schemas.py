"""Marshmallow schema of the projects API: common fields plus the kind's own fields."""

from marshmallow import Schema, fields

from app.core.timeutil import isoformat
from app.media.operations import files_by_ids

KIND_FIELDS = {
    "investment": ("objective", "project_type", "location", "scale", "total_capital", "investment_form", "incentives"),
    "bidding": (
        "procuring_entity",
        "procurement_method",
        "tender_opens_at",
        "tender_closes_at",
        "estimated_value",
        "currency",
        "award_result",
    ),
    "science": ("management_level", "lead_organisation", "start_year", "end_year", "results_report"),
}


def _plain(value):
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "as_integer_ratio") or type(value).__name__ == "Decimal":
        number = float(value)
        return int(number) if number.is_integer() else number
    return value


class ProjectSchema(Schema):
    id = fields.Int()
    kind = fields.Str()
    title = fields.Str()
    code = fields.Str()
    field = fields.Str()
    status = fields.Str()
    summary = fields.Str()
    contact = fields.Str()
    details = fields.Method("get_details")
    documents = fields.Method("get_documents")
    state = fields.Str(attribute="effective_state")
    published_at = fields.Function(lambda p: isoformat(p.published_at))
    updated_at = fields.Function(lambda p: isoformat(p.updated_at))
    url = fields.Method("get_url")

    def get_details(self, project):
        return {name: _plain(getattr(project, name)) for name in KIND_FIELDS.get(project.kind, ())}

    def get_documents(self, project):

        from app.core.models import Tenant
        from app.core.tenancy import tenant_home_url
        from app.extensions import db

        if not project.documents:
            return []
        home = tenant_home_url(db.session.get(Tenant, project.tenant_id)).rstrip("/")
        files = files_by_ids(project.documents, project.tenant_id)
        return [{"id": m.id, "name": m.original_name, "url": home + m.url} for m in files]

    def get_url(self, project):
        from app.projects.models import _public_url

        return _public_url(project)
