"""Back office: datasets (reviewed), the import of observations (dry run, then import) and the release calendar."""

from flask import abort, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from markupsafe import Markup
from wtforms.validators import ValidationError

from app.admin.views import EDITOR_AND_UP, AccessMixin, TenantModelView, show_error
from app.auth.permissions import can_write
from app.core.scoping import get_scoped
from app.core.tabular import read_upload
from app.core.tenancy import current_tenant
from app.extensions import db
from app.statistics.forms import ConfirmImportForm, ImportForm
from app.statistics.models import Dataset, Release
from app.statistics.operations import (
    IMPORT_LIMITS,
    ImportRefused,
    ReleaseError,
    apply_import,
    check_import,
    note_change,
)
from app.workflow.admin import ReviewableModelView
from app.workflow.operations import WorkflowError

IMPORT_MAX_AGE = 3600


class DatasetView(ReviewableModelView):
    """Datasets; the form comes from the declaration in ``app/statistics/content.py``."""

    column_list = ("title", "slug", "topic", "period_covered", "release_date", "state", "import")
    column_searchable_list = ("title", "topic")
    column_labels = {"state": _l("State"), "import": _l("Figures")}

    def _import_link(view, context, model, name):
        url = url_for("statistics_import.upload", dataset_id=model.id)
        return Markup('<a href="{}">{} ({})</a>').format(url, _("Import"), len(model.observations or []))

    column_formatters = {**ReviewableModelView.column_formatters, "import": _import_link}

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        if model.revision_of_id is not None:
            model.slug = None  # the address stays with the live dataset


class ReleaseView(TenantModelView):
    """The release calendar; the form comes from the declaration in ``app/statistics/content.py``."""

    allowed_roles = EDITOR_AND_UP

    column_list = ("planned_date", "precision", "title", "status", "dataset_slug")
    column_default_sort = ("planned_date", False)

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        try:
            note_change(model, model.change_note)
        except ReleaseError as exc:
            raise ValidationError(str(exc)) from exc


class ImportView(AccessMixin, BaseView):
    """Import observations into a dataset: a dry run lists the bad rows; the import is all or nothing."""

    def is_visible(self):
        return False

    def _dataset(self, dataset_id):
        dataset = get_scoped(Dataset, dataset_id, current_tenant._get_current_object())
        if dataset is None or dataset.revision_of_id is not None:
            abort(404)
        return dataset

    def _serializer(self):
        from flask import current_app

        return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="statistics-import")

    @expose("/")
    def index(self):
        return redirect(url_for("statistics_datasets.index_view"))

    @expose("/<int:dataset_id>", methods=["GET", "POST"])
    def upload(self, dataset_id):
        dataset = self._dataset(dataset_id)
        form = ImportForm()
        report, refused, confirm = None, None, None
        if form.validate_on_submit():
            upload = form.file.data
            try:
                report = check_import(upload.filename, read_upload(upload, IMPORT_LIMITS), default_unit=dataset.units)
            except ImportRefused as exc:
                refused = str(exc)
            if report is not None and report.ok:
                confirm = ConfirmImportForm()
                confirm.payload.data = self._serializer().dumps(
                    {
                        "dataset": dataset.id,
                        "tenant": current_tenant.id,
                        "rows": report.rows,
                        "replace": form.replace.data,
                    }
                )
        elif request.method == "POST" and form.file.errors:
            refused = " ".join(str(e) for e in form.file.errors)
        return self.render(
            "statistics/admin/import.html", dataset=dataset, form=form, report=report, refused=refused, confirm=confirm
        )

    @expose("/<int:dataset_id>/confirm", methods=["POST"])
    def confirm(self, dataset_id):
        dataset = self._dataset(dataset_id)
        form = ConfirmImportForm()
        if not form.validate_on_submit() or not can_write(current_user, current_tenant):
            abort(400)
        try:
            data = self._serializer().loads(form.payload.data or "", max_age=IMPORT_MAX_AGE)
        except BadSignature:
            flash(_("The checked file has expired: upload it again."), "error")
            return redirect(url_for(".upload", dataset_id=dataset.id))
        if data.get("dataset") != dataset.id or data.get("tenant") != current_tenant.id:
            abort(400)
        try:
            target = apply_import(dataset, data["rows"], current_user, replace=bool(data.get("replace")))
        except WorkflowError as exc:
            db.session.rollback()
            show_error(exc)
            return redirect(url_for(".upload", dataset_id=dataset.id))
        db.session.commit()
        flash(
            _("%(count)s figures imported. Submit the dataset for review to publish them.", count=len(data["rows"])),
            "success",
        )
        if target is not dataset:
            flash(_("The published version stays online until this revision is approved."), "info")
        return redirect(url_for("review.item", content_type="dataset", object_id=dataset.id))


def init_app(app):
    admin = app.extensions["portal_admin"]
    admin.add_view(
        DatasetView(Dataset, db, name=_l("Datasets"), endpoint="statistics_datasets", category=_l("Statistics"))
    )
    admin.add_view(
        ReleaseView(Release, db, name=_l("Release calendar"), endpoint="statistics_releases", category=_l("Statistics"))
    )
    admin.add_view(ImportView(name=_l("Import figures"), endpoint="statistics_import", url="/admin/statistics-import"))
