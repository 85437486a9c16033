"""Units and officials, declared once: their fields are cleaned on every write (a biography's markup is
sanitised, emails normalised), a leader's photo counts as a use of the file, and the back-office forms
derive from these lists. Not reviewed: the tenant keeps its contact data current."""

from flask import url_for
from flask_babel import lazy_gettext as _l

from app.core.fields import Field, Kind, declare
from app.directory.models import Official, Unit

UNIT_FIELDS = declare(
    Unit,
    (
        Field("name", Kind.TEXT, _l("Name"), required=True, max_length=255),
        Field("name_en", Kind.TEXT, _l("Name (English)"), lang="en", max_length=255),
        Field("parent_id", Kind.RELATION, _l("Parent unit"), relation="parent"),
        Field("sort_order", Kind.NUMBER, _l("Order")),
        Field("phone", Kind.TEXT, _l("Phone"), max_length=50),
        Field("email", Kind.EMAIL, _l("Email"), max_length=255),
        Field("address", Kind.TEXT, _l("Address"), max_length=500),
        Field("duties", Kind.TEXT, _l("Duties")),
    ),
    label=_l("Units"),
    edit_url=lambda unit: url_for("directory_units.edit_view", id=unit.id),
)

OFFICIAL_FIELDS = declare(
    Official,
    (
        Field("name", Kind.TEXT, _l("Name"), required=True, max_length=200),
        Field("position", Kind.TEXT, _l("Position"), required=True, max_length=255),
        Field("unit_id", Kind.RELATION, _l("Unit"), relation="unit"),
        Field("phone", Kind.TEXT, _l("Official phone"), max_length=50),
        Field("email", Kind.EMAIL, _l("Official email"), max_length=255),
        Field("duties", Kind.TEXT, _l("Duties")),
        Field("is_leader", Kind.FLAG, _l("Leader")),
        Field("biography", Kind.RICH_TEXT, _l("Short biography")),
        Field("photo_id", Kind.MEDIA, _l("Photo"), media_kinds=("image",)),
        Field("sort_order", Kind.NUMBER, _l("Order")),
        Field("published", Kind.FLAG, _l("Shown publicly")),
    ),
    label=_l("Officials"),
    edit_url=lambda official: url_for("directory_officials.edit_view", id=official.id),
)
