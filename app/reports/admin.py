"""``/admin/reports/``: activity reports (R-29) and the annual evaluation (R-30) in the back office."""

from flask import Response, abort, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from app.admin.views import AccessMixin
from app.core import audit, tabular
from app.core.scoping import scope_filter_many, scoped
from app.core.tenancy import current_tenant
from app.core.timeutil import utcnow
from app.extensions import db
from app.reports.models import Evaluation
from app.reports.operations import (
    PERIODS,
    ReportError,
    activity,
    all_sites,
    grade,
    indicators,
    period_bounds,
    report_basis,
    year_basis,
)
from app.reports.rules import RulesError, all_bases, pin_basis, pinned_basis

PERIOD_LABELS = {"h1": _l("First half-year"), "h2": _l("Second half-year"), "year": _l("Whole year")}
CRITERIA_LABELS = {
    "coverage": _l("Mandatory sections with published content"),
    "frequency": _l("Items published in the year"),
    "timeliness": _l("Reviews finished within their deadline"),
    "participation": _l("Visitors' questions and comments handled"),
}


def _everywhere():
    return bool(current_tenant.is_portal and current_user.global_role in ("province_admin", "inspector"))


def _year_period():
    try:
        year = int(request.args.get("year", utcnow().year))
    except ValueError:
        abort(400)
    period = request.args.get("period", "year")
    try:
        start, end = period_bounds(year, period)
    except ReportError:
        abort(400)
    return year, period, start, end


class ReportsView(AccessMixin, BaseView):
    allowed_roles = ("head", "deputy_head", "secretary", "tenant_admin")

    def _tenants(self):
        return all_sites() if _everywhere() else [current_tenant._get_current_object()]

    @expose("/")
    def index(self):
        year, period, start, end = _year_period()
        basis = report_basis(start, end)
        report = activity(self._tenants(), start, end, basis)
        return self.render(
            "reports/activity.html",
            report=report,
            basis=basis,
            bases=all_bases(),
            pinned=pinned_basis(),
            can_pin=current_user.is_province_admin and current_tenant.is_portal,
            year=year,
            period=period,
            periods=[(p, PERIOD_LABELS[p]) for p in PERIODS],
            everywhere=_everywhere(),
        )

    @expose("/activity.csv")
    def export(self):
        year, period, start, end = _year_period()
        basis = report_basis(start, end)
        rows = [["tenant", "content_type", "submitted", "published", "returned", "rejected", "late_reviews",
                 "avg_review_hours", "live_now", "basis"]]  # fmt: skip
        for entry in activity(self._tenants(), start, end, basis):
            for t in entry.types:
                rows.append(
                    [entry.tenant.code, t.name, t.submitted, t.published, t.returned, t.rejected, t.late_reviews,
                     "" if t.avg_review_hours is None else t.avg_review_hours, t.live_now, basis.name]
                )  # fmt: skip
        name = f"bao-cao-hoat-dong-{year}-{period}.csv"
        return Response(
            tabular.csv_bytes(rows),
            mimetype="text/csv",
            headers={"Content-Disposition": f"attachment; filename={name}"},
        )

    @expose("/evaluation", methods=["GET", "POST"])
    def evaluation(self):
        year, _period, _start, _end = _year_period()
        tenants = self._tenants()
        basis = year_basis(year)
        if request.method == "POST":
            if not current_user.is_province_admin:
                abort(403)
            return self._save_evaluation(year, tenants, basis)
        saved = {
            e.tenant_id: e
            for e in db.session.execute(
                select(Evaluation).where(Evaluation.year == year, scope_filter_many(Evaluation, tenants))
            ).scalars()
        }
        rows = []
        for tenant in tenants:
            computed = indicators(tenant, year, basis)
            evaluation = saved.get(tenant.id)
            scores = evaluation.scores if evaluation else {k: v["score"] for k, v in computed.items()}
            total = sum(scores.values())
            rows.append((tenant, computed, scores, total, grade(total), evaluation))
        return self.render(
            "reports/evaluation.html",
            rows=rows,
            year=year,
            criteria=[(c.name, c.weight, CRITERIA_LABELS[c.name]) for c in basis.criteria],
            articles={c.name: c.article for c in basis.criteria},
            basis=basis,
            can_assess=current_user.is_province_admin,
        )

    @expose("/basis", methods=["POST"])
    def basis(self):
        """The province admin pins the legal basis every report applies (or lets the date choose it)."""
        if not (current_user.is_province_admin and current_tenant.is_portal):
            abort(403)
        try:
            pin_basis(request.form.get("basis") or None, current_user)
        except RulesError as exc:
            db.session.rollback()
            flash(str(exc.message), "error")
        else:
            db.session.commit()
            flash(_("The legal basis of the reports is saved."), "success")
        return redirect(url_for(".index"))

    def _save_evaluation(self, year, tenants, basis):
        try:
            tenant_id = int(request.form.get("tenant_id", ""))
        except ValueError:
            abort(400)
        tenant = next((t for t in tenants if t.id == tenant_id), None)
        if tenant is None:
            abort(404)
        scores = {}
        for criterion in basis.criteria:
            name, weight = criterion.name, criterion.weight
            try:
                value = int(request.form.get(f"score_{name}", ""))
            except ValueError:
                flash(_("Each score must be a whole number."), "error")
                return redirect(url_for(".evaluation", year=year))
            if not 0 <= value <= weight:
                flash(_("A score is out of its range."), "error")
                return redirect(url_for(".evaluation", year=year))
            scores[name] = value
        evaluation = db.session.execute(scoped(Evaluation, tenant).where(Evaluation.year == year)).scalars().first()
        if evaluation is None:
            evaluation = Evaluation(tenant_id=tenant.id, year=year)
            db.session.add(evaluation)
        evaluation.indicators = indicators(tenant, year, basis)
        evaluation.scores = scores
        evaluation.total = sum(scores.values())
        evaluation.grade = grade(evaluation.total)
        evaluation.comment = (request.form.get("comment") or "").strip()[:4000]
        evaluation.assessed_by_id = current_user.id
        audit.record("evaluation.save", f"{tenant.code}:{year}", str(scores), tenant=tenant)
        db.session.commit()
        flash(_("The evaluation of %(site)s is saved.", site=tenant.name_vi), "success")
        return redirect(url_for(".evaluation", year=year))


GRADE_LABELS = {"excellent": _l("Excellent"), "good": _l("Good"), "fair": _l("Fair"), "weak": _l("Weak")}


def init_app(app):
    admin = app.extensions["portal_admin"]
    admin.add_view(ReportsView(name=_l("Reports"), endpoint="reports", url="/admin/reports"))
    app.jinja_env.globals.setdefault("grade_label", lambda g: GRADE_LABELS.get(g, g))
