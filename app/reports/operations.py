"""Figures for the activity reports (R-29) and the annual evaluation (R-30).

Everything is computed from the review engine's transitions and the registered content types, so a new
content type is counted without changes here.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select

from app.core.errors import DomainError
from app.core.models import Tenant
from app.core.scoping import scope_filter, scope_filter_many
from app.core.timeutil import utcnow
from app.extensions import db
from app.workflow import registry
from app.workflow.models import Transition, visible_filter

PERIODS = ("h1", "h2", "year")


class ReportError(DomainError):
    """A report asked for a period that does not exist."""


def period_bounds(year, period):
    """``(start, end)`` naive UTC datetimes of a half-year or a year (local calendar, UTC+7)."""
    if period not in PERIODS:
        raise ReportError(f"period must be one of {', '.join(PERIODS)}")
    if not 2000 <= int(year) <= 2100:
        raise ReportError("year out of range")
    year = int(year)
    start_month, end_year, end_month = {"h1": (1, year, 7), "h2": (7, year + 1, 1), "year": (1, year + 1, 1)}[period]
    # Midnight in Asia/Ho_Chi_Minh is 17:00 UTC the day before.
    start = datetime(year, start_month, 1) - _OFFSET
    end = datetime(end_year, end_month, 1) - _OFFSET
    return start, end


_OFFSET = datetime(2000, 1, 1, 7) - datetime(2000, 1, 1)


@dataclass
class TypeActivity:
    name: str
    label: str
    submitted: int = 0
    published: int = 0
    returned: int = 0
    rejected: int = 0
    late_reviews: int = 0
    avg_review_hours: float | None = None
    live_now: int = 0


@dataclass
class TenantActivity:
    tenant: Tenant
    types: list[TypeActivity] = field(default_factory=list)

    @property
    def published(self):
        return sum(t.published for t in self.types)

    @property
    def submitted(self):
        return sum(t.submitted for t in self.types)


def report_basis(start, end):
    """The legal basis a report of ``start``..``end`` applies: the one in force at its end (today for the current
    period), unless the province admin pinned one."""
    from app.reports.rules import basis_for

    return basis_for(min(end - timedelta(seconds=1), utcnow()))


def activity(tenants, start, end, basis=None):
    """Activity per tenant and content type between ``start`` and ``end``; reviews are late against the review
    deadline of ``basis`` (default: :func:`report_basis`)."""
    basis = basis or report_basis(start, end)
    ids = [t.id for t in tenants]
    rows = db.session.execute(
        select(Transition.tenant_id, Transition.content_type, Transition.action, Transition.to_state, func.count())
        .where(scope_filter_many(Transition, ids), Transition.created_at >= start, Transition.created_at < end)
        .group_by(Transition.tenant_id, Transition.content_type, Transition.action, Transition.to_state)
    ).all()
    counts = {}
    for tenant_id, ctype, action, to_state, n in rows:
        entry = counts.setdefault((tenant_id, ctype), {"submit": 0, "publish": 0, "return": 0, "reject": 0})
        if action == "submit":
            entry["submit"] += n
        elif action == "approve" and to_state in ("published", "scheduled"):
            entry["publish"] += n
        elif action == "request_changes":
            entry["return"] += n
        elif action == "reject":
            entry["reject"] += n
    durations, late_done = _review_durations(ids, start, end, int(basis.review_deadline.value))
    late = _late_reviews(ids, start, end)
    for key, n in late_done.items():
        late[key] = late.get(key, 0) + n
    report = []
    for tenant in tenants:
        item = TenantActivity(tenant)
        for ct in registry.all_types():
            c = counts.get((tenant.id, ct.name), {})
            spans = durations.get((tenant.id, ct.name), [])
            live = db.session.execute(
                select(func.count())
                .select_from(ct.model)
                .where(scope_filter(ct.model, tenant), visible_filter(ct.model))
            ).scalar_one()
            item.types.append(
                TypeActivity(
                    name=ct.name,
                    label=str(ct.label),
                    submitted=c.get("submit", 0),
                    published=c.get("publish", 0),
                    returned=c.get("return", 0),
                    rejected=c.get("reject", 0),
                    late_reviews=late.get((tenant.id, ct.name), 0),
                    avg_review_hours=round(sum(spans) / len(spans), 1) if spans else None,
                    live_now=live,
                )
            )
        report.append(item)
    return report


def _review_durations(tenant_ids, start, end, deadline_days):
    """Hours from the last submission to publication, for items published in the period, and how many of them
    took longer than ``deadline_days`` working days."""
    from app.core.timeutil import to_local
    from app.core.workdays import add_working_days, holidays

    published = db.session.execute(
        select(Transition.tenant_id, Transition.content_type, Transition.object_id, Transition.created_at).where(
            scope_filter_many(Transition, tenant_ids),
            Transition.action == "approve",
            Transition.to_state.in_(["published", "scheduled"]),
            Transition.created_at >= start,
            Transition.created_at < end,
        )
    ).all()
    spans, late, days_off = {}, {}, holidays()
    for tenant_id, ctype, object_id, at in published:
        submitted = db.session.execute(
            select(func.max(Transition.created_at)).where(
                Transition.content_type == ctype,
                Transition.object_id == object_id,
                Transition.action.in_(["submit", "propose_to_portal"]),
                Transition.created_at <= at,
            )
        ).scalar()
        if submitted is not None:
            spans.setdefault((tenant_id, ctype), []).append((at - submitted).total_seconds() / 3600)
            if to_local(at) > add_working_days(to_local(submitted), deadline_days, days_off):
                late[(tenant_id, ctype)] = late.get((tenant_id, ctype), 0) + 1
    return spans, late


def _late_reviews(tenant_ids, start, end):
    """Items still in review past their deadline (``due_at``) in the period."""
    late = {}
    now = min(utcnow(), end)
    for ct in registry.all_types():
        model = ct.model
        n_rows = db.session.execute(
            select(model.tenant_id, func.count())
            .where(
                scope_filter_many(model, tenant_ids),
                model.due_at.is_not(None),
                model.state == "in_review",
                model.due_at < now,
                model.due_at >= start,
            )
            .group_by(model.tenant_id)
        ).all()
        for tenant_id, n in n_rows:
            late[(tenant_id, ct.name)] = n
    return late


def year_basis(year):
    """The legal basis an evaluation of ``year`` applies (see :func:`report_basis`)."""
    start, end = period_bounds(year, "year")
    return report_basis(start, end)


def indicators(tenant, year, basis=None):
    """Computed indicators of one site for a year (R-30), each scored against its weight in ``basis`` (default:
    :func:`year_basis`), with the article it comes from."""
    basis = basis or year_basis(year)
    start, end = period_bounds(year, "year")
    [act] = activity([tenant], start, end, basis)
    mandatory = set(basis.mandatory.value) or {t.name for t in act.types}
    required = [t for t in act.types if t.name in mandatory]
    coverage = sum(1 for t in required if t.live_now > 0) / max(1, len(required))
    frequency = min(1.0, act.published / max(1, int(basis.frequency.value)))
    reviews = act.published + sum(t.rejected + t.returned for t in act.types)
    late = sum(t.late_reviews for t in act.types)
    timeliness = 1.0 if reviews == 0 else max(0.0, 1 - late / reviews)
    participation = _participation(tenant, start, end)
    values = {"coverage": coverage, "frequency": frequency, "timeliness": timeliness, "participation": participation}
    return {
        c.name: {
            "value": round(values[c.name], 3),
            "weight": c.weight,
            "score": round(values[c.name] * c.weight),
            "article": c.article,
            "basis": basis.name,
        }
        for c in basis.criteria
    }


def _participation(tenant, start, end):
    """Share of answers and moderated comments among visitors' input, when such types exist (else 1)."""
    handled = received = 0
    for ct in registry.all_types():
        if ct.extra.get("participation"):
            received_fn, handled_fn = ct.extra["participation"]
            received += received_fn(tenant, start, end)
            handled += handled_fn(tenant, start, end)
    return 1.0 if received == 0 else handled / received


def grade(total):
    if total >= 90:
        return "excellent"
    if total >= 75:
        return "good"
    if total >= 50:
        return "fair"
    return "weak"


def all_sites():
    """The sites reports cover: every online site but the merged ones (their content is on their successor's);
    archives stay, marked, for the periods they worked in."""
    stmt = select(Tenant).where(Tenant.active.is_(True), Tenant.state != "merged").order_by(Tenant.sort_order)
    return db.session.execute(stmt).scalars().all()
