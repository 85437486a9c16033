"""Back-office management of units and officials (not reviewed: contact data kept current by the tenant)."""

from flask_babel import lazy_gettext as _l

from app.admin.views import TenantModelView
from app.core.scoping import scoped
from app.core.tenancy import current_tenant
from app.core.text import nfc, sanitize_html
from app.directory.models import Official, Unit
from app.extensions import db
from app.media.models import MediaFile


def _scoped_choices(model):
    return lambda: db.session.execute(scoped(model, current_tenant._get_current_object())).scalars().all()


class _ScopedRelations(TenantModelView):
    """Relationship pickers offer the current tenant's rows only."""

    relation_models = {}

    def _scope_form(self, form):
        for name, model in self.relation_models.items():
            if name in form:
                form[name].query_factory = _scoped_choices(model)
        return form

    def create_form(self, obj=None):
        return self._scope_form(super().create_form(obj))

    def edit_form(self, obj=None):
        return self._scope_form(super().edit_form(obj))


class UnitView(_ScopedRelations):
    relation_models = {"parent": Unit}
    column_list = ("name", "parent", "sort_order", "phone", "email")
    column_searchable_list = ("name",)
    form_columns = ("name", "name_en", "parent", "sort_order", "phone", "email", "address", "duties")
    column_labels = {
        "name": _l("Name"),
        "name_en": _l("Name (English)"),
        "parent": _l("Parent unit"),
        "sort_order": _l("Order"),
        "phone": _l("Phone"),
        "email": _l("Email"),
        "address": _l("Address"),
        "duties": _l("Duties"),
    }

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        model.name = nfc(model.name)
        node, seen = model.parent, {model.id}
        while node is not None:  # a unit cannot sit under itself
            if node.id in seen:
                model.parent = None
                break
            seen.add(node.id)
            node = node.parent


class OfficialView(_ScopedRelations):
    relation_models = {"unit": Unit, "photo": MediaFile}
    column_list = ("name", "position", "unit", "phone", "email", "is_leader", "published")
    column_searchable_list = ("name", "position")
    column_filters = ("is_leader", "published")
    form_columns = (
        "name", "position", "unit", "phone", "email", "duties", "is_leader", "biography", "photo", "sort_order",
        "published",
    )  # fmt: skip
    column_labels = {
        "name": _l("Name"),
        "position": _l("Position"),
        "unit": _l("Unit"),
        "phone": _l("Official phone"),
        "email": _l("Official email"),
        "duties": _l("Duties"),
        "is_leader": _l("Leader"),
        "biography": _l("Short biography"),
        "photo": _l("Photo"),
        "sort_order": _l("Order"),
        "published": _l("Shown publicly"),
    }

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        model.name = nfc(model.name)
        model.biography = sanitize_html(model.biography)
        if model.photo is not None and (model.photo.tenant_id != model.tenant_id or model.photo.kind != "image"):
            model.photo = None


def init_app(app):
    admin = app.extensions["portal_admin"]
    admin.add_view(UnitView(Unit, db, name=_l("Units"), endpoint="directory_units", category=_l("Directory")))
    admin.add_view(
        OfficialView(Official, db, name=_l("Officials"), endpoint="directory_officials", category=_l("Directory"))
    )
