"""The one back-office picker for media references: a cover, a gallery, attachments, a form file.

Rendered as a plain select (works without JavaScript); ``js/media-picker.js`` turns it into a picker
with search, thumbnails and upload from inside it. Choices are the current tenant's files of the
field's kinds, so another tenant's file can never be chosen.
"""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, SelectMultipleField
from wtforms.validators import ValidationError

from app.core.i18n import FormMessage
from app.core.tenancy import current_tenant
from app.media.models import MEDIA_KINDS
from app.media.operations import files_by_ids, library_choices


def _optional_int(value):
    if value in (None, "", "None"):
        return None
    return int(value)


def _choices(kinds, optional):
    def build():
        rows = [(i, label) for i, label in library_choices(current_tenant._get_current_object(), kinds)]
        return ([("", _l("(none)"))] if optional else []) + [(str(i), f"#{i} · {label}") for i, label in rows]

    return build


def _render_kw(kinds, multiple, render_kw=None):
    attrs = {"data-media-picker": "multiple" if multiple else "single", "data-media-kinds": ",".join(kinds)}
    attrs.update(render_kw or {})
    return attrs


def _library_ids(ids, kinds):
    """The ids among ``ids`` that are the current tenant's files of ``kinds`` (any age, not only the listed ones)."""
    rows = files_by_ids([i for i in ids if i], current_tenant.id)
    return {m.id for m in rows if m.kind in kinds}


class _KeepChosen:
    """Show the chosen files even when they are older than the listed ones, so saving again keeps them, and
    accept any file of the site's library of the field's kinds (the picker may choose one that is not listed)."""

    def _chosen(self):
        return self.data if isinstance(self.data, list) else ([] if self.data in (None, "") else [self.data])

    def iter_choices(self):
        chosen = self._chosen()
        listed = {str(value) for value, _label in self.choices}
        missing = [i for i in chosen if str(i) not in listed]
        if missing:
            rows = files_by_ids(missing, current_tenant.id)
            self.choices = list(self.choices) + [(str(m.id), f"#{m.id} · {m}") for m in rows]
        return super().iter_choices()

    def pre_validate(self, form):
        # Check the library, not the list.
        chosen = self._chosen()
        if set(chosen) - _library_ids(chosen, self.kinds):
            raise ValidationError(self.invalid_choice_message)


class MediaField(_KeepChosen, SelectField):
    """One media file of the tenant (stored as its id)."""

    def __init__(self, label=None, kinds=MEDIA_KINDS, **kwargs):
        kwargs["render_kw"] = _render_kw(kinds, False, kwargs.get("render_kw"))
        super().__init__(label, coerce=_optional_int, choices=_choices(kinds, True), **kwargs)
        self.kinds = tuple(kinds)
        self.invalid_choice_message = FormMessage("Choose a file of this site's media library.")


class MediaListField(_KeepChosen, SelectMultipleField):
    """An ordered list of media files of the tenant (stored as a list of ids)."""

    def __init__(self, label=None, kinds=MEDIA_KINDS, **kwargs):
        kwargs["render_kw"] = _render_kw(kinds, True, kwargs.get("render_kw"))
        super().__init__(label, coerce=int, choices=_choices(kinds, False), **kwargs)
        self.kinds = tuple(kinds)
        self.invalid_choice_message = FormMessage("Every file must come from this site's media library.")

    def process_data(self, value):
        super().process_data(list(value or []))
