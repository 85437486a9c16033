"""Back-office pages that are forms rather than tables: tenants (province admin), site settings
and review chains (tenant admin). Handlers load, check access, then call ``app.admin.operations``."""

import logging

from flask import abort, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.admin import operations
from app.admin.forms import KIND_LABELS, SettingsForm, TenantForm
from app.admin.views import AccessMixin, show_error
from app.auth.permissions import can_write
from app.auth.roles import EDITORIAL_ROLES, ROLE_LABELS
from app.core.models import Tenant
from app.core.tenancy import current_tenant, tenant_home_url
from app.core.theming import theme_for
from app.extensions import db
from app.workflow import registry

log = logging.getLogger(__name__)
MAX_STEPS = 5


class TenantsView(AccessMixin, BaseView):
    """``/admin/tenants/``: the provincial office lists, creates and edits tenants (R-02, R-04)."""

    def is_accessible(self):
        return (
            super().is_accessible()
            and current_tenant.is_portal
            and current_user.global_role in ("province_admin", "inspector")
        )

    @expose("/")
    def index(self):
        tenants = db.session.execute(select(Tenant).order_by(Tenant.sort_order, Tenant.code)).scalars().all()
        return self.render(
            "admin/tenants/list.html", tenants=tenants, home_url=tenant_home_url, kind_labels=KIND_LABELS
        )

    @expose("/new/", methods=("GET", "POST"))
    def create_view(self):
        return self._form(None)

    @expose("/<int:tenant_id>/", methods=("GET", "POST"))
    def edit_view(self, tenant_id):
        tenant = db.session.get(Tenant, tenant_id)
        if tenant is None:
            abort(404)
        return self._form(tenant)

    def _form(self, tenant):
        if request.method == "POST" and not current_user.is_province_admin:
            abort(403)
        form = TenantForm(obj=tenant)
        if tenant is not None and request.method == "GET":
            form.aliases.data = "\n".join(tenant.aliases or [])
            theme = theme_for(tenant)
            form.primary.data, form.accent.data = theme["primary"], theme["accent"]
        if tenant is not None and tenant.is_portal:
            form.kind.choices = [("portal", _("Portal"))]
        else:
            form.kind.choices = [c for c in form.kind.choices if c[0] != "portal"]
        if form.validate_on_submit():
            data = {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
            try:
                saved = operations.save_tenant(tenant, data, current_user)
            except operations.AdminError as exc:
                db.session.rollback()
                show_error(exc, form, field="code")
            else:
                db.session.commit()
                flash(_("Saved: %(site)s.", site=saved.name_vi), "success")
                return redirect(url_for(".index"))
        status = 422 if request.method == "POST" else 200
        return self.render("admin/tenants/edit.html", form=form, tenant=tenant), status


class SettingsView(AccessMixin, BaseView):
    """``/admin/settings/``: the tenant admin's own site settings (names, contact, colours, logo)."""

    allowed_roles = ("tenant_admin",)

    @expose("/", methods=("GET", "POST"))
    def index(self):
        from app.media.storage import MediaError, save_upload

        tenant = current_tenant._get_current_object()
        form = SettingsForm(obj=tenant)
        theme = theme_for(tenant)
        if request.method == "GET":
            form.primary.data, form.accent.data = theme["primary"], theme["accent"]
        if form.validate_on_submit():
            data = {name: field.data for name, field in form._fields.items() if name not in ("csrf_token", "logo")}
            logo_url = None
            try:
                if form.logo.data:
                    media = save_upload(form.logo.data, tenant, user=current_user, allowed_kinds=("image",),
                                        alt=tenant.name_vi)  # fmt: skip
                    logo_url = media.url
                operations.save_settings(tenant, data, current_user, logo_url=logo_url)
            except operations.AdminError as exc:
                db.session.rollback()
                show_error(exc, form, field="name_vi")
            except MediaError as exc:
                db.session.rollback()
                show_error(exc, form, field="logo")
            else:
                db.session.commit()
                flash(_("The settings are saved."), "success")
                return redirect(url_for(".index"))
        status = 422 if request.method == "POST" else 200
        return self.render("admin/settings.html", form=form, theme=theme), status


class ReviewChainsView(AccessMixin, BaseView):
    """``/admin/review-chains/``: who reviews each content type, and in how many working days (R-09, R-12).

    The province admin on the portal chooses the tenant with ``?tenant=<code>``.
    """

    allowed_roles = ("tenant_admin",)

    def _tenant(self):
        tenant = current_tenant._get_current_object()
        code = request.values.get("tenant")
        if code and tenant.is_portal and current_user.global_role in ("province_admin", "inspector"):
            tenant = db.session.execute(select(Tenant).where(Tenant.code == code)).scalars().first()
            if tenant is None:
                abort(404)
        return tenant

    @expose("/", methods=("GET", "POST"))
    def index(self):
        tenant = self._tenant()
        names = ["default"] + [ct.name for ct in registry.all_types()]
        labels = {"default": _("Default (every other type)")}
        labels.update({ct.name: str(ct.label) for ct in registry.all_types()})
        errors = {}
        if request.method == "POST":
            from flask_wtf.csrf import validate_csrf
            from wtforms import ValidationError

            try:
                validate_csrf(request.form.get("csrf_token"))
            except ValidationError:
                abort(400)
            if not can_write(current_user, tenant):
                abort(403)
            chains, deadlines = {}, {}
            for name in names:
                roles = [request.form.get(f"{name}-step-{i}", "") for i in range(MAX_STEPS)]
                if name != "default" and not any(roles):
                    continue  # no chain of its own: the type follows the default
                try:
                    chains[name] = operations.validate_chain(roles)
                except operations.AdminError as exc:
                    errors[name] = str(exc.message)
                raw = request.form.get(f"{name}-days", "").strip()
                if raw:
                    if not raw.isdigit() or not 1 <= int(raw) <= 60:
                        errors[f"{name}-days"] = _("A review deadline is between 1 and 60 working days.")
                    else:
                        deadlines[name] = int(raw)
            if not errors:
                operations.save_review_chains(tenant, chains, deadlines, current_user)
                db.session.commit()
                flash(_("The review chains are saved."), "success")
                return redirect(url_for(".index", tenant=tenant.code if tenant.id != current_tenant.id else None))
        rows = []
        for name in names:
            if request.method == "POST":
                chain = [request.form.get(f"{name}-step-{i}", "") for i in range(MAX_STEPS)]
                days = request.form.get(f"{name}-days", "")
            else:
                chain = (tenant.review_chains or {}).get(name) or [] if name != "default" else _default_chain(tenant)
                days = (tenant.review_deadlines or {}).get(name) or ""
            chain = (list(chain) + [""] * MAX_STEPS)[:MAX_STEPS]
            error, days_error = errors.get(name), errors.get(f"{name}-days")
            rows.append({"name": name, "label": labels[name], "chain": chain, "days": days, "error": error,
                         "days_error": days_error})  # fmt: skip
        tenants = None
        if current_tenant.is_portal and current_user.global_role:
            tenants = db.session.execute(select(Tenant).order_by(Tenant.sort_order, Tenant.code)).scalars().all()
        roles = [(r, ROLE_LABELS[r]) for r in EDITORIAL_ROLES]
        status = 422 if errors else 200
        return self.render(
            "admin/review_chains.html", rows=rows, roles=roles, tenant=tenant, tenants=tenants, max_steps=MAX_STEPS
        ), status


def _default_chain(tenant):
    from app.workflow.operations import DEFAULT_CHAINS

    chains = tenant.review_chains or {}
    return chains.get("default") or DEFAULT_CHAINS["portal" if tenant.is_portal else "subsite"]
