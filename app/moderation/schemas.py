"""The one input path of visitors' writes (R-16, R-17): a public form and its API load the same schema.

Every such schema extends :class:`ContactSchema` (who writes, and their consent), whose email passes the
one email rule of the portal (:func:`app.core.fields.normalise_email`). The API loads the JSON body with
:func:`load_json` (a 422 naming each field); a web form keeps WTForms for rendering and loads what was
posted with :func:`load_form`, which puts each message next to its field. The schema's own messages are
the API's short English ones; a form words them for people with ``messages`` (see :func:`form_messages`).

Staff handle that input through the API too: :class:`ModerationInputSchema` is what a moderator sends
(``app/moderation/api.py``), and the ``Computed*`` fields let the modules' staff schemas show values
computed from a row with their JSON type (unlike ``fields.Function``), so the OpenAPI document says it.
"""

from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, ValidationError, fields, missing, validate, validates_schema

from app.api.helpers import json_object
from app.api.inputs import Id
from app.core.errors import APIError
from app.core.fields import normalise_email
from app.core.text import nfc
from app.core.timeutil import isoformat


class VisitorField(fields.Field):
    """A field of a visitor's input; its messages take ``%(name)s`` arguments and may be lazy (translated)."""

    def make_error(self, key, **kwargs):
        return ValidationError(str(self.error_messages[key]) % kwargs)


class Text(VisitorField):
    """Plain text typed by a visitor: NFC, trimmed, never HTML. Absent, null and blank are all ``""``.

    :param max_length: the longest text accepted.
    :param required: refuse a blank text.
    """

    default_error_messages = {
        "invalid": "Must be a string.",
        "required": "Required.",
        "too_long": "At most %(max)d characters.",
    }

    def __init__(self, max_length, *, required=False, **kwargs):
        super().__init__(required=required, **kwargs)
        self.max_length = max_length

    def deserialize(self, value, attr=None, data=None, **kwargs):
        # To a visitor an absent field and an empty one are the same: "required" means "not blank".
        return super().deserialize("" if value is missing or value is None else value, attr, data, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise self.make_error("invalid")
        value = nfc(value).strip()
        if self.required and not value:
            raise self.make_error("required")
        if len(value) > self.max_length:
            raise self.make_error("too_long", max=self.max_length)
        return value


class Email(Text):
    """An email address, by the portal's one rule; returned in its normal form (blank: ``""``)."""

    default_error_messages = {"invalid_email": "Not a valid email address."}

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if not value:
            return value
        try:
            return normalise_email(value)
        except ValueError:
            raise self.make_error("invalid_email") from None


class Flag(VisitorField):
    """A yes/no answer: ``true`` or ``false`` (absent: ``false``)."""

    default_error_messages = {"invalid": "Must be true or false."}

    def deserialize(self, value, attr=None, data=None, **kwargs):
        if value is missing:
            return False
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class Consent(VisitorField):
    """The visitor's consent to the stated use of their personal data: only ``true`` counts (R-17)."""

    default_error_messages = {"required": "Consent to the stated use of personal data is required (true)."}

    def __init__(self, **kwargs):
        super().__init__(required=True, **kwargs)

    def deserialize(self, value, attr=None, data=None, **kwargs):
        if value is not True:
            raise self.make_error("required")
        return True


class Choice(VisitorField):
    """One of ``choices``; absent or empty is ``default``."""

    default_error_messages = {"unknown": "One of: %(choices)s"}

    def __init__(self, choices, default, **kwargs):
        super().__init__(**kwargs)
        self.choices, self.default = tuple(choices), default

    def deserialize(self, value, attr=None, data=None, **kwargs):
        if value is missing or value in (None, ""):
            return self.default
        if value not in self.choices:
            raise self.make_error("unknown", choices=", ".join(self.choices))
        return value


class Lookup(VisitorField):
    """A row the visitor refers to (a section, an agency), found by ``find(schema, value)``.

    :param empty: the values that refer to nothing (None is loaded).
    """

    default_error_messages = {"unknown": "Unknown."}

    def __init__(self, find, empty=(None, ""), **kwargs):
        super().__init__(**kwargs)
        self.find, self.empty = find, empty

    def deserialize(self, value, attr=None, data=None, **kwargs):
        if value is missing or value in self.empty:
            return None
        found = self.find(self.parent, value)
        if found is None:
            raise self.make_error("unknown")
        return found


class ContactSchema(Schema):
    """Who writes and their consent: the part every visitor's write shares. Unknown keys are ignored.

    :param messages: ``{field: {error key: message}}`` replacing the API's messages (a form's wording);
        the field ``"*"`` gives messages for every field that has that error.
    """

    class Meta:
        unknown = EXCLUDE

    name = Text(200, required=True)
    # An email address or a phone number: many people reach the agency by phone only (issue 16).
    email = Email(255, error_messages={"contact_required": "Give an email address or a phone number."})
    phone = Text(50)
    organisation = Text(300)
    consent = Consent()

    @validates_schema(skip_on_field_errors=False)
    def _reachable(self, data, **kwargs):
        # Only when both were read: a refused email or phone already has its own message.
        if "email" in data and "phone" in data and not data["email"] and not data["phone"]:
            raise ValidationError(str(self.fields["email"].error_messages["contact_required"]), "email")

    def __init__(self, *, messages=None, **kwargs):
        super().__init__(**kwargs)
        messages = messages or {}
        for name, field in self.fields.items():
            known = {k: v for k, v in messages.get("*", {}).items() if k in field.error_messages}
            field.error_messages = {**field.error_messages, **known, **messages.get(name, {})}


# How the public forms word a refusal for people, in their language (the API keeps the messages above).
FORM_MESSAGES = {
    "*": {
        "too_long": _l("Field cannot be longer than %(max)d characters."),
        "unknown": _l("Not a valid choice."),
    },
    "name": {"required": _l("Enter your name.")},
    "email": {
        "contact_required": _l("Enter an email address or a phone number, so that we can reach you."),
        "invalid_email": _l("Enter a valid email address, like name@example.vn."),
    },
}


def form_messages(**fields):
    """:data:`FORM_MESSAGES` with a form's own wording for some fields: ``body={"required": _l("...")}``."""
    merged = {name: dict(messages) for name, messages in FORM_MESSAGES.items()}
    for name, messages in fields.items():
        merged.setdefault(name, {}).update(messages)
    return merged


def input_attrs(schema, name):
    """The HTML attributes of a form's input for the schema's field ``name``: ``required``, ``maxlength``."""
    field = schema._declared_fields[name]
    attrs = {"required": True} if field.required else {}
    if getattr(field, "max_length", None):
        attrs["maxlength"] = field.max_length
    return attrs


def load_json(schema):
    """The request's JSON object loaded by ``schema``: 400 when it is not an object, 422 naming each field."""
    try:
        return schema.load(json_object())
    except ValidationError as exc:
        # The contract's public writes answer one message per field.
        errors = {
            name: messages[0] if isinstance(messages, list) else messages for name, messages in exc.messages.items()
        }
        raise APIError(422, "Some fields are missing or not valid.", fields=errors) from None


def load_form(schema, form):
    """What the WTForms ``form`` parsed from the post, loaded by ``schema``; None after putting each
    refusal on its field (the form then shows them next to the fields, with what the visitor typed)."""
    try:
        return schema.load(form.data)
    except ValidationError as exc:
        for name, messages in exc.messages.items():
            if name in form:
                form[name].errors = list(messages)
        return None


class _Computed:
    """A dump-only field whose value is ``fn(row)``; mixed into a typed marshmallow field."""

    def __init__(self, fn, **kwargs):
        super().__init__(dump_only=True, **kwargs)
        self.fn = fn

    def get_value(self, obj, attr, accessor=None, default=missing):
        return self.fn(obj)


class ComputedStr(_Computed, fields.String):
    """A text computed from the row (``allow_none=True`` where it may be null)."""


class ComputedInt(_Computed, fields.Integer):
    """A whole number computed from the row."""


class ComputedBool(_Computed, fields.Boolean):
    """True or false, computed from the row."""


class ComputedDateTime(_Computed, fields.DateTime):
    """A stored (UTC) date-time computed from the row, shown in ISO 8601 with the offset of Asia/Ho_Chi_Minh."""

    def _serialize(self, value, attr, obj, **kwargs):
        return isoformat(value)


class ModerationInputSchema(Schema):
    """What a moderator sends about one item of a queue: the action, its reason, and what it duplicates.

    Whether the reason or the duplicate is required, and which actions exist, is the module's operation's
    rule (it answers 422 naming the field); this schema only checks the types and lengths.
    """

    class Meta:
        unknown = EXCLUDE

    action = fields.Str(required=True, validate=validate.Length(min=1, max=40))
    reason = fields.Str(load_default="", validate=validate.Length(max=500))
    duplicate_of = Id(load_default=None, allow_none=True)
