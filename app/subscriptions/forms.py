"""The email subscription form (R-18, R-17)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length

from app.core.validators import EmailAddress


class SubscribeForm(FlaskForm):
    email = StringField(
        _l("Email"),
        validators=[
            DataRequired(message=_l("Enter your email address.")),
            Length(max=255),
            EmailAddress(message=_l("Enter a valid email address, like name@example.vn.")),
        ],
    )
    consultations = BooleanField(_l("Also tell me about new drafts open for comment"))
    consent = BooleanField(
        _l("I agree that my email address is used for the purpose stated above."),
        validators=[DataRequired(message=_l("Your consent is needed to subscribe."))],
    )
