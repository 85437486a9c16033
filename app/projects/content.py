"""The project, declared once: its fields and where it lives; everything else is derived from this.

One type for three kinds (``investment``, ``bidding``, ``science``); ``KIND_FIELDS`` in ``models.py``
says which of the declared fields each kind uses.
"""

from flask import url_for
from flask_babel import lazy_gettext as _l

from app.core.fields import Field, Kind, attachments, titled
from app.projects.models import KINDS, MANAGEMENT_LEVELS, PROCUREMENT_METHODS, STATUSES, Project
from app.projects.schemas import ProjectSchema
from app.workflow.registry import ContentType, register

# Every status of every kind; the back office offers each kind only its own (app/projects/admin.py).
ALL_STATUSES = tuple({key: label for statuses in STATUSES.values() for key, label in statuses.items()}.items())
TITLE, SUMMARY = titled(body=False, title_max=500, summary_max=None)


def sample(tenant, author):
    """A new, valid, unsaved project calling for investment (tests and ``demo load --scale``)."""
    return Project(
        kind="investment",
        title="Dự án mẫu kêu gọi đầu tư",
        field="Công nghiệp",
        status="calling",
        summary="Tóm tắt dự án mẫu.",
        location="Thành phố Đồng Xoài",
        total_capital=100_000_000_000,
    )


PROJECT = register(
    ContentType(
        name="project",
        model=Project,
        label=_l("Project"),
        endpoint="projects.detail",
        url_args=lambda project: {"project_id": project.id},
        # One back-office list per kind.
        edit_url=lambda project: url_for(f"projects_{project.kind}_admin.edit_view", id=project.id),
        schema=ProjectSchema,
        sample=sample,
        fields=(
            Field("kind", Kind.CHOICE, _l("Kind"), choices=tuple(KINDS.items()), required=True, form=False),
            TITLE,
            Field("code", Kind.TEXT, _l("Code"), search="body", max_length=60),
            Field("field", Kind.TEXT, _l("Field"), search="body", max_length=200),
            Field("status", Kind.CHOICE, _l("Status"), choices=ALL_STATUSES),
            SUMMARY,
            attachments(_l("Documents")),
            Field("contact", Kind.TEXT, _l("Contact")),
            # Investment projects calling for investment.
            Field("objective", Kind.TEXT, _l("Objective"), search="body"),
            Field("project_type", Kind.TEXT, _l("Project type"), max_length=200),
            Field("location", Kind.TEXT, _l("Location"), search="body", max_length=500),
            Field("scale", Kind.TEXT, _l("Scale")),
            Field("total_capital", Kind.MONEY, _l("Total capital")),
            Field("investment_form", Kind.TEXT, _l("Investment form"), max_length=200),
            Field("incentives", Kind.TEXT, _l("Investment incentives")),
            # Bidding and procurement notices.
            Field("procuring_entity", Kind.TEXT, _l("Procuring entity"), search="body", max_length=300),
            Field(
                "procurement_method",
                Kind.CHOICE,
                _l("Procurement method"),
                choices=tuple((method, method) for method in PROCUREMENT_METHODS),
            ),
            Field("tender_opens_at", Kind.DATE, _l("Tender opens")),
            Field("tender_closes_at", Kind.DATE, _l("Tender closes")),
            Field("estimated_value", Kind.MONEY, _l("Estimated value")),
            Field("currency", Kind.TEXT, _l("Currency"), max_length=3),
            Field("award_result", Kind.TEXT, _l("Award result")),
            # State-funded science programmes.
            Field("management_level", Kind.CHOICE, _l("Management level"), choices=tuple(MANAGEMENT_LEVELS.items())),
            Field("lead_organisation", Kind.TEXT, _l("Lead organisation"), search="body", max_length=300),
            Field("start_year", Kind.NUMBER, _l("Start year")),
            Field("end_year", Kind.NUMBER, _l("End year")),
            Field("results_report", Kind.TEXT, _l("Results report"), search="body"),
        ),
    )
)
