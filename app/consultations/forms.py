"""The public comment form (R-14, R-17): errors next to fields, the stated purpose, consent."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

EMAIL_RE = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class CommentForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[DataRequired(message=_l("Enter your name.")), Length(max=200)])
    organisation = StringField(_l("Organisation (optional)"), validators=[Optional(), Length(max=300)])
    email = StringField(
        _l("Email"),
        validators=[
            DataRequired(message=_l("Enter your email address.")),
            Length(max=255),
            Regexp(EMAIL_RE, message=_l("Enter a valid email address, like name@example.vn.")),
        ],
    )
    phone = StringField(_l("Phone (optional)"), validators=[Optional(), Length(max=50)])
    section_id = SelectField(_l("Section you comment on (optional)"), coerce=int, default=0)
    body = TextAreaField(
        _l("Your comment"),
        validators=[DataRequired(message=_l("Write your comment.")), Length(max=10000)],
    )
    attachment = FileField(_l("Attachment (optional: PDF, Word document or image)"))
    consent = BooleanField(
        _l("I agree that my personal data is used for the purpose stated above."),
        validators=[DataRequired(message=_l("Your consent is needed to send the comment."))],
    )

    def set_sections(self, sections):
        self.section_id.choices = [(0, _l("The draft as a whole"))] + [(s.id, s.label()) for s in sections]
