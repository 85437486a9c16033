"""Back office of legal documents and gazette issues; late publications are flagged (R-12)."""

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileField
from markupsafe import Markup
from wtforms import SelectField, TextAreaField
from wtforms.validators import ValidationError

from app.admin.views import TenantModelView
from app.core.tenancy import current_tenant
from app.documents.models import DOCUMENT_TYPES, STATUSES, GazetteIssue, LegalDocument
from app.documents.operations import DocumentError, check, is_late, parse_relations, publication_deadline
from app.extensions import db
from app.workflow.admin import ReviewableModelView


def _late_flag(view, context, model, name):
    if not is_late(model, current_tenant._get_current_object()):
        return ""
    deadline = publication_deadline(model, current_tenant._get_current_object())
    return Markup('<span class="badge badge-danger" title="{}">{}</span>').format(
        _l("Publication deadline: %(date)s", date=deadline.strftime("%d/%m/%Y")), _l("Late")
    )


class RelationsField(TextAreaField):
    def pre_validate(self, form):
        try:
            parse_relations(self.data, current_tenant.id)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


class DocumentView(ReviewableModelView):
    column_list = ("number", "doc_type", "title", "issued_on", "status", "state", "published_at", "late")
    column_searchable_list = ("number", "title", "search_text")
    column_filters = ("state", "doc_type", "status", "issued_on")
    column_default_sort = ("issued_on", True)
    column_labels = {
        "number": _l("Number and symbol"),
        "doc_type": _l("Document type"),
        "title": _l("Title"),
        "issued_on": _l("Issue date"),
        "status": _l("Effect status"),
        "state": _l("State"),
        "published_at": _l("Published"),
        "late": _l("Publication deadline"),
    }
    column_formatters = dict(ReviewableModelView.column_formatters, late=_late_flag)
    form_columns = (
        "number",
        "doc_type",
        "issuer",
        "signer",
        "title",
        "issued_on",
        "effective_on",
        "expires_on",
        "status",
        "field",
        "summary",
        "body",
        "files_text",
        "upload",
        "gazette_issue",
        "relations_text",
    )
    form_extra_fields = {
        "doc_type": SelectField(_l("Document type"), choices=[(t, t) for t in DOCUMENT_TYPES]),
        "status": SelectField(_l("Effect status"), choices=[(k, v) for k, v in STATUSES.items()]),
        "files_text": TextAreaField(_l("Files (media ids of PDF or DOCX files, in order)")),
        "upload": FileField(_l("Add a file (PDF, DOC or DOCX)")),
        "relations_text": RelationsField(_l("Relations (one per line: amends|replaces|guides | number)")),
    }
    form_args = {
        "gazette_issue": {
            "query_factory": lambda: (
                db.session.query(GazetteIssue)
                .filter(GazetteIssue.tenant_id == current_tenant.id)
                .order_by(GazetteIssue.issued_on.desc())
            )
        }
    }

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        upload = form.upload.data if hasattr(form, "upload") else None
        if upload and getattr(upload, "filename", ""):
            from app.media.storage import MediaError, save_upload

            try:
                media = save_upload(
                    upload, current_tenant._get_current_object(), current_user, allowed_kinds=("document",)
                )
            except MediaError as exc:
                raise ValueError(str(exc)) from None
            model.files = [*(model.files or []), media.id]
        try:
            with db.session.no_autoflush:
                check(model)
        except DocumentError as exc:
            raise ValueError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.fields.items())) from None


class GazetteIssueView(TenantModelView):
    column_list = ("number", "issued_on", "note")
    column_default_sort = ("issued_on", True)
    column_labels = {"number": _l("Issue number"), "issued_on": _l("Date"), "note": _l("Note")}
    form_columns = ("number", "issued_on", "note")


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
