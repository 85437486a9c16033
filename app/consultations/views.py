"""Public consultation pages (R-14): the list (on the portal: open consultations of every site) and one
consultation with its sections, published comments, how to respond and the comment form."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.consultations import operations as ops
from app.consultations.content import CONSULTATION
from app.consultations.forms import MESSAGES, CommentForm
from app.consultations.models import STATUS_LABELS, Consultation, Status
from app.consultations.operations import media_links
from app.consultations.schemas import CommentInputSchema
from app.core.navigation import section
from app.core.tenancy import current_tenant
from app.core.timeutil import to_local, utcnow
from app.extensions import db
from app.media.storage import MediaError, save_upload
from app.moderation import antispam
from app.moderation.schemas import load_form

bp = Blueprint("consultations", __name__, template_folder="templates")
FORM_NAME = "consultation-comment"


def days_left(consultation, now=None):
    """Whole calendar days until the deadline, in local time (0 on the last day)."""
    now = now or utcnow()
    return max(0, (to_local(consultation.closes_at).date() - to_local(now).date()).days)


@bp.route("/consultations/")
def index():
    tenant = current_tenant._get_current_object()
    now = utcnow()
    # The portal lists every site's open drafts; a subsite its own.
    open_rows = ops.open_consultations(None if tenant.is_portal else tenant, now)
    own = (
        db.session.execute(
            ops.visible_consultations(tenant).order_by(Consultation.closes_at.desc(), Consultation.id.desc())
        )
        .scalars()
        .all()
    )
    upcoming = [c for c in own if c.status_at(now) == Status.UPCOMING]
    closed = [c for c in own if c.status_at(now) in (Status.CLOSED, Status.OUTCOME_PUBLISHED)]
    return render_template(
        "consultations/index.html",
        section=section("participation"),
        open_rows=open_rows,
        upcoming=upcoming,
        closed=closed,
        link=CONSULTATION.public_url,
        days_left=days_left,
        status_labels=STATUS_LABELS,
    )


def _load(consultation_id):
    consultation = ops.visible_consultation(consultation_id, current_tenant._get_current_object())
    if consultation is None:
        abort(404)
    return consultation


def _render(consultation, form, status=200):
    comments = ops.published_comments(consultation)
    by_section = {}
    for c in comments:
        by_section.setdefault(c.section_id, []).append(c)
    outcome = consultation.published_outcome()
    outcome_document = None
    if outcome is not None and outcome.final_document_id:
        outcome_document = (media_links(outcome, [outcome.final_document_id]) or [None])[0]
    return (
        render_template(
            "consultations/detail.html",
            consultation=consultation,
            sections=consultation.sections,
            counts=ops.comment_counts(consultation),
            by_section=by_section,
            attachments=media_links(consultation),
            outcome=outcome,
            outcome_document=outcome_document,
            form=form,
            days_left=days_left(consultation),
            status_labels=STATUS_LABELS,
            purpose=ops.PURPOSE,
            form_name=FORM_NAME,
        ),
        status,
    )


@bp.route("/consultations/<int:consultation_id>", methods=["GET"])
def detail(consultation_id):
    consultation = _load(consultation_id)
    form = CommentForm()
    form.set_sections(consultation.sections)
    if request.args.get("section", type=int):
        form.section_id.data = str(request.args.get("section", type=int))
    return _render(consultation, form)


@bp.route("/consultations/<int:consultation_id>", methods=["POST"])
@antispam.rate_limit("consultation-comment")
def post_comment(consultation_id):
    consultation = _load(consultation_id)
    back = url_for(".detail", consultation_id=consultation.id)
    if not consultation.is_open:
        return render_template("consultations/closed.html", consultation=consultation, back_url=back), 409
    refused = antispam.refusal(FORM_NAME, back)
    if refused is not None:
        return refused
    form = CommentForm()
    form.set_sections(consultation.sections)
    data = load_form(CommentInputSchema(consultation, messages=MESSAGES), form)
    if data is None:
        return _render(consultation, form, 422)
    attachment = None
    upload = form.attachment.data
    if upload and getattr(upload, "filename", ""):
        try:
            attachment = save_upload(upload, current_tenant, None, allowed_kinds=("document", "image"))
        except MediaError as exc:
            form.attachment.errors = [str(exc)]
            db.session.rollback()
            return _render(consultation, form, 422)
    ops.receive_comment(consultation, **data, attachment=attachment)
    db.session.commit()
    # Shown in place of the form, where the visitor's eye is (the redirect opens the page at the form).
    flash(_("Thank you. Your comment was received and is awaiting moderation before it appears here."), "sent")
    return redirect(back + "#comment-sent")


def home_block(tenant):
    rows = ops.open_consultations(None if tenant.is_portal else tenant)[:5]
    if not rows:
        return None
    return (60, "consultations/_home_block.html", [(c, CONSULTATION.public_url(c)) for c in rows])
