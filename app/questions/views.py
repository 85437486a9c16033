"""Public question pages (R-15): answered questions, the form, and the tracking page."""

from flask import Blueprint, redirect, render_template, request, url_for
from sqlalchemy import select

from app.core.i18n import localized
from app.core.navigation import section
from app.core.pagination import page_of
from app.core.scoping import scope_filter_many
from app.core.tenancy import current_tenant, tenant_url
from app.extensions import db
from app.moderation import antispam
from app.moderation.schemas import load_form
from app.questions import operations as ops
from app.questions.forms import MESSAGES, QuestionForm
from app.questions.models import KINDS, STATUS_LABELS, Question
from app.questions.schemas import QuestionInputSchema

bp = Blueprint("questions", __name__, template_folder="templates")
FORM_NAME = "question"
PER_PAGE = 20


@bp.route("/questions/")
def index():
    tenant = current_tenant._get_current_object()
    rows, pager = page_of(ops.public_questions(tenant), PER_PAGE)
    return render_template(
        "questions/index.html",
        section=section("participation"),
        questions=[(q, ops.published_answer(q)) for q in rows],
        kinds=KINDS,
        pager=pager,
    )


def _form():
    form = QuestionForm()
    form.target_tenant.choices = [("", "—")] + [(t.code, localized(t, "name")) for t in ops.agencies()]
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
    refused = antispam.refusal(FORM_NAME, url_for(".ask"))
    if refused is not None:
        return refused
    form = _form()
    data = load_form(QuestionInputSchema(messages=MESSAGES), form)
    if data is None:
        return _render(form, 422)
    question = ops.receive(current_tenant._get_current_object(), **data)
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


def find_case(code, tenant):
    """The case ``code`` as ``tenant``'s tracking page finds it: its own and the cases it forwarded; on the portal,
    the province's one door, a case asked on any site too (the code is the visitor's proof)."""
    question = ops.find_by_code(code, tenant)
    if question is None and tenant.is_portal:
        stmt = select(Question).where(
            Question.tracking_code == ops.normalise_code(code), scope_filter_many(Question, ops.agencies())
        )
        question = db.session.execute(stmt).scalars().first()
    return question


@bp.route("/questions/track/<code>")
def track(code):
    question = find_case(code, current_tenant._get_current_object())
    if question is None:
        return render_template("questions/track_lookup.html", not_found=True, code=code), 404
    return render_template(
        "questions/track.html",
        question=question,
        answer=ops.published_answer(question),
        status_labels=STATUS_LABELS,
        kinds=KINDS,
        handler=question.tenant,
    )


def sitemap_entries(tenant):
    return [(tenant_url(tenant, "questions.index"), None)]
