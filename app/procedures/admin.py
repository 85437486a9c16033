"""Back office of the procedures catalogue: editing (through the review chain), bulk review actions
and the CSV/XLSX import (template, dry run, import, submit and approve the imported batch)."""

from flask import Response, abort, flash, redirect, url_for
from flask_admin import BaseView, expose
from flask_admin.actions import action
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import IntegerField, TextAreaField
from wtforms.validators import NumberRange, Optional

from app.admin.views import AccessMixin
from app.core.scoping import get_scoped_or_404, scoped
from app.core.tabular import read_upload
from app.core.tenancy import current_tenant
from app.core.text import nfc
from app.extensions import db
from app.media.storage import MediaError, save_upload
from app.procedures.content import PROCEDURE  # noqa: F401  (the declaration the form derives from)
from app.procedures.models import CHANNELS, ImportBatch, Procedure
from app.procedures.operations import (
    IMPORT_LIMITS,
    ProcedureError,
    bulk_transition,
    dry_run,
    run_import,
    template_csv,
    template_xlsx,
)
from app.workflow.admin import ReviewableModelView

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _flash_bulk(done, refused, verb):
    flash(_("%(n)s procedure(s): %(verb)s.", n=done, verb=verb), "success" if done else "info")
    for proc, message in refused[:10]:
        flash(f"{proc.code}: {message}", "error")
    if len(refused) > 10:
        flash(_("%(n)s more refused.", n=len(refused) - 10), "error")


def _number(value):
    try:
        number = float(str(value).replace(",", ".")) if str(value).strip() else None
    except ValueError:
        return None
    return int(number) if number is not None and number.is_integer() else number


def _text(number):
    if number is None:
        return ""
    return str(int(number)) if float(number).is_integer() else str(number)


class LinesField(TextAreaField):
    """A JSON list edited as text, one item per line (``parse(lines)`` and ``line(item)`` convert)."""

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "\n".join(self.line(item) for item in self.data or []) if isinstance(self.data, list) else ""

    def populate_obj(self, obj, name):
        if self.raw_data:
            lines = [line.strip() for line in self.raw_data[0].splitlines() if line.strip()]
            setattr(obj, name, [item for item in map(self.parse, lines) if item is not None])

    def line(self, item):
        return str(item)

    def parse(self, line):
        return nfc(line)


class ChannelsField(LinesField):
    """``in_person|post|online | days | time as text | fee in đồng | fee note``; unknown channels are skipped."""

    def line(self, c):
        parts = (c.get("channel", ""), _text(c.get("processing_days")), c.get("processing_time", ""))
        return " | ".join([*parts, _text(c.get("fee")), c.get("fee_note", "")])

    def parse(self, line):
        parts = [p.strip() for p in line.split("|")] + [""] * 5
        if parts[0] not in CHANNELS:
            return None
        return {
            "channel": parts[0],
            "processing_days": _number(parts[1]),
            "processing_time": nfc(parts[2]),
            "fee": _number(parts[3]),
            "fee_note": nfc(parts[4]),
        }


class ComponentsField(LinesField):
    """``name | quantity | form media id`` (the form may also be uploaded below)."""

    def line(self, c):
        return f"{c.get('name', '')} | {c.get('quantity', 1)} | {c.get('form_id') or ''}"

    def parse(self, line):
        parts = [p.strip() for p in line.split("|")] + ["", ""]
        if not parts[0]:
            return None
        form = _number(parts[2])
        return {"name": nfc(parts[0]), "quantity": int(_number(parts[1]) or 1), "form_id": int(form) if form else None}


class ProcedureView(ReviewableModelView):
    """Procedures; the form comes from the declaration in ``content.py``, with the children as lines."""

    column_list = ("code", "name", "field", "level", "implementing_agency", "online_level", "state", "updated_at")
    column_searchable_list = ("code", "name", "search_text")
    column_filters = ("state", "field", "level", "implementing_agency", "online_level")
    column_default_sort = ("code", False)
    column_labels = {"state": _l("State"), "updated_at": _l("Updated")}
    form_extra_after = {"components": ("form_upload", "form_line")}
    form_extra_fields = {
        "steps": LinesField(_l("Steps (one per line, in order)")),
        "channels": ChannelsField(
            _l("Channels (one per line: in_person|post|online | days | time as text | fee in đồng | fee note)")
        ),
        "components": ComponentsField(_l("Dossier (one per line: name | quantity | form media id)")),
        "form_upload": FileField(_l("Upload a form template (PDF, DOC(X), XLS(X))")),
        "form_line": IntegerField(
            _l("for the dossier line number"), validators=[Optional(), NumberRange(min=1)], default=1
        ),
    }
    page_size = 50

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        self._attach_form(form, model)

    def _attach_form(self, form, model):
        """Store an uploaded form template and attach it to the chosen dossier line."""
        upload = form.form_upload.data if hasattr(form, "form_upload") else None
        if not upload or not getattr(upload, "filename", ""):
            return
        line = (form.form_line.data or 1) - 1
        components = [dict(c) for c in model.components or []]
        if line >= len(components):
            raise ValueError(str(_l("The dossier has no line %(n)s.", n=line + 1)))
        try:
            media = save_upload(upload, current_tenant._get_current_object(), current_user, allowed_kinds=("document",))
        except MediaError as exc:
            raise ValueError(str(exc)) from None
        components[line]["form_id"] = media.id
        model.components = components

    def _selected(self, ids):
        return (
            db.session.execute(
                scoped(Procedure).where(Procedure.id.in_([int(i) for i in ids]), Procedure.revision_of_id.is_(None))
            )
            .scalars()
            .all()
        )

    @action("submit", _l("Submit for review"))
    def action_submit(self, ids):
        done, refused = bulk_transition(self._selected(ids), "submit", current_user)
        db.session.commit()
        _flash_bulk(done, refused, _("submitted for review"))

    @action("approve", _l("Approve"))
    def action_approve(self, ids):
        done, refused = bulk_transition(self._selected(ids), "approve", current_user)
        db.session.commit()
        _flash_bulk(done, refused, _("approved"))


class UploadForm(FlaskForm):
    file = FileField(_l("CSV or XLSX file"), validators=[FileRequired(_l("Choose a file."))])


class ConfirmForm(FlaskForm):
    pass


class CommentForm(FlaskForm):
    comment = TextAreaField(_l("Comment"))


class ProcedureImportView(AccessMixin, BaseView):
    """``/admin/procedure-import/``: template, dry run, import in one transaction, bulk review."""

    @expose("/", methods=["GET", "POST"])
    def index(self):
        form = UploadForm()
        if form.validate_on_submit():
            upload = form.file.data
            data = read_upload(upload, IMPORT_LIMITS)  # never more than one byte over the limit in memory
            batch = dry_run(upload.filename, data, current_tenant, current_user)
            db.session.commit()
            return redirect(url_for(".batch", batch_id=batch.id))
        batches = db.session.execute(scoped(ImportBatch).order_by(ImportBatch.id.desc()).limit(20)).scalars().all()
        return self.render("procedures/admin/import.html", form=form, batches=batches)

    @expose("/template.<ext>")
    def template(self, ext):
        if ext == "csv":
            return Response(
                template_csv(),
                mimetype="text/csv; charset=utf-8",
                headers={"Content-Disposition": "attachment; filename=procedures-template.csv"},
            )
        if ext == "xlsx":
            return Response(
                template_xlsx(),
                mimetype=XLSX,
                headers={"Content-Disposition": "attachment; filename=procedures-template.xlsx"},
            )
        abort(404)

    def _batch(self, batch_id):
        return get_scoped_or_404(ImportBatch, batch_id)

    def _procedures(self, batch):
        if not batch.procedure_ids:
            return []
        return (
            db.session.execute(scoped(Procedure).where(Procedure.id.in_(batch.procedure_ids)).order_by(Procedure.code))
            .scalars()
            .all()
        )

    @expose("/<int:batch_id>")
    def batch(self, batch_id):
        batch = self._batch(batch_id)
        procedures = self._procedures(batch)
        counts = {}
        for proc in procedures:
            counts[proc.state] = counts.get(proc.state, 0) + 1
        return self.render(
            "procedures/admin/batch.html", batch=batch, counts=counts, form=ConfirmForm(), comment_form=CommentForm()
        )

    @expose("/<int:batch_id>/import", methods=["POST"])
    def run(self, batch_id):
        batch = self._batch(batch_id)
        if not ConfirmForm().validate_on_submit():
            abort(400)
        try:
            run_import(batch, current_tenant._get_current_object(), current_user)
            db.session.commit()
        except ProcedureError as exc:
            db.session.rollback()  # one transaction: nothing is half-imported
            message = "; ".join(" ".join(v) for v in exc.fields.values())
            flash(_("Nothing was imported. %(reason)s", reason=message), "error")
            return redirect(url_for(".batch", batch_id=batch_id))
        flash(_("%(n)s of %(total)s imported as drafts.", n=len(batch.procedure_ids), total=batch.total), "success")
        return redirect(url_for(".batch", batch_id=batch_id))

    @expose("/<int:batch_id>/<any(submit, approve):act>", methods=["POST"])
    def review(self, batch_id, act):
        batch = self._batch(batch_id)
        form = CommentForm()
        if not form.validate_on_submit():
            abort(400)
        done, refused = bulk_transition(self._procedures(batch), act, current_user, form.comment.data or "")
        db.session.commit()
        _flash_bulk(done, refused, _("submitted for review") if act == "submit" else _("approved"))
        return redirect(url_for(".batch", batch_id=batch_id))


def init_app(app):
    admin = app.extensions["portal_admin"]
    admin.add_view(
        ProcedureView(Procedure, db, name=_l("Procedures"), endpoint="procedures_admin", category=_l("Catalogues"))
    )
    admin.add_view(
        ProcedureImportView(
            name=_l("Import procedures"),
            endpoint="procedure_import",
            url="/admin/procedure-import",
            category=_l("Catalogues"),
        )
    )
