"""Back-office management of units and officials (not reviewed: contact data kept current by the tenant).

The forms come from the declarations in ``app/directory/content.py``.
"""

from flask_babel import lazy_gettext as _l

from app.admin.views import EDITOR_AND_UP, TenantModelView
from app.directory.models import Official, Unit
from app.extensions import db


class UnitView(TenantModelView):
    allowed_roles = EDITOR_AND_UP
    column_list = ("name", "parent", "sort_order", "phone", "email")
    column_searchable_list = ("name",)

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        node, seen = model.parent, {model.id}
        while node is not None:  # a unit cannot sit under itself
            if node.id in seen:
                model.parent = None
                break
            seen.add(node.id)
            node = node.parent


class OfficialView(TenantModelView):
    allowed_roles = EDITOR_AND_UP
    column_list = ("name", "position", "unit", "phone", "email", "is_leader", "published")
    column_searchable_list = ("name", "position")
    column_filters = ("is_leader", "published")


def init_app(app):
    admin = app.extensions["portal_admin"]
    admin.add_view(UnitView(Unit, db, name=_l("Units"), endpoint="directory_units", category=_l("Directory")))
    admin.add_view(
        OfficialView(Official, db, name=_l("Officials"), endpoint="directory_officials", category=_l("Directory"))
    )
