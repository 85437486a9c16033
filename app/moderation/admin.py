"""Back office: the word filter (global and per tenant) and the personal-data page (export, erasure)."""

import json

from flask import Response, abort, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.validators import ValidationError

from app.admin.views import AccessMixin, TenantModelView
from app.core.tenancy import current_tenant
from app.core.text import nfc
from app.extensions import db
from app.moderation import personal_data
from app.moderation.models import FilterTerm


class FilterTermView(TenantModelView):
    """R-16: terms that flag input. Global terms are the province admin's; tenant admins add their own."""

    allowed_roles = ("tenant_admin",)
    column_list = ("term", "is_global", "note", "created_at")
    column_labels = {"term": _l("Word or phrase"), "is_global": _l("Applies to every site"), "note": _l("Note")}
    column_searchable_list = ("term",)
    column_filters = ("is_global",)
    form_columns = ("term", "is_global", "note")
    column_default_sort = "term"

    def on_model_change(self, form, model, is_created):
        model.term = nfc(model.term or "").strip()
        if not model.term:
            raise ValidationError(_("Enter a word or phrase."))
        if model.is_global and not current_user.is_province_admin:
            raise ValidationError(_("Only the provincial administrator manages the global list."))
        if is_created:
            model.created_by_id = current_user.id
        super().on_model_change(form, model, is_created)

    def on_model_delete(self, model):
        if model.is_global and not current_user.is_province_admin:
            raise ValidationError(_("Only the provincial administrator manages the global list."))


class PersonalDataView(AccessMixin, BaseView):
    """R-17: find, export (JSON) and erase one person's data by email address."""

    allowed_roles = ("tenant_admin",)

    def _scope(self):
        # The province admin on the portal acts on every tenant; a tenant admin on their own.
        if current_tenant.is_portal and current_user.is_province_admin:
            return None
        return current_tenant._get_current_object()

    @expose("/")
    def index(self):
        email = (request.args.get("email") or "").strip()
        found = personal_data.export_person(email, self._scope()) if email else None
        return self.render("moderation/personal_data.html", email=email, found=found)

    @expose("/export")
    def export(self):
        email = (request.args.get("email") or "").strip()
        if not email:
            abort(400)
        data = {"email": email.lower(), "records": personal_data.export_person(email, self._scope())}
        body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
        return Response(
            body,
            mimetype="application/json",
            headers={"Content-Disposition": 'attachment; filename="personal-data.json"'},
        )

    @expose("/erase", methods=["POST"])
    def erase(self):
        from flask_wtf.csrf import validate_csrf
        from wtforms import ValidationError as CSRFError

        try:
            validate_csrf(request.form.get("csrf_token"))
        except CSRFError:
            abort(400)
        email = (request.form.get("email") or "").strip()
        if not email or request.form.get("confirm") != "yes":
            flash(_("Tick the box to confirm the erasure."), "error")
            return redirect(url_for(".index", email=email))
        counts = personal_data.erase_person(email, self._scope(), current_user)
        db.session.commit()
        flash(_("Personal data erased from %(count)s records.", count=sum(counts.values())), "success")
        return redirect(url_for(".index", email=email))


def init_app(app):
    admin = app.extensions["portal_admin"]
    admin.add_view(FilterTermView(FilterTerm, db, name=_l("Word filter"), endpoint="word_filter"))
    admin.add_view(PersonalDataView(name=_l("Personal data"), endpoint="personal_data", url="/admin/personal-data"))
