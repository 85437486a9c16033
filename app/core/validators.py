"""WTForms validators for the field kinds, so web forms apply the same rules as the API (``app.core.fields``)."""

from wtforms.validators import ValidationError

from app.core.fields import is_safe_url, normalise_email
from app.core.i18n import FormMessage


class SafeURL:
    """Only http, https and mailto addresses (or a path on this site)."""

    def __call__(self, form, field):
        if not is_safe_url(field.data or ""):
            raise ValidationError(FormMessage("Enter a web address starting with http:// or https:// (or mailto:)."))


class EmailAddress:
    """The one email rule (:func:`app.core.fields.normalise_email`); an empty value is left to other validators.

    The field's data becomes the normalised address.
    """

    def __init__(self, message=None):
        self.message = message

    def __call__(self, form, field):
        if not (field.data or "").strip():
            return
        try:
            field.data = normalise_email(field.data)
        except ValueError:
            raise ValidationError(self.message or FormMessage("Enter a valid email address.")) from None
