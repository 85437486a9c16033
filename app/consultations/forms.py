"""The public comment form (R-14, R-17): rendered by WTForms, validated by the comment's one input schema
(:class:`~app.consultations.schemas.CommentInputSchema`, shared with the API); errors next to fields."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField, TextAreaField

from app.consultations.schemas import CommentInputSchema
from app.moderation.schemas import form_messages, input_attrs

# The form's wording of each refusal (the API keeps the schema's short messages).
MESSAGES = form_messages(
    body={"required": _l("Write your comment.")},
    consent={"required": _l("Your consent is needed to send the comment.")},
)


def _attrs(name):
    return input_attrs(CommentInputSchema, name)


class CommentForm(FlaskForm):
    name = StringField(_l("Your name"), render_kw=_attrs("name"))
    organisation = StringField(_l("Organisation (optional)"), render_kw=_attrs("organisation"))
    email = StringField(_l("Email"), render_kw=_attrs("email"))
    phone = StringField(_l("Phone"), render_kw=_attrs("phone"))
    # Choices are checked by the schema (a section of this consultation), not here.
    section_id = SelectField(_l("Section you comment on (optional)"), default="0", validate_choice=False)
    body = TextAreaField(_l("Your comment"), render_kw=_attrs("body"))
    attachment = FileField(_l("Attachment (optional: PDF, Word document or image)"))
    consent = BooleanField(
        _l("I agree that my personal data is used for the purpose stated above."), render_kw=_attrs("consent")
    )

    def set_sections(self, sections):
        self.section_id.choices = [("0", _l("The draft as a whole"))] + [(str(s.id), s.label()) for s in sections]
