"""Back-office base views: access control and tenant scoping shared by every admin view."""

from flask import abort, redirect, request, url_for
from flask_admin import AdminIndexView, expose
from flask_admin.contrib.sqla import ModelView
from flask_admin.form import SecureForm
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.auth.permissions import can_read_backoffice, can_write, has_role
from app.auth.roles import ROLE_LABELS
from app.core.tenancy import current_tenant

READ_METHODS = ("GET", "HEAD", "OPTIONS")


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


class DashboardView(AccessMixin, AdminIndexView):
    @expose("/")
    def index(self):
        roles = sorted(current_user.roles_in(current_tenant))
        return self.render(
            "admin/dashboard.html",
            roles=[ROLE_LABELS.get(r, r) for r in roles],
            global_role=ROLE_LABELS.get(current_user.global_role) if current_user.global_role else None,
        )


class TenantModelView(AccessMixin, ModelView):
    """A model view that sees only the current tenant's rows.

    On the portal host, the province admin and the inspector see every tenant's rows.
    ``get_query``, ``get_count_query`` and ``get_one`` are all scoped: an edited id of
    another tenant is a 404, never a leak.
    """

    form_base_class = SecureForm
    page_size = 25
    can_view_details = True
    can_export = True
    export_types = ["csv"]

    def sees_all_tenants(self):
        return bool(current_tenant.is_portal and current_user.global_role in ("province_admin", "inspector"))

    def _scope(self, query):
        if self.sees_all_tenants():
            return query
        return query.filter(self.model.tenant_id == current_tenant.id)

    def get_query(self):
        return self._scope(super().get_query())

    def get_count_query(self):
        return self._scope(super().get_count_query())

    def get_one(self, id):
        row = super().get_one(id)
        if row is None or (not self.sees_all_tenants() and row.tenant_id != current_tenant.id):
            abort(404)
        return row

    def on_model_change(self, form, model, is_created):
        # Rows always land in the current tenant, except a global admin editing from the portal.
        if not self.sees_all_tenants() or getattr(model, "tenant_id", None) is None:
            model.tenant_id = current_tenant.id
        super().on_model_change(form, model, is_created)

    @property
    def can_create(self):
        return can_write(current_user, current_tenant)

    @property
    def can_edit(self):
        return can_write(current_user, current_tenant)

    @property
    def can_delete(self):
        return can_write(current_user, current_tenant)


class MembershipView(TenantModelView):
    allowed_roles = ("tenant_admin",)
    column_list = ("user.email", "user.name", "role", "active", "created_at")
    column_labels = {"user.email": _l("Email"), "user.name": _l("Name"), "role": _l("Role"), "active": _l("Active")}
    column_searchable_list = ("role",)
    column_filters = ("role", "active")
    form_columns = ("user", "role", "active")
    can_create = False


class AuditLogView(TenantModelView):
    allowed_roles = ("tenant_admin", "head")
    can_create = False
    can_edit = False
    can_delete = False
    can_export = True
    column_default_sort = ("created_at", True)
    column_list = ("created_at", "actor", "action", "target", "ip")
    column_filters = ("actor", "action", "created_at")
    column_labels = {
        "created_at": _l("When"),
        "actor": _l("Who"),
        "action": _l("Action"),
        "target": _l("Target"),
        "ip": _l("IP address"),
    }
