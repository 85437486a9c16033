"""Projects (R-23, R-08 f, i, k): investment projects calling for investment, bidding and procurement
notices, and state-funded science programmes. One reviewable table with a ``kind``: the three share
the review chain, the list and the API (``/api/v1/projects?kind=``); each kind uses its own columns."""

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Numeric, String, Text, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.core.text import nfc, unaccent
from app.extensions import db
from app.workflow.models import Reviewable

KINDS = {
    "investment": _l("Projects calling for investment"),
    "bidding": _l("Bidding and procurement notices"),
    "science": _l("State-funded science programmes"),
}
# The path segment of each kind's public list (/projects/science/ is in the site navigation, R-08 k).
KIND_PATHS = {"investment": "investment", "bidding": "bidding", "science": "science"}
STATUSES = {
    "investment": {
        "calling": _l("Calling for investment"),
        "negotiating": _l("In negotiation"),
        "awarded": _l("Investor selected"),
        "closed": _l("Closed"),
    },
    "bidding": {
        "open": _l("Open for bids"),
        "evaluating": _l("Evaluating bids"),
        "awarded": _l("Awarded"),
        "cancelled": _l("Cancelled"),
    },
    "science": {
        "proposed": _l("Proposed"),
        "ongoing": _l("Ongoing"),
        "accepted": _l("Accepted"),
        "closed": _l("Closed"),
    },
}
MANAGEMENT_LEVELS = {"national": _l("National"), "provincial": _l("Provincial"), "grassroots": _l("Grassroots")}
# The columns each kind uses besides the common ones, in form order (the back office, the API's ``details``).
KIND_FIELDS = {
    "investment": ("objective", "project_type", "location", "scale", "total_capital", "investment_form", "incentives"),
    "bidding": (
        "procuring_entity",
        "procurement_method",
        "tender_opens_at",
        "tender_closes_at",
        "estimated_value",
        "currency",
        "award_result",
    ),
    "science": ("management_level", "lead_organisation", "start_year", "end_year", "results_report"),
}
PROCUREMENT_METHODS = (
    "Đấu thầu rộng rãi",
    "Đấu thầu hạn chế",
    "Chỉ định thầu",
    "Chào hàng cạnh tranh",
    "Mua sắm trực tiếp",
)


class Project(Reviewable, db.Model):
    """A project of one ``kind``; its fields are declared in ``app/projects/content.py``."""

    __tablename__ = "project"
    content_type = "project"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    title: Mapped[str] = mapped_column(String(500))
    code: Mapped[str] = mapped_column(String(60), default="")
    field: Mapped[str] = mapped_column(String(200), default="", index=True)
    status: Mapped[str] = mapped_column(String(30), default="", index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    attachments: Mapped[list] = mapped_column(JSON, default=list)  # media ids, in display order
    contact: Mapped[str] = mapped_column(Text, default="")
    # Investment projects calling for investment.
    objective: Mapped[str] = mapped_column(Text, default="")
    project_type: Mapped[str] = mapped_column(String(200), default="")
    location: Mapped[str] = mapped_column(String(500), default="")
    scale: Mapped[str] = mapped_column(Text, default="")
    total_capital: Mapped[float | None] = mapped_column(Numeric(20, 2))  # in đồng
    investment_form: Mapped[str] = mapped_column(String(200), default="")
    incentives: Mapped[str] = mapped_column(Text, default="")
    # Bidding and procurement notices.
    procuring_entity: Mapped[str] = mapped_column(String(300), default="")
    procurement_method: Mapped[str] = mapped_column(String(100), default="")
    tender_opens_at: Mapped[date | None] = mapped_column()
    tender_closes_at: Mapped[date | None] = mapped_column()
    estimated_value: Mapped[float | None] = mapped_column(Numeric(20, 2))
    currency: Mapped[str] = mapped_column(String(3), default="VND")
    award_result: Mapped[str] = mapped_column(Text, default="")
    # State-funded science programmes.
    management_level: Mapped[str] = mapped_column(String(20), default="")
    lead_organisation: Mapped[str] = mapped_column(String(300), default="")
    start_year: Mapped[int | None] = mapped_column()
    end_year: Mapped[int | None] = mapped_column()
    results_report: Mapped[str] = mapped_column(Text, default="")
    search_text: Mapped[str] = mapped_column(Text, default="")

    @property
    def status_label(self):
        return STATUSES.get(self.kind, {}).get(self.status, self.status)

    def __str__(self):
        return self.title


@event.listens_for(Session, "before_flush")
def _index_text(session, flush_context, instances):
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Project):
            parts = (obj.code, obj.title, obj.field, obj.location, obj.procuring_entity, obj.lead_organisation)
            obj.search_text = unaccent(nfc(" ".join(p or "" for p in parts))).lower()
