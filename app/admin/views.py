"""Back-office base views: access control and tenant scoping shared by every admin view."""

import functools

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_admin.babel import lazy_gettext as admin_lazy_gettext
from flask_admin.contrib.sqla import ModelView
from flask_admin.contrib.sqla.fields import QuerySelectField
from flask_admin.form import BaseForm
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import DataError

from app.admin import formatting
from app.auth.permissions import can_read_backoffice, can_write, has_role
from app.auth.roles import ROLE_LABELS, TENANT_ROLES
from app.core.scoping import TenantScoped, scope_filter, scope_query
from app.core.tenancy import current_tenant

READ_METHODS = ("GET", "HEAD", "OPTIONS")
# Who changes text the public reads that has no review of its own (sections, directory, gazette, releases).
EDITOR_AND_UP = ("editor", "secretary", "deputy_head", "head", "tenant_admin")


def show_error(exc, form=None, field=None):
    """Show a refused change (a :class:`~app.core.errors.DomainError`) the same way on every back-office page.

    Each message goes on the form field it names; an error that names no field goes on ``field``;
    whatever has no field on the form is flashed.

    :param exc: the error.
    :param form: the form shown again, if any.
    :param field: the form field an error naming no field belongs to; None: flash it.
    """
    fields = exc.fields or ({field: [exc.message]} if field else {})
    if not fields:
        flash(str(exc), "error")
        return
    for name, messages in fields.items():
        if form is not None and name in form:
            form[name].errors = [*form[name].errors, *(str(m) for m in messages)]
        else:
            for message in messages:
                flash(str(message), "error")


class AccessMixin:
    """Log in first; only members (or global roles) enter; the inspector never writes."""

    # Roles of the tenant that may use the view; None: any member.
    allowed_roles = None

    def is_accessible(self):
        if not can_read_backoffice(current_user, current_tenant):
            return False
        if self.allowed_roles is None or current_user.global_role:
            return True
        return has_role(current_user, current_tenant, *self.allowed_roles)

    def inaccessible_callback(self, name, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        abort(403)

    def _handle_view(self, name, **kwargs):
        response = super()._handle_view(name, **kwargs)
        if response is not None:
            return response
        if request.method not in READ_METHODS and not can_write(current_user, current_tenant):
            abort(403)
        return None


class CSRFProtectedForm(BaseForm):
    """Base of back-office model forms: the CSRF token is checked by the app-wide CSRFProtect."""


class TenantAjaxMixin:
    """An ajax lookup loader that only finds rows of the request's tenant (users: its members)."""

    view = None

    def _tenant_filter(self, query):
        from app.auth.models import Membership, User

        if self.view is not None and self.view.sees_all_tenants():
            return query
        if hasattr(self.model, "tenant_id"):
            return scope_query(query, self.model)
        if self.model is User:
            members = select(Membership.user_id).where(scope_filter(Membership))
            return query.filter(User.id.in_(members))
        return query.filter(False)

    def get_query(self):
        return self._tenant_filter(super().get_query())

    def get_one(self, pk):
        return self._tenant_filter(super().get_query()).filter_by(id=pk).first()


class TenantChoicesMixin:
    """Mixed into a form's relation pickers: only rows of ``choices_tenant`` are offered, or accepted.

    The rows are filtered when the choices are read, so a view that sets its own ``query_factory``
    after the form is built (an order, a state filter) stays scoped.
    """

    choices_tenant = None

    def _get_object_list(self):
        if self._object_list is None:
            rows = _tenant_rows(self.query or self.query_factory(), self.choices_tenant)
            self._object_list = [(str(self.get_pk(obj)), obj) for obj in rows]
        return self._object_list


def _tenant_rows(rows, tenant):
    """``rows`` (a legacy query or a list) without the rows of other tenants."""
    entities = [d["entity"] for d in getattr(rows, "column_descriptions", ())]
    if entities and isinstance(entities[0], type) and issubclass(entities[0], TenantScoped):
        return scope_query(rows, entities[0], tenant)
    return [row for row in rows if not isinstance(row, TenantScoped) or row.tenant_id == tenant.id]


@functools.cache
def _export_text(value):
    """A list value as CSV text: what Flask-Admin's csv_encode gives (None: empty)."""
    from flask_admin._compat import csv_encode

    return "" if value is None else csv_encode(value)


def _tenant_choices_class(field_class):
    return type("Tenant" + field_class.__name__, (TenantChoicesMixin, field_class), {})


class TenantModelView(AccessMixin, ModelView):
    """A model view that sees only the current tenant's rows.

    On the portal host, the province admin and the inspector see every tenant's rows.
    ``get_query``, ``get_count_query`` and ``get_one`` are all scoped: an edited id of
    another tenant is a 404, never a leak.
    """

    # CSRFProtect (Flask-WTF) guards every POST of the app; Flask-Admin then renders its token in
    # edit, delete and action forms. SecureForm would add a second, different token that the
    # browser posts after the first one, and every save or delete would fail.
    form_base_class = CSRFProtectedForm
    page_size = 25
    can_view_details = True
    can_export = True
    export_types = ["csv"]
    column_type_formatters = formatting.LIST_TYPE_FORMATTERS
    column_type_formatters_detail = formatting.DETAIL_TYPE_FORMATTERS

    def __init__(self, model, *args, **kwargs):
        from app.admin.declared import derive
        from app.core.fields import declared_for

        spec = declared_for(model)
        if spec is not None:
            derive(self, spec)
        formatting.apply(self, model)
        super().__init__(model, *args, **kwargs)

    def _export_csv(self, return_url):
        """The list as CSV, built inside the request and every cell guarded (app/core/tabular.py).

        Flask-Admin streams its CSV after the request's database session has closed (a related column then
        fails half-way through the file) and writes cells as they are (``=HYPERLINK(...)`` runs in Excel).
        """
        from flask import Response
        from werkzeug.utils import secure_filename

        from app.core.tabular import csv_bytes

        _count, data = self._export_data()
        columns = self._export_columns
        rows = [[str(label) for _name, label in columns]]
        rows += [[_export_text(self.get_export_value(row, name)) for name, _label in columns] for row in data]
        filename = secure_filename(self.get_export_name(export_type="csv"))
        return Response(
            csv_bytes(rows),
            mimetype="text/csv",
            headers={"Content-Disposition": f"attachment;filename={filename}"},
        )

    def sees_all_tenants(self):
        return bool(current_tenant.is_portal and current_user.global_role in ("province_admin", "inspector"))

    def _scope(self, query):
        if self.sees_all_tenants():
            return query
        return scope_query(query, self.model)

    def get_query(self):
        return self._scope(super().get_query())

    def get_count_query(self):
        return self._scope(super().get_count_query())

    @expose("/")
    def index_view(self):
        # A filter value the database cannot hold (a whole number past its integers) is the caller's error.
        try:
            return super().index_view()
        except DataError:
            from app.extensions import db

            db.session.rollback()
            abort(400)

    def get_one(self, id):
        # An id no row can have (not a whole number, or past the database's integers) is a 404, never a query:
        # PostgreSQL refuses such a parameter with an error.
        text = str(id or "").strip()
        if not text.isascii() or not text.isdigit() or not 0 < int(text) <= 2**31 - 1:
            abort(404)
        row = super().get_one(text)
        if row is None or (not self.sees_all_tenants() and row.tenant_id != current_tenant.id):
            abort(404)
        return row

    def scaffold_list_columns(self):
        # The mixin's ``tenant`` relation is the scope itself, not a column (details pages list every column).
        columns = super().scaffold_list_columns()
        return [c for c in columns if c != "tenant"] if issubclass(self.model, TenantScoped) else columns

    def scaffold_form(self):
        if self.form_columns is None and issubclass(self.model, TenantScoped):
            # Never a picker of sites: on_model_change puts the row in its tenant.
            self.form_excluded_columns = (*(self.form_excluded_columns or ()), "tenant")
        return super().scaffold_form()

    def create_form(self, obj=None):
        return self._scope_choices(super().create_form(obj), obj)

    def edit_form(self, obj=None):
        return self._scope_choices(super().edit_form(obj), obj)

    def list_form(self, obj=None):
        return self._scope_choices(super().list_form(obj), obj)

    def _scope_choices(self, form, obj=None):
        """Limit every relation picker of ``form`` to the rows of the item's tenant (a new item's: the request's).

        A global admin on the portal editing another site's row picks among that site's rows.
        """
        tenant = getattr(obj, "tenant", None) or current_tenant._get_current_object()
        for field in form:
            if isinstance(field, QuerySelectField):
                if not isinstance(field, TenantChoicesMixin):
                    field.__class__ = _tenant_choices_class(type(field))
                    field._object_list = None
                field.choices_tenant = tenant
        return form

    @action(
        "delete",
        admin_lazy_gettext("Delete"),
        admin_lazy_gettext("Are you sure you want to delete selected records?"),
    )
    def action_delete(self, ids):
        # Row ids arrive as strings; PostgreSQL (psycopg 3) refuses ``integer IN (varchar)``.
        try:
            ids = [int(i) for i in ids]
        except (TypeError, ValueError):
            pass
        return super().action_delete(ids)

    def _create_ajax_loader(self, name, options):
        # Flask-Admin's lookups query the whole table: limit them to the tenant like the lists.
        loader = super()._create_ajax_loader(name, options)
        loader.__class__ = type("Tenant" + type(loader).__name__, (TenantAjaxMixin, type(loader)), {})
        loader.view = self
        return loader

    def on_model_change(self, form, model, is_created):
        # Rows always land in the current tenant, except a global admin editing from the portal.
        if not self.sees_all_tenants() or getattr(model, "tenant_id", None) is None:
            model.tenant_id = current_tenant.id
        super().on_model_change(form, model, is_created)
        check_declared(model)

    @property
    def can_create(self):
        return can_write(current_user, current_tenant)

    @property
    def can_edit(self):
        return can_write(current_user, current_tenant)

    @property
    def can_delete(self):
        return can_write(current_user, current_tenant)


def check_declared(model):
    """Refuse a row whose declared fields cannot be stored (unsafe URL, another site's file...)."""
    from wtforms.validators import ValidationError

    from app.core.fields import clean_item, declared_for
    from app.media.operations import declared_errors

    spec = declared_for(type(model))
    if spec is None:
        return
    clean_item(model, spec.fields)
    errors = declared_errors(model, spec)
    if errors:
        labels = {f.key: str(f.label or f.name) for f in spec.fields}
        text = "; ".join(
            f"{labels[k]}: {' '.join(str(m) for m in v)}" if k in labels else " ".join(str(m) for m in v)
            for k, v in errors.items()
        )
        raise ValidationError(text)


class MembershipView(TenantModelView):
    """Users and roles of the tenant (R-04, R-25): invite, change a role, disable a membership or an account.

    The edit form only changes the role and the active flag (never the user, so no list of every
    account is ever offered); new users come through the invitation form.
    """

    allowed_roles = ("tenant_admin",)
    list_template = "admin/users/list.html"
    column_list = ("tenant.code", "user.email", "user.name", "role", "active", "user.active", "created_at")
    column_labels = {
        "user.email": _l("Email"),
        "user.name": _l("Name"),
        "role": _l("Role"),
        "active": _l("Active"),
        "user.active": _l("Account active"),
        "created_at": _l("Since"),
        "tenant.code": _l("Site"),
    }
    column_searchable_list = ("role",)
    column_filters = ("role", "active")

    def _account_toggle(view, context, model, name):
        from flask_wtf.csrf import generate_csrf
        from markupsafe import Markup

        user = model.user
        label = _("Yes") if user.active else _("No")
        if not view.can_edit:
            return label
        button = _("Disable the account") if user.active else _("Enable the account")
        return Markup(
            '{} <form method="post" action="{}" class="d-inline"><input type="hidden" name="csrf_token" value="{}">'
            '<input type="hidden" name="active" value="{}"><button type="submit" class="btn btn-link btn-sm p-0">{}'
            "</button></form>"
        ).format(
            label,
            url_for(".account_active_view", user_id=user.id),
            generate_csrf(),
            "0" if user.active else "1",
            button,
        )

    def _email_with_tokens(view, context, model, name):
        from markupsafe import Markup

        from app.admin.account import can_manage_tokens

        user = model.user
        if not can_manage_tokens(current_user, user, current_tenant):
            return user.email
        link = url_for("my_account.user_tokens", user_id=user.id)
        return Markup('{} <a href="{}" class="small">{}</a>').format(user.email, link, _("API tokens"))

    column_formatters = {
        "role": lambda v, c, m, n: ROLE_LABELS.get(m.role, m.role),
        "user.active": _account_toggle,
        "user.email": _email_with_tokens,
    }
    column_formatters_export = {}

    def can_create_invitations(self):
        return can_write(current_user, current_tenant)

    form_columns = ("role", "active")
    form_choices = {"role": [(r, ROLE_LABELS[r]) for r in TENANT_ROLES]}
    can_create = False

    def get_query(self):
        from sqlalchemy.orm import joinedload

        # Eager: the CSV export streams after the request's session is gone.
        return super().get_query().options(joinedload(self.model.user), joinedload(self.model.tenant))

    def on_model_change(self, form, model, is_created):
        from sqlalchemy import inspect as sa_inspect

        from app.core import audit

        state = sa_inspect(model)
        old_role = state.attrs.role.history.deleted
        if old_role and old_role[0] != model.role:
            audit.record("role.change", f"{model.user.email}:{old_role[0]}->{model.role}", tenant=model.tenant)
        old_active = state.attrs.active.history.deleted
        if old_active and bool(old_active[0]) != bool(model.active):
            action = "membership.enable" if model.active else "membership.disable"
            audit.record(action, f"{model.user.email}:{model.role}", tenant=model.tenant)
        super().on_model_change(form, model, is_created)

    def on_model_delete(self, model):
        from app.core import audit

        audit.record("role.revoke", f"{model.user.email}:{model.role}", tenant=model.tenant)

    @expose("/invite/", methods=("GET", "POST"))
    def invite_view(self):
        from app.admin.forms import InviteForm
        from app.admin.operations import AdminError, assignable_roles, invite_user
        from app.extensions import db

        tenant = current_tenant._get_current_object()
        if not can_write(current_user, tenant):
            abort(403)
        form = InviteForm()
        form.role.choices = [(r, ROLE_LABELS[r]) for r in assignable_roles(current_user, tenant)]
        if form.validate_on_submit():
            try:
                user, created = invite_user(form.email.data, form.name.data, form.role.data, tenant, current_user)
            except AdminError as exc:
                db.session.rollback()
                show_error(exc, form, field="email")
            else:
                db.session.commit()
                if created:
                    flash(_("Invitation sent to %(email)s.", email=user.email), "success")
                else:
                    flash(_("%(email)s now has this role here.", email=user.email), "success")
                return redirect(url_for(".index_view"))
        return self.render("admin/users/invite.html", form=form), (422 if request.method == "POST" else 200)

    @expose("/account/<int:user_id>/active", methods=("POST",))
    def account_active_view(self, user_id):
        """Disable or enable an account (the tenant admin: only accounts of this tenant alone)."""
        from flask_wtf.csrf import validate_csrf
        from wtforms import ValidationError

        from app.admin.operations import AdminError, set_account_active
        from app.auth.models import User
        from app.extensions import db

        try:
            validate_csrf(request.form.get("csrf_token"))
        except ValidationError:
            abort(400)
        tenant = current_tenant._get_current_object()
        user = db.session.get(User, user_id)
        visible = user is not None and (
            self.sees_all_tenants() or any(m.tenant_id == tenant.id for m in user.memberships)
        )
        if not visible:
            abort(404)
        try:
            set_account_active(user, request.form.get("active") == "1", current_user, tenant)
        except AdminError as exc:
            db.session.rollback()
            show_error(exc)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
        return redirect(url_for(".index_view"))


class AuditLogView(TenantModelView):
    allowed_roles = ("tenant_admin", "head")
    can_create = False
    can_edit = False
    can_delete = False
    can_export = True
    can_view_details = True
    column_default_sort = ("created_at", True)
    column_list = ("created_at", "tenant_id", "actor", "action", "target", "detail", "ip")
    # Filter by user, action and date range (Flask-Admin offers "between" for created_at).
    column_filters = ("actor", "action", "created_at")
    column_searchable_list = ("actor", "action", "target")
    column_formatters = {"tenant_id": lambda v, c, m, n: _tenant_code(m.tenant_id)}
    column_formatters_export = {"tenant_id": lambda v, c, m, n: _tenant_code(m.tenant_id)}
    column_labels = {
        "tenant_id": _l("Site"),
        "detail": _l("Detail"),
        "created_at": _l("When"),
        "actor": _l("Who"),
        "action": _l("Action"),
        "target": _l("Target"),
        "ip": _l("IP address"),
    }


def _tenant_code(tenant_id):
    from app.core.models import Tenant
    from app.extensions import db

    if tenant_id is None:
        return ""
    tenant = db.session.get(Tenant, tenant_id)
    return tenant.code if tenant is not None else ""
