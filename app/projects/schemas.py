"""What the projects API shows beyond the declared fields: the kind's own fields together in ``details``."""

from marshmallow import fields

from app.projects.models import KIND_FIELDS
from app.workflow.schemas import ItemSchema


def _plain(value):
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "as_integer_ratio") or type(value).__name__ == "Decimal":
        number = float(value)
        return int(number) if number.is_integer() else number
    return value


class ProjectSchema(ItemSchema):
    """A project: ``details`` holds the fields of its kind; ``documents`` is the former name of ``attachments``,
    kept for integrators."""

    former_names = {"documents": "attachments"}
    details = fields.Method("get_details")

    def get_details(self, project):
        return {name: _plain(getattr(project, name)) for name in KIND_FIELDS.get(project.kind, ())}
