"""The reorganisation in the back office: ``/admin/restructure/`` (province admin: rename, merge, retire into an
archive, change the domain, create communes from the official list; each previewed, then applied on
confirmation, both through the plan of ``flask tenants restructure``) and ``/admin/redirects/`` (a site's
redirects, old path -> new path, with CSV import and export; scoped like every tenant view, and a target is a
path of the site, never another host)."""

import logging

from flask import Response, abort, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from sqlalchemy import select
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from app.admin.views import AccessMixin, TenantModelView, show_error
from app.core.models import Redirect, Tenant
from app.core.tenancy import current_tenant, primary_host
from app.extensions import db

log = logging.getLogger(__name__)

OPERATIONS = (
    ("rename", _l("Rename a site (code, names)")),
    ("merge", _l("Merge a site into another")),
    ("retire", _l("Retire a site into a read-only archive")),
    ("domain", _l("Change the domain of every site")),
    ("communes", _l("Create communes from the official list (CSV)")),
)
STATE_LABELS = {"active": _l("Active"), "merged": _l("Merged"), "archived": _l("Archive")}


class RestructureForm(FlaskForm):
    operation = SelectField(_l("Operation"), choices=OPERATIONS)
    tenant = SelectField(_l("Site"), choices=[], validators=[Optional()])
    target = SelectField(_l("Into / successor"), choices=[], validators=[Optional()])
    new_code = StringField(_l("New code"), validators=[Optional(), Length(max=40)])
    name_vi = StringField(_l("New name (Vietnamese)"), validators=[Optional(), Length(max=255)])
    name_en = StringField(_l("New name (English)"), validators=[Optional(), Length(max=255)])
    old_domain = StringField(_l("Old domain"), validators=[Optional(), Length(max=253)])
    new_domain = StringField(_l("New domain"), validators=[Optional(), Length(max=253)])
    file = FileField(_l("Official list of communes (CSV)"))
    csv_text = HiddenField()
    retire_districts = BooleanField(_l("Retire the district sites of the list into archives"))
    confirm = HiddenField()


def plan_from(form):
    """The plan (as ``flask tenants restructure`` reads it) of the operation the form describes."""
    op = form.operation.data
    code, target = form.tenant.data or None, form.target.data or None
    if op == "rename":
        names = {k: v for k, v in (("vi", form.name_vi.data), ("en", form.name_en.data)) if v}
        return {"renames": [{"code": code, "new_code": form.new_code.data or None, "names": names}]}
    if op == "merge":
        return {"merges": [{"from": code, "into": target}]}
    if op == "retire":
        return {"retire": [{"code": code, "successor": target}]}
    if op == "domain":
        return {"domain": {"from": form.old_domain.data, "to": form.new_domain.data}}
    return {"communes": {"text": form.csv_text.data, "retire_districts": bool(form.retire_districts.data)}}


class RestructureView(AccessMixin, BaseView):
    """The sites with their state, and the operations (province admin; the inspector reads)."""

    def is_accessible(self):
        return (
            super().is_accessible()
            and current_tenant.is_portal
            and current_user.global_role in ("province_admin", "inspector")
        )

    @expose("/", methods=("GET", "POST"))
    def index(self):
        from app.restructure.operations import RestructureError
        from app.restructure.plan import run_plan

        tenants = db.session.execute(select(Tenant).order_by(Tenant.sort_order, Tenant.code)).scalars().all()
        choices = [("", "—")] + [(t.code, f"{t.code} · {t.name_vi}") for t in tenants]
        form = RestructureForm()
        form.tenant.choices = form.target.choices = choices
        preview, applied, status = None, None, 200
        if request.method == "POST":
            if not current_user.is_province_admin:
                abort(403)
            if form.validate_on_submit():
                upload = form.file.data
                if upload and getattr(upload, "filename", ""):
                    form.csv_text.data = upload.read().decode("utf-8-sig", errors="replace")
                confirmed = form.confirm.data == "yes"
                try:
                    lines = run_plan(plan_from(form), current_user, dry_run=not confirmed)
                except (RestructureError, KeyError, ValueError) as exc:
                    flash(str(getattr(exc, "message", exc)), "error")
                    status = 422
                else:
                    if confirmed:
                        applied = lines
                        flash(_("Done: the changes are in the audit log."), "success")
                        form.confirm.data = ""
                    else:
                        preview = lines
                        form.confirm.data = "yes"
            else:
                status = 422
        return self.render(
            "admin/restructure/index.html",
            form=form,
            tenants=tenants,
            preview=preview,
            applied=applied,
            host=primary_host,
            state_labels=STATE_LABELS,
            by_id={t.id: t for t in tenants},
        ), status


def _path_check(form, field):
    from app.restructure.redirects import RedirectError, clean_path

    try:
        field.data = clean_path(field.data, field.name)
    except RedirectError as exc:
        raise ValidationError(str(exc.message)) from None


class RedirectView(TenantModelView):
    allowed_roles = ("tenant_admin", "head", "deputy_head", "secretary", "editor")
    list_template = "admin/redirects/list.html"
    column_list = ("old_path", "new_path", "source", "created_at")
    column_searchable_list = ("old_path", "new_path")
    column_default_sort = ("old_path", False)
    column_labels = {
        "old_path": _l("Old path"),
        "new_path": _l("New path"),
        "source": _l("Made by"),
        "created_at": _l("Created"),
    }
    form_columns = ("old_path", "new_path")
    form_extra_fields = {
        "old_path": StringField(_l("Old path"), validators=[DataRequired(), Length(max=1000), _path_check]),
        "new_path": StringField(_l("New path"), validators=[DataRequired(), Length(max=1000), _path_check]),
    }
    can_export = False

    def on_model_change(self, form, model, is_created):
        from app.restructure.redirects import RedirectError

        super().on_model_change(form, model, is_created)
        if model.old_path == model.new_path:
            raise RedirectError(_("The new path is the old one."), field="new_path")
        if is_created:
            model.source = "manual"

    @expose("/export.csv")
    def export_redirects(self):
        from app.restructure.redirects import export_csv

        body = export_csv(current_tenant._get_current_object())
        return Response(
            "\ufeff" + body,
            mimetype="text/csv",
            headers={"Content-Disposition": f"attachment;filename=redirects-{current_tenant.code}.csv"},
        )

    @expose("/import", methods=("POST",))
    def import_redirects(self):
        from app.restructure.redirects import RedirectError, import_csv

        upload = request.files.get("file")
        if upload is None or not upload.filename:
            flash(_("Choose a CSV file with the columns old_path and new_path."), "error")
            return redirect(url_for(".index_view"))
        text = upload.read().decode("utf-8-sig", errors="replace")
        try:
            count = import_csv(current_tenant._get_current_object(), text, current_user)
        except RedirectError as exc:
            db.session.rollback()
            show_error(exc)
        else:
            db.session.commit()
            flash(_("%(count)d redirects imported.", count=count), "success")
        return redirect(url_for(".index_view"))


def init_app(app):
    admin = app.extensions["portal_admin"]
    admin.add_view(RedirectView(Redirect, db, name=_l("Redirects"), endpoint="redirects", category=_l("Settings")))
    admin.add_view(RestructureView(name=_l("Reorganisation"), endpoint="restructure", url="/admin/restructure",
                                   category=_l("Settings")))  # fmt: skip
