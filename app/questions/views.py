"""Public question pages (R-15): answered questions, the form, and the tracking page."""

import math

from flask import Blueprint, abort, redirect, render_template, request, url_for
from sqlalchemy import func, select

from app.core.models import Tenant
from app.core.navigation import section
from app.core.tenancy import current_tenant, tenant_url
from app.extensions import db
from app.moderation import antispam
from app.questions import operations as ops
from app.questions.forms import QuestionForm
from app.questions.models import KINDS, STATUS_LABELS

bp = Blueprint("questions", __name__, template_folder="templates")
FORM_NAME = "question"
PER_PAGE = 20


@bp.route("/questions/")
def index():
    tenant = current_tenant._get_current_object()
    stmt = ops.public_questions(tenant)
    page = request.args.get("page", 1, type=int) or 1
    total = db.session.execute(select(func.count()).select_from(stmt.order_by(None).subquery())).scalar_one()
    pages = max(1, math.ceil(total / PER_PAGE))
    if page < 1 or page > pages:
        abort(404)
    rows = db.session.execute(stmt.limit(PER_PAGE).offset((page - 1) * PER_PAGE)).scalars().all()
    return render_template(
        "questions/index.html",
        section=section("participation"),
        questions=[(q, ops.published_answer(q)) for q in rows],
        kinds=KINDS,
        page=page,
        pages=pages,
    )


def _agencies():
    return (
        db.session.execute(
            select(Tenant)
            .where(Tenant.active.is_(True), Tenant.kind != "portal")
            .order_by(Tenant.sort_order, Tenant.code)
        )
        .scalars()
        .all()
    )


def _form():
    form = QuestionForm()
    from app.core.i18n import localized

    form.target_tenant.choices = [("", "—")] + [(t.code, localized(t, "name")) for t in _agencies()]
    return form


def _render(form, status=200):
    return render_template(
        "questions/ask.html",
        form=form,
        purpose=ops.PURPOSE,
        form_name=FORM_NAME,
        section=section("participation"),
    ), status


@bp.route("/questions/ask", methods=["GET"])
def ask():
    return _render(_form())


@bp.route("/questions/ask", methods=["POST"])
@antispam.rate_limit("question")
def ask_post():
    try:
        antispam.check_submission(FORM_NAME)
    except antispam.Refused as exc:
        return antispam.refused_page(exc, url_for(".ask"))
    form = _form()
    if not form.validate_on_submit():
        return _render(form, 422)
    tenant = current_tenant._get_current_object()
    target = None
    if tenant.is_portal and form.target_tenant.data:
        target = db.session.execute(select(Tenant).where(Tenant.code == form.target_tenant.data)).scalars().first()
    question = ops.receive(
        tenant,
        kind=form.kind.data,
        title=form.title.data,
        body=form.body.data,
        name=form.name.data,
        email=form.email.data,
        phone=form.phone.data,
        address=form.address.data,
        topic=form.topic.data,
        target_tenant=target,
        publish_allowed=form.publish_allowed.data,
        consent=form.consent.data,
    )
    db.session.commit()
    sent = ops.send_receipt(question)
    return render_template(
        "questions/received.html",
        question=question,
        sent=sent,
        track_url=url_for(".track", code=question.tracking_code),
    )


@bp.route("/questions/track")
def track_lookup():
    code = ops.normalise_code(request.args.get("code"))
    if code:
        return redirect(url_for(".track", code=code))
    return render_template("questions/track_lookup.html")


@bp.route("/questions/track/<code>")
def track(code):
    question = ops.find_by_code(code, current_tenant._get_current_object())
    if question is None:
        return render_template("questions/track_lookup.html", not_found=True, code=code), 404
    return render_template(
        "questions/track.html",
        question=question,
        answer=ops.published_answer(question),
        status_labels=STATUS_LABELS,
        kinds=KINDS,
        handler=db.session.get(Tenant, question.tenant_id),
    )


def sitemap_entries(tenant):
    return [(tenant_url(tenant, "questions.index"), None)]
