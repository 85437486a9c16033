"""What the documents API shows beyond the declared fields (``app/documents/content.py``)."""

from marshmallow import fields

from app.documents.models import RELATIONS
from app.documents.operations import relations_of
from app.workflow.schemas import ItemSchema

INVERSE_KINDS = {"amends": "is_amended_by", "replaces": "is_replaced_by", "guides": "is_guided_by"}


class DocumentSchema(ItemSchema):
    """A document: its gazette issue, its relations both ways, and ``files``, the former name of ``attachments``
    kept for integrators.

    :param staff: show relations to documents that are not public (yet).
    """

    former_names = {"files": "attachments"}
    gazette = fields.Method("get_gazette")
    relations = fields.Method("get_relations")

    def __init__(self, *args, staff=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = staff

    def get_gazette(self, doc):
        issue = doc.gazette_issue
        return {"number": issue.number, "date": issue.issued_on.isoformat()} if issue else None

    def get_relations(self, doc):
        """Both directions: ``kind`` is amends/replaces/guides or is_amended_by/is_replaced_by/is_guided_by."""
        outgoing, incoming = relations_of(doc, public=not self.staff)
        names = {str(v): k for k, v in RELATIONS.items()}
        out = []
        for label, other in outgoing:
            kind = next((r["kind"] for r in doc.relations if r["target_id"] == other.id), names.get(str(label)))
            out.append(self._relation(kind, other))
        for _label, other in incoming:
            out += [
                self._relation(INVERSE_KINDS[r["kind"]], other)
                for r in other.relations or []
                if r.get("target_id") == doc.id
            ]
        return out

    def _relation(self, kind, other):
        return {"kind": kind, "id": other.id, "number": other.number, "url": other.declaration.public_url(other)}
