"""Back-office forms derived from a model's declared fields (``app.core.fields``).

A model view of a declared model gets, unless it sets them itself: the form's columns in declared
order, the labels, the rich-text editor on every rich-text field, the one media picker on every media
field, a comma-separated tags field, choices, and validators for URL and email fields, so a field
is described once and every form of it behaves the same.
"""

from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice

from app.admin.formatting import in_language, labelled
from app.core.fields import Kind
from app.core.text import nfc
from app.core.validators import EmailAddress, SafeURL
from app.media.fields import MediaField, MediaListField


class TagsField(StringField):
    """Tags typed as a comma-separated line, stored as a list."""

    def _value(self):
        return ", ".join(self.data or []) if isinstance(self.data, list) else (self.data or "")

    def process_formdata(self, valuelist):
        text = nfc(valuelist[0]) if valuelist else ""
        self.data = [t.strip() for t in text.split(",") if t.strip()][:30]


def form_column(field):
    return field.relation if field.kind == Kind.RELATION and field.relation else field.name


def derive(view, spec):
    """Fill the Flask-Admin settings of ``view`` from the declaration ``spec`` where the view left them unset.

    A view's own extra fields (an upload next to the attachments) go after the declared field that names
    them in ``view.form_extra_after`` (``{"attachments": ("upload",)}``).
    """
    declared = [f for f in spec.fields if f.form]
    if getattr(view, "form_columns", None) is None:
        after = getattr(view, "form_extra_after", None) or {}
        columns = [name for f in declared for name in (form_column(f), *after.get(f.name, ()))]
        if hasattr(spec.model, "publish_at"):
            columns += ["publish_at", "expire_at"]
        view.form_columns = tuple(columns)
    labels = {}
    for f in spec.fields:
        if f.label is not None:
            labels[f.name] = f.label
            if f.relation:
                labels[f.relation] = f.label
            if f.kind == Kind.MEDIA and f.name.endswith("_id"):
                labels[f.name.removesuffix("_id")] = f.label  # the relationship a details page shows
    labels.update(getattr(view, "column_labels", None) or {})
    view.column_labels = labels
    formatters = {f.name: labelled(f.choices) for f in spec.fields if f.kind == Kind.CHOICE and f.choices}
    formatters.update({f.name: in_language(f.lang) for f in spec.fields if f.kind == Kind.TEXT and f.lang != "vi"})
    formatters.update(getattr(view, "column_formatters", None) or {})
    view.column_formatters = formatters

    extra = dict(getattr(view, "form_extra_fields", None) or {})
    widgets = dict(getattr(view, "form_widget_args", None) or {})
    args = dict(getattr(view, "form_args", None) or {})
    for f in declared:
        if f.name in extra:
            continue
        options = {"description": f.description} if f.description else {}
        if f.kind == Kind.MEDIA:
            extra[f.name] = MediaField(f.label, kinds=f.media_kinds or _all_kinds(), **options)
        elif f.kind == Kind.MEDIA_LIST:
            extra[f.name] = MediaListField(f.label, kinds=f.media_kinds or _all_kinds(), **options)
        elif f.kind == Kind.TAGS:
            extra[f.name] = TagsField(f.label, **options)
        elif f.kind == Kind.CHOICE and f.choices:
            extra[f.name] = SelectField(f.label, choices=[SelectChoice(v, label) for v, label in f.choices], **options)
        elif f.kind == Kind.RICH_TEXT:
            widgets.setdefault(f.name, {"class": "rich-text form-control", "rows": 14 if f.lang == "vi" else 10})
        elif f.kind == Kind.URL:
            _add_validator(args, f.name, SafeURL())
        elif f.kind == Kind.EMAIL:
            _add_validator(args, f.name, EmailAddress())
        elif f.kind == Kind.TEXT and (f.max_length or 0) > 500:
            widgets.setdefault(f.name, {"rows": 3})
    view.form_extra_fields = extra
    view.form_widget_args = widgets
    view.form_args = args


def _add_validator(args, name, validator):
    entry = args.setdefault(name, {})
    entry["validators"] = [*entry.get("validators", []), validator]


def _all_kinds():
    from app.media.models import MEDIA_KINDS

    return MEDIA_KINDS
