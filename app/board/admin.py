"""Back office of the editorial board: the tenant admin keeps it up to date."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms.validators import DataRequired, Length

from app.admin.views import TenantModelView
from app.auth.models import Membership, User
from app.board.models import BoardMember, Position
from app.core import audit
from app.core.scoping import scope_filter
from app.core.text import nfc
from app.extensions import db


def _tenant_members():
    """Only accounts with a membership in this tenant may be linked to a board member."""
    members = select(Membership.user_id).where(scope_filter(Membership))
    return db.session.query(User).filter(User.id.in_(members)).order_by(User.email)


class BoardMemberView(TenantModelView):
    allowed_roles = ("tenant_admin",)
    column_list = ("position", "name", "title", "user.email", "sort_order")
    column_default_sort = "sort_order"
    column_labels = {
        "position": _l("Position"),
        "name": _l("Name"),
        "title": _l("Title and office"),
        "user": _l("Staff account"),
        "user.email": _l("Staff account"),
        "sort_order": _l("Order"),
    }
    column_formatters = {"position": lambda v, c, m, n: Position.label_of(m.position)}
    column_filters = ("position",)
    column_searchable_list = ("name", "title")
    form_columns = ("position", "name", "title", "user", "sort_order")
    form_choices = {"position": list(Position.labels().items())}
    form_args = {
        "name": {"validators": [DataRequired(), Length(max=255)]},
        "title": {"validators": [Length(max=500)]},
        "user": {"query_factory": _tenant_members, "allow_blank": True, "get_label": "email"},
    }

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        model.name, model.title = nfc(model.name).strip(), nfc(model.title or "").strip()
        audit.record("board.create" if is_created else "board.update", f"{model.position}:{model.name}")

    def on_model_delete(self, model):
        audit.record("board.delete", f"{model.position}:{model.name}")


def init_app(app):
    app.extensions["portal_admin"].add_view(
        BoardMemberView(BoardMember, db, name=_l("Editorial board"), endpoint="board_members", category=_l("Settings"))
    )
