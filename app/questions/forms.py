"""The public question form (R-15, R-17)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from app.questions.models import KINDS

EMAIL_RE = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class QuestionForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=list(KINDS.items()), default="question")
    topic = StringField(_l("Topic (optional)"), validators=[Optional(), Length(max=200)])
    target_tenant = SelectField(_l("Agency you are writing to (optional)"), default="")
    title = StringField(
        _l("Title"), validators=[DataRequired(message=_l("Give your question a title.")), Length(max=300)]
    )
    body = TextAreaField(
        _l("Content"), validators=[DataRequired(message=_l("Write your question.")), Length(max=10000)]
    )
    name = StringField(_l("Your name"), validators=[DataRequired(message=_l("Enter your name.")), Length(max=200)])
    email = StringField(
        _l("Email"),
        validators=[
            DataRequired(message=_l("Enter your email address: the tracking code and the answer are sent there.")),
            Length(max=255),
            Regexp(EMAIL_RE, message=_l("Enter a valid email address, like name@example.vn.")),
        ],
    )
    phone = StringField(_l("Phone (optional)"), validators=[Optional(), Length(max=50)])
    address = StringField(_l("Address (optional)"), validators=[Optional(), Length(max=500)])
    publish_allowed = BooleanField(
        _l("The question and its answer may be published (without my name or contact details).")
    )
    consent = BooleanField(
        _l("I agree that my personal data is used for the purpose stated above."),
        validators=[DataRequired(message=_l("Your consent is needed to send the question."))],
    )


class TrackForm(FlaskForm):
    class Meta:
        csrf = False

    code = StringField(_l("Tracking code"), validators=[DataRequired(), Length(max=24)])
