"""Back-office forms: tenants, invitations, site settings, review chains, passwords."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, NumberRange, Optional

from app.core.models import TENANT_KINDS

KIND_LABELS = {
    "portal": _l("Portal"),
    "department": _l("Department"),
    "district": _l("District"),
    "special": _l("Special-purpose site"),
    "commune": _l("Commune or ward"),
}


class ContactFields:
    address = StringField(_l("Address"), validators=[Optional(), Length(max=500)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=50)])
    fax = StringField(_l("Fax"), validators=[Optional(), Length(max=50)])
    email = EmailField(_l("Official email"), validators=[Optional(), Email(), Length(max=255)])
    attribution_vi = StringField(_l("Attribution wording (Vietnamese)"), validators=[Optional(), Length(max=255)])
    attribution_en = StringField(_l("Attribution wording (English)"), validators=[Optional(), Length(max=255)])


class TenantForm(ContactFields, FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])
    kind = SelectField(_l("Kind"), choices=[(k, KIND_LABELS[k]) for k in TENANT_KINDS])
    name_vi = StringField(_l("Name (Vietnamese)"), validators=[DataRequired(), Length(max=255)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=255)])
    domain = StringField(_l("Production domain"), validators=[Optional(), Length(max=255)])
    aliases = TextAreaField(_l("Other host names (one per line)"), validators=[Optional(), Length(max=4000)])
    primary = StringField(_l("Header colour"), validators=[Optional(), Length(max=7)])
    accent = StringField(_l("Accent colour"), validators=[Optional(), Length(max=7)])
    sort_order = IntegerField(_l("Order"), default=0, validators=[Optional(), NumberRange(min=0, max=100000)])
    active = BooleanField(_l("Active"), default=True)


class SettingsForm(ContactFields, FlaskForm):
    name_vi = StringField(_l("Name (Vietnamese)"), validators=[DataRequired(), Length(max=255)])
    name_en = StringField(_l("Name (English)"), validators=[DataRequired(), Length(max=255)])
    primary = StringField(_l("Header colour"), validators=[DataRequired(), Length(max=7)])
    accent = StringField(_l("Accent colour"), validators=[DataRequired(), Length(max=7)])
    logo = FileField(_l("Logo"), validators=[FileAllowed(["png", "jpg", "jpeg", "gif", "webp"], _l("Images only."))])
    remove_logo = BooleanField(_l("Remove the logo"))


class InviteForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=255)])
    name = StringField(_l("Full name"), validators=[Optional(), Length(max=255)])
    role = SelectField(_l("Role"), choices=[])


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=12, max=1024, message=_l("Use at least 12 characters."))],
    )
    confirm = PasswordField(
        _l("Repeat the password"), validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))]
    )
