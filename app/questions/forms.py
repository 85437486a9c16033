"""The public question form (R-15, R-17): rendered by WTForms, validated by the question's one input schema
(:class:`~app.questions.schemas.QuestionInputSchema`, shared with the API); errors next to fields."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField

from app.moderation.schemas import form_messages, input_attrs
from app.questions.models import KINDS
from app.questions.schemas import QuestionInputSchema

# The form's wording of each refusal (the API keeps the schema's short messages).
MESSAGES = form_messages(
    title={"required": _l("Give your question a title.")},
    body={"required": _l("Write your question.")},
    email={
        "contact_required": _l(
            "Enter an email address or a phone number: the tracking code and the answer are sent by email, "
            "or we call you."
        )
    },
    consent={"required": _l("Your consent is needed to send the question.")},
)


def _attrs(name):
    return input_attrs(QuestionInputSchema, name)


class QuestionForm(FlaskForm):
    # Choices are checked by the schema (a kind, an active agency), not here.
    kind = SelectField(_l("Kind"), choices=list(KINDS.items()), default="question", validate_choice=False)
    topic = StringField(_l("Topic (optional)"), render_kw=_attrs("topic"))
    target_tenant = SelectField(_l("Agency you are writing to (optional)"), default="", validate_choice=False)
    title = StringField(_l("Title"), render_kw=_attrs("title"))
    body = TextAreaField(_l("Content"), render_kw=_attrs("body"))
    name = StringField(_l("Your name"), render_kw=_attrs("name"))
    email = StringField(_l("Email"), render_kw=_attrs("email"))
    phone = StringField(_l("Phone"), render_kw=_attrs("phone"))
    address = StringField(_l("Address (optional)"), render_kw=_attrs("address"))
    publish_allowed = BooleanField(
        _l("The question and its answer may be published (without my name or contact details).")
    )
    consent = BooleanField(
        _l("I agree that my personal data is used for the purpose stated above."), render_kw=_attrs("consent")
    )
