"""API output of datasets (contract field names)."""

from marshmallow import Schema, fields

from app.core.tenancy import tenant_url
from app.workflow.schemas import ItemSchema


class DatasetSchema(ItemSchema):
    """A dataset: its address, the download links, the tenant that publishes it and how many figures it holds."""

    slug = fields.Str()
    csv_url = fields.Method("get_csv_url")
    xlsx_url = fields.Method("get_xlsx_url")
    tenant = fields.Method("get_tenant")
    observation_count = fields.Method("get_count")

    def _url(self, obj, endpoint):
        return tenant_url(obj.tenant, endpoint, slug=obj.slug) if obj.slug else None

    def get_csv_url(self, obj):
        return self._url(obj, "statistics.dataset_csv")

    def get_xlsx_url(self, obj):
        return self._url(obj, "statistics.dataset_xlsx")

    def get_tenant(self, obj):
        tenant = obj.tenant
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
