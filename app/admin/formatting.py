"""How the back office names columns and shows values, the same in every model view (issue 16, "Language").

Flask-Admin makes a label of a column's name ("Created At", "Source Tenant") and shows a stored value as
it is ("district", "True", an icon titled "featured: true"): English and codes on a Vietnamese page.
:class:`app.admin.views.TenantModelView` applies what is here to every view:

- :data:`COMMON_LABELS`, the labels of the columns every reviewable or dated row has;
- :data:`INTERNAL_COLUMNS`, columns no person reads (kept for search or calendars), left out of details;
- :func:`yes_no` for flags and :func:`labelled` for a choice or an enumeration, in lists and details;
- :func:`in_language` for a text in the other language (``title_en``), marked with its ``lang``.

A view's own labels and formatters win; declared fields bring theirs (``app.admin.declared``).
"""

from datetime import datetime
from enum import Enum

from flask_admin.model import typefmt
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import inspect as sa_inspect

COMMON_LABELS = {
    "tenant": _l("Site"),
    "user": _l("Account"),
    "state": _l("Status"),
    "author": _l("Author"),
    "last_editor": _l("Last edited by"),
    "source_tenant": _l("Source site"),
    "source_url": _l("Source address"),
    "source_object_id": _l("Item on the source site"),
    "review_step": _l("Review step"),
    "submitted_at": _l("Submitted at"),
    "due_at": _l("Review due"),
    "published_at": _l("Published at"),
    "publish_at": _l("Publish at"),
    "expire_at": _l("Hide after"),
    "created_at": _l("Created at"),
    "updated_at": _l("Last changed"),
    "revision_of": _l("Revision of"),
    "slug": _l("Address (slug)"),
}

INTERNAL_COLUMNS = ("search_text", "related_ids", "sequence", "changes")


def yes_no(view, value, name=None):
    """A flag as a word, not an icon whose title is ``featured: true``."""
    return _("Yes") if value else _("No")


def _enum_label(view, value, name=None):
    label = getattr(value, "label", None)
    return str(label) if label is not None else value.value


def local_time(view, value, name=None):
    """A stored moment (naive UTC) as people read it: Asia/Ho_Chi_Minh, dd/mm/yyyy HH:MM, never microseconds."""
    from app.core.timeutil import to_local

    return to_local(value).strftime("%d/%m/%Y %H:%M")


LIST_TYPE_FORMATTERS = {**typefmt.BASE_FORMATTERS, bool: yes_no, Enum: _enum_label, datetime: local_time}
DETAIL_TYPE_FORMATTERS = {**typefmt.DETAIL_FORMATTERS, bool: yes_no, Enum: _enum_label, datetime: local_time}


def labelled(choices):
    """A column formatter showing the label of a stored choice (``("district", _l("District"))``)."""
    labels = {value: label for value, label in choices}

    def format_choice(view, context, model, name):
        value = getattr(model, name)
        return str(labels.get(value, value)) if value not in (None, "") else ""

    return format_choice


def in_language(lang):
    """A column formatter marking a text in ``lang`` as such (``title_en`` on a Vietnamese page; WCAG 3.1.2)."""

    def format_text(view, context, model, name):
        value = getattr(model, name)
        return Markup('<span lang="{}">{}</span>').format(lang, value) if value else ""

    return format_text


def apply(view, model):
    """Give ``view`` the common labels, value formatters and details columns it did not set itself."""
    view.column_labels = {**COMMON_LABELS, **(view.column_labels or {})}
    # A column of one language (``name_en``, ``name_vi``, ``title_en``) says so, whatever the page's language.
    by_language = {
        column.key: in_language(column.key[-2:])
        for column in sa_inspect(model).column_attrs
        if column.key.endswith(("_en", "_vi"))
    }
    view.column_formatters = {**by_language, **(view.column_formatters or {})}
    if view.column_details_exclude_list is None:
        view.column_details_exclude_list = [name for name in INTERNAL_COLUMNS if hasattr(model, name)]
