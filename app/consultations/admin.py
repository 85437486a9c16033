"""Back office: consultations and their sections, outcomes, and the comment moderation queue with
word-filter hits highlighted and CSV/XLSX exports for the drafting team (R-14, R-16)."""

from flask import Response, abort, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func
from wtforms import DateTimeField

from app.admin.views import EDITOR_AND_UP, AccessMixin, TenantModelView, show_error
from app.auth.permissions import has_role
from app.consultations import operations as ops
from app.consultations.models import (
    COMMENT_STATUS_LABELS,
    STATUS_LABELS,
    Comment,
    CommentStatus,
    Consultation,
    ConsultationSection,
    Outcome,
)
from app.core.scoping import get_scoped, scoped
from app.core.tenancy import current_tenant
from app.core.timeutil import to_local, to_storage
from app.extensions import db
from app.moderation import wordfilter
from app.workflow.admin import ReviewableModelView

MODERATOR_ROLES = ("editor", "secretary", "deputy_head", "head", "tenant_admin")


class LocalDateTimeField(DateTimeField):
    """A date-time typed and shown in local time (Asia/Ho_Chi_Minh), stored as naive UTC."""

    def __init__(self, label=None, validators=None, format="%Y-%m-%d %H:%M", **kwargs):
        super().__init__(label, validators, format=format, **kwargs)

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return to_local(self.data).strftime(self.format[0]) if self.data else ""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None:
            self.data = to_storage(self.data)


def _live_consultations():
    # Revision copies are not consultations of their own (the base view keeps the picker to the tenant).
    return db.session.query(Consultation).filter(Consultation.revision_of_id.is_(None))


class ConsultationView(ReviewableModelView):
    """Drafts for comment; the form comes from the declaration in ``app/consultations/content.py``."""

    column_list = ("title", "document_type", "opens_at", "closes_at", "state")
    column_labels = {"state": _l("State")}
    column_searchable_list = ("title",)
    form_overrides = {"opens_at": LocalDateTimeField, "closes_at": LocalDateTimeField}


class SectionView(TenantModelView):
    """Sections of a draft ("Điều 1", "Điều 2"...), in order."""

    allowed_roles = EDITOR_AND_UP

    column_list = ("consultation", "position", "number", "title")
    column_default_sort = [("consultation_id", True), ("position", False)]
    column_filters = ("consultation_id",)
    form_args = {"consultation": {"query_factory": _live_consultations}}


class OutcomeView(ReviewableModelView):
    column_list = ("consultation", "title", "state")
    column_labels = {"state": _l("State")}
    form_args = {"consultation": {"query_factory": _live_consultations}}


class CommentModerationView(AccessMixin, BaseView):
    """``/admin/comments/``: the moderation queue; publish, hide with a reason, or mark as duplicate."""

    allowed_roles = MODERATOR_ROLES

    @expose("/")
    def index(self):
        status = request.args.get("status", CommentStatus.PENDING)
        if status not in COMMENT_STATUS_LABELS:
            status = CommentStatus.PENDING
        stmt = scoped(Comment).where(Comment.status == status)
        consultation_id = request.args.get("consultation", type=int)
        if consultation_id:
            stmt = stmt.where(Comment.consultation_id == consultation_id)
        comments = db.session.execute(stmt.order_by(Comment.created_at).limit(200)).scalars().all()
        terms = wordfilter.terms_for(current_tenant)
        counts = dict(
            db.session.execute(scoped(Comment, None, Comment.status, func.count()).group_by(Comment.status)).all()
        )
        consultations = (
            db.session.execute(
                scoped(Consultation)
                .where(Consultation.revision_of_id.is_(None))
                .order_by(Consultation.closes_at.desc())
            )
            .scalars()
            .all()
        )
        return self.render(
            "consultations/admin/moderation.html",
            comments=comments,
            status=status,
            counts=counts,
            labels=COMMENT_STATUS_LABELS,
            status_labels=STATUS_LABELS,
            highlight=lambda text: wordfilter.highlight(text, terms),
            consultations=consultations,
        )

    @expose("/<int:comment_id>", methods=["POST"])
    def act(self, comment_id):
        comment = get_scoped(Comment, comment_id)
        if comment is None:
            abort(404)
        action = request.form.get("action", "")
        if action == "erase":
            if not has_role(current_user, current_tenant, "tenant_admin"):
                abort(403)
            ops.erase_comment(comment, current_user)
            db.session.commit()
            flash(_("Personal data of the comment erased."), "success")
            return redirect(request.form.get("next") or url_for(".index"))
        duplicate_of = get_scoped(Comment, request.form.get("duplicate_of")) if action == "duplicate" else None
        try:
            ops.moderate(comment, action, current_user, request.form.get("reason", ""), duplicate_of)
        except ops.ModerationError as exc:
            db.session.rollback()
            show_error(exc)
            return redirect(request.form.get("next") or url_for(".index"))
        db.session.commit()
        flash(_("Comment %(id)s: %(status)s.", id=comment.id, status=COMMENT_STATUS_LABELS[comment.status]), "success")
        return redirect(request.form.get("next") or url_for(".index"))

    @expose("/export/<int:consultation_id>.<fmt>")
    def export(self, consultation_id, fmt):
        consultation = get_scoped(Consultation, consultation_id)
        if consultation is None or fmt not in ("csv", "xlsx"):
            abort(404)
        if fmt == "csv":
            body, mimetype = ops.export_csv(consultation), "text/csv; charset=utf-8"
        else:
            body = ops.export_xlsx(consultation)
            mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        name = f"gop-y-du-thao-{consultation.id}.{fmt}"
        return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def init_app(app):
    admin = app.extensions["portal_admin"]
    category = _l("Consultations")
    admin.add_view(
        ConsultationView(
            Consultation, db, name=_l("Drafts for comment"), endpoint="consultations_admin", category=category
        )
    )
    admin.add_view(
        SectionView(
            ConsultationSection, db, name=_l("Sections of drafts"), endpoint="consultation_sections", category=category
        )
    )
    admin.add_view(OutcomeView(Outcome, db, name=_l("Outcomes"), endpoint="consultation_outcomes", category=category))
    admin.add_view(
        CommentModerationView(
            name=_l("Comment moderation"), endpoint="comment_moderation", url="/admin/comments", category=category
        )
    )
