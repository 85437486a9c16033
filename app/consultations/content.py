"""Consultations declared once: the draft and its outcome (reviewable), the draft's sections and the
visitors' comments (plain rows); cleaning, media usage, search, the sitemap and the forms come from here."""

from datetime import timedelta

from flask import url_for
from flask_babel import lazy_gettext as _l

from app.consultations.models import Comment, Consultation, ConsultationSection, Outcome
from app.consultations.operations import check
from app.consultations.schemas import ConsultationSchema, OutcomeSchema
from app.core.fields import ATTACHMENTS, Field, Kind, declare
from app.core.timeutil import utcnow
from app.workflow.registry import ContentType, register


def sample_consultation(tenant, author):
    """An open consultation (its tenant and author are filled in by the registry's ``sample``)."""
    now = utcnow()
    return Consultation(
        title="Dự thảo Quyết định mẫu lấy ý kiến nhân dân",
        document_type="Quyết định",
        summary="Dự thảo mẫu để lấy ý kiến góp ý.",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=10),
    )


def sample_outcome(tenant, author):
    """The outcome of a new consultation of ``tenant``."""
    return Outcome(
        consultation=CONSULTATION.sample(tenant, author),
        title="Báo cáo tiếp thu, giải trình mẫu",
        summary="Nhóm ý kiến mẫu: tiếp thu.",
    )


CONSULTATION = register(
    ContentType(
        name="consultation",
        model=Consultation,
        label=_l("Consultation"),
        endpoint="consultations.detail",
        url_args=lambda consultation: {"consultation_id": consultation.id},
        admin_endpoint="consultations_admin",
        schema=ConsultationSchema,
        sample=sample_consultation,
        check=check,
        fields=(
            Field("title", Kind.TEXT, _l("Title"), search="title", required=True, max_length=500),
            Field("document_type", Kind.TEXT, _l("Document type"), max_length=120),
            Field("field", Kind.TEXT, _l("Field"), max_length=200),
            Field("drafting_unit", Kind.TEXT, _l("Drafting unit"), max_length=300),
            Field("summary", Kind.TEXT, _l("Summary"), search="summary"),
            Field("opens_at", Kind.DATETIME, _l("Opens at"), required=True),
            Field("closes_at", Kind.DATETIME, _l("Closes at"), required=True),
            Field("receiving_address", Kind.TEXT, _l("Receiving address"), max_length=500),
            Field("receiving_email", Kind.EMAIL, _l("Receiving email"), max_length=255),
            ATTACHMENTS,  # the draft, the explanatory report (tờ trình) and other documents
        ),
    )
)

OUTCOME = register(
    ContentType(
        name="consultation_outcome",
        collection="consultation-outcomes",
        model=Outcome,
        label=_l("Consultation outcome"),
        # Shown on its consultation's page, which the sitemap already lists.
        endpoint="consultations.detail",
        url_args=lambda outcome: {"consultation_id": outcome.consultation_id},
        sitemap=False,
        admin_endpoint="consultation_outcomes",
        schema=OutcomeSchema,
        sample=sample_outcome,
        fields=(
            Field(
                "consultation_id",
                Kind.RELATION,
                _l("Consultation"),
                api_name="consultation",
                relation="consultation",
                required=True,
            ),
            Field("title", Kind.TEXT, _l("Title"), search="title", max_length=500),
            Field(
                "summary",
                Kind.TEXT,
                _l("Summary of comments and how each group was taken into account"),
                search="summary",
            ),
            Field("final_document_id", Kind.MEDIA, _l("Final document"), api_name="final_document"),
        ),
    )
)

SECTION = declare(
    ConsultationSection,
    (
        Field("consultation_id", Kind.RELATION, _l("Consultation"), relation="consultation", required=True),
        Field("position", Kind.NUMBER, _l("Order")),
        Field("number", Kind.TEXT, _l("Number"), max_length=60),
        Field("title", Kind.TEXT, _l("Title"), max_length=500),
        Field("body", Kind.TEXT, _l("Text")),
    ),
    label=_l("Sections of drafts"),
    edit_url=lambda section: url_for("consultation_sections.edit_view", id=section.id),
)

# A visitor's text is plain text, never HTML. The name (or organisation) is shown with a published comment,
# as the form says; email and phone never leave the handling staff.
COMMENT = declare(
    Comment,
    (
        Field("body", Kind.TEXT, _l("Your comment"), required=True, max_length=10000),
        Field("name", Kind.TEXT, _l("Your name"), max_length=200),
        Field("organisation", Kind.TEXT, _l("Organisation (optional)"), max_length=300),
        Field("email", Kind.EMAIL, _l("Email"), personal=True, max_length=255),
        Field("phone", Kind.TEXT, _l("Phone (optional)"), personal=True, max_length=50),
        Field(
            "attachment_id",
            Kind.MEDIA,
            _l("Attachment (optional: PDF, Word document or image)"),
            media_kinds=("document", "image"),
        ),
        Field("hidden_reason", Kind.TEXT, _l("Reason"), max_length=500),
    ),
    label=_l("Comment"),
    edit_url=lambda comment: url_for(
        "comment_moderation.index", consultation=comment.consultation_id, status=comment.status
    ),
)
