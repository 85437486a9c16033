"""API output of datasets (contract field names)."""

from marshmallow import Schema, fields

from app.core.timeutil import isoformat


class DatasetSchema(Schema):
    id = fields.Int()
    title = fields.Str()
    title_en = fields.Str()
    slug = fields.Str()
    summary = fields.Str()
    topic = fields.Str()
    units = fields.Str()
    source = fields.Str()
    period_covered = fields.Str()
    methodology = fields.Str()
    release_date = fields.Method("get_release_date")
    published_at = fields.Method("get_published_at")
    state = fields.Method("get_state")
    url = fields.Method("get_url")
    csv_url = fields.Method("get_csv_url")
    xlsx_url = fields.Method("get_xlsx_url")
    tenant = fields.Method("get_tenant")
    observation_count = fields.Method("get_count")

    def get_release_date(self, obj):
        return obj.release_date.isoformat() if obj.release_date else None

    def get_published_at(self, obj):
        return isoformat(obj.published_at)

    def get_state(self, obj):
        return obj.effective_state

    def _url(self, obj, endpoint):
        from app.core.models import Tenant
        from app.core.tenancy import tenant_url
        from app.extensions import db

        return tenant_url(db.session.get(Tenant, obj.tenant_id), endpoint, slug=obj.slug) if obj.slug else None

    def get_url(self, obj):
        return self._url(obj, "statistics.dataset")

    def get_csv_url(self, obj):
        return self._url(obj, "statistics.dataset_csv")

    def get_xlsx_url(self, obj):
        return self._url(obj, "statistics.dataset_xlsx")

    def get_tenant(self, obj):
        from app.core.models import Tenant
        from app.extensions import db

        tenant = db.session.get(Tenant, obj.tenant_id)
        return tenant.code if tenant else None

    def get_count(self, obj):
        return len(obj.observations or [])


class ObservationSchema(Schema):
    indicator = fields.Str()
    area = fields.Str()
    period = fields.Str()
    value = fields.Raw()
    unit = fields.Str()
    note = fields.Str()
