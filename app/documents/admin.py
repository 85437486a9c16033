"""Back office of legal documents and gazette issues; late publications are flagged (R-12).

The forms come from the declarations in ``content.py``; what is special here: the document type picked
from the usual list, a file uploaded from the form, and relations typed one per line by number.
"""

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileField
from markupsafe import Markup
from wtforms import SelectField, TextAreaField
from wtforms.validators import ValidationError

from app.admin.views import EDITOR_AND_UP, TenantModelView
from app.core.tenancy import current_tenant
from app.documents.content import DOCUMENT  # noqa: F401  (the declaration the forms derive from)
from app.documents.models import DOCUMENT_TYPES, GazetteIssue, LegalDocument
from app.documents.operations import (
    format_relations,
    is_late,
    parse_relations,
    publication_deadline,
)
from app.extensions import db
from app.media.storage import MediaError, save_upload
from app.workflow.admin import ReviewableModelView


def _late_flag(view, context, model, name):
    if not is_late(model, current_tenant._get_current_object()):
        return ""
    deadline = publication_deadline(model, current_tenant._get_current_object())
    return Markup('<span class="badge badge-danger" title="{}">{}</span>').format(
        _l("Publication deadline: %(date)s", date=deadline.strftime("%d/%m/%Y")), _l("Late")
    )


class RelationsField(TextAreaField):
    """``relations`` typed one per line: ``amends | 15/2026/QĐ-UBND``; targets are the site's documents."""

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return format_relations(self.data) if isinstance(self.data, list) else (self.data or "")

    def pre_validate(self, form):
        try:
            parse_relations(self.raw_data[0] if self.raw_data else "", current_tenant.id)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None

    def populate_obj(self, obj, name):
        if not self.raw_data:
            return
        # A new row gets its tenant after the form is applied: its relations are the request tenant's.
        tenant_id = obj.tenant_id if obj.tenant_id is not None else current_tenant.id
        setattr(obj, name, parse_relations(self.raw_data[0], tenant_id, obj.id))


class DocumentView(ReviewableModelView):
    column_list = ("number", "doc_type", "title", "issued_on", "status", "state", "published_at", "late")
    column_searchable_list = ("number", "title", "search_text")
    column_filters = ("state", "doc_type", "status", "issued_on")
    column_default_sort = ("issued_on", True)
    column_labels = {"state": _l("State"), "published_at": _l("Published"), "late": _l("Publication deadline")}
    column_formatters = dict(ReviewableModelView.column_formatters, late=_late_flag)
    form_extra_after = {"attachments": ("upload",)}
    form_extra_fields = {
        "doc_type": SelectField(_l("Document type"), choices=[(t, t) for t in DOCUMENT_TYPES]),
        "upload": FileField(_l("Add a file (PDF, DOC or DOCX)")),
        "relations": RelationsField(_l("Relations (one per line: amends|replaces|guides | number)")),
    }
    form_args = {
        "gazette_issue": {
            # TenantModelView limits the choices to the tenant; only the order is set here.
            "query_factory": lambda: db.session.query(GazetteIssue).order_by(GazetteIssue.issued_on.desc())
        }
    }

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        upload = form.upload.data if hasattr(form, "upload") else None
        if upload and getattr(upload, "filename", ""):
            try:
                media = save_upload(
                    upload, current_tenant._get_current_object(), current_user, allowed_kinds=("document",)
                )
            except MediaError as exc:
                raise ValueError(str(exc)) from None
            model.attachments = [*(model.attachments or []), media.id]


class GazetteIssueView(TenantModelView):
    allowed_roles = EDITOR_AND_UP
    column_list = ("number", "issued_on", "note")
    column_default_sort = ("issued_on", True)


def init_app(app):
    admin = app.extensions["portal_admin"]
    admin.add_view(
        DocumentView(
            LegalDocument, db, name=_l("Legal documents"), endpoint="documents_admin", category=_l("Catalogues")
        )
    )
    admin.add_view(
        GazetteIssueView(
            GazetteIssue, db, name=_l("Gazette issues"), endpoint="gazette_admin", category=_l("Catalogues")
        )
    )
