"""Back office of royalties: the secretary records, the head approves and marks paid (R-31)."""

import re

from flask import flash
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from wtforms import validators

from app.admin.views import TenantModelView
from app.auth.permissions import has_role
from app.core import audit
from app.core.scoping import scope_filter
from app.core.tenancy import current_tenant
from app.extensions import db
from app.royalties.models import STATUSES, WORK_KINDS, Royalty

PERIOD_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
KIND_LABELS = {
    "article": _l("Article"),
    "photo": _l("Photo"),
    "video": _l("Video"),
    "audio": _l("Audio"),
    "graphic": _l("Graphic"),
    "translation": _l("Translation"),
    "other": _l("Other"),
}
STATUS_LABELS = {"proposed": _l("Proposed"), "approved": _l("Approved"), "paid": _l("Paid")}


class RoyaltyView(TenantModelView):
    allowed_roles = ("secretary", "deputy_head", "head", "tenant_admin")
    list_template = "royalties/list.html"
    column_list = ("period", "author_name", "work_title", "kind", "amount", "status", "paid_on")
    column_labels = {
        "period": _l("Period (YYYY-MM)"),
        "author_name": _l("Author"),
        "work_title": _l("Work"),
        "work_url": _l("Link to the work"),
        "kind": _l("Kind of work"),
        "amount": _l("Amount (VND)"),
        "status": _l("Status"),
        "paid_on": _l("Paid on"),
        "note": _l("Note"),
    }
    column_filters = ("period", "status", "kind", "author_name")
    column_searchable_list = ("author_name", "work_title")
    column_default_sort = ("period", True)
    column_formatters = {
        "kind": lambda v, c, m, n: KIND_LABELS.get(m.kind, m.kind),
        "status": lambda v, c, m, n: STATUS_LABELS.get(m.status, m.status),
        "amount": lambda v, c, m, n: f"{m.amount:,}".replace(",", "."),
    }
    form_columns = ("period", "author_name", "work_title", "work_url", "kind", "amount", "status", "paid_on", "note")
    form_choices = {
        "kind": [(k, KIND_LABELS[k]) for k in WORK_KINDS],
        "status": [(s, STATUS_LABELS[s]) for s in STATUSES],
    }
    form_args = {
        "period": {"validators": [validators.DataRequired(), validators.Regexp(PERIOD_RE, message=_l("Use YYYY-MM."))]},
        "amount": {"validators": [validators.InputRequired(), validators.NumberRange(min=0, max=10**10)]},
        "author_name": {"validators": [validators.DataRequired(), validators.Length(max=255)]},
        "work_title": {"validators": [validators.DataRequired(), validators.Length(max=500)]},
    }
    can_delete = False

    def on_model_change(self, form, model, is_created):
        if model.status in ("approved", "paid") and not has_role(current_user, current_tenant, "head", "deputy_head"):
            flash(_("Only the head or a deputy head approves royalties; the record stays proposed."), "warning")
            model.status = "proposed"
        if model.status == "paid" and model.paid_on is None:
            raise validators.ValidationError(_("Give the payment date."))
        super().on_model_change(form, model, is_created)
        audit.record("royalty.save", f"{model.author_name}:{model.period}", f"{model.amount} {model.status}")

    @expose("/summary")
    def summary(self):
        """Totals per author and period, with what is still to pay."""
        stmt = (
            select(Royalty.period, Royalty.author_name, Royalty.status, func.sum(Royalty.amount), func.count())
            .group_by(Royalty.period, Royalty.author_name, Royalty.status)
            .order_by(Royalty.period.desc(), Royalty.author_name)
        )
        if not self.sees_all_tenants():
            stmt = stmt.where(scope_filter(Royalty))
        table = {}
        for period, author, status, total, count in db.session.execute(stmt):
            row = table.setdefault((period, author), {"proposed": 0, "approved": 0, "paid": 0, "works": 0})
            row[status] += int(total or 0)
            row["works"] += count
        return self.render("royalties/summary.html", table=table)


def init_app(app):
    admin = app.extensions["portal_admin"]
    admin.add_view(
        RoyaltyView(Royalty, db, name=_l("Royalties"), endpoint="royalties", category=_l("Editorial office"))
    )
