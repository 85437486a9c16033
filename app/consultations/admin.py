"""Back office: consultations and their sections, outcomes, and the comment moderation queue with
word-filter hits highlighted and CSV/XLSX exports for the drafting team (R-14, R-16)."""

from flask import Response, abort, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func
from wtforms import DateTimeField
from wtforms.validators import ValidationError

from app.admin.views import AccessMixin, TenantModelView
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


class ConsultationView(ReviewableModelView):
    column_list = ("title", "document_type", "opens_at", "closes_at", "state")
    column_labels = {
        "title": _l("Title"),
        "document_type": _l("Document type"),
        "field": _l("Field"),
        "drafting_unit": _l("Drafting unit"),
        "summary": _l("Summary"),
        "opens_at": _l("Opens at"),
        "closes_at": _l("Closes at"),
        "receiving_address": _l("Receiving address"),
        "receiving_email": _l("Receiving email"),
        "attachments": _l("Attachments (media ids, e.g. [12, 13])"),
        "state": _l("State"),
    }
    column_searchable_list = ("title",)
    form_columns = (
        "title",
        "document_type",
        "field",
        "drafting_unit",
        "summary",
        "opens_at",
        "closes_at",
        "receiving_address",
        "receiving_email",
        "attachments",
    )
    form_overrides = {"opens_at": LocalDateTimeField, "closes_at": LocalDateTimeField}

    def on_model_change(self, form, model, is_created):
        if model.opens_at and model.closes_at and model.closes_at <= model.opens_at:
            raise ValidationError(_("The closing time must be after the opening time."))
        super().on_model_change(form, model, is_created)


class SectionView(TenantModelView):
    """Sections of a draft ("Điều 1", "Điều 2"...), in order."""

    column_list = ("consultation", "position", "number", "title")
    column_labels = {
        "consultation": _l("Consultation"),
        "position": _l("Order"),
        "number": _l("Number"),
        "title": _l("Title"),
        "body": _l("Text"),
    }
    column_default_sort = [("consultation_id", True), ("position", False)]
    form_columns = ("consultation", "position", "number", "title", "body")
    column_filters = ("consultation_id",)

    def _consultation_query(self):
        return db.session.query(Consultation).filter(
            Consultation.tenant_id == current_tenant.id, Consultation.revision_of_id.is_(None)
        )

    def create_form(self, obj=None):
        form = super().create_form(obj)
        form.consultation.query_factory = self._consultation_query
        return form

    def edit_form(self, obj=None):
        form = super().edit_form(obj)
        form.consultation.query_factory = self._consultation_query
        return form


class OutcomeView(ReviewableModelView):
    column_list = ("consultation", "title", "state")
    column_labels = {
        "consultation": _l("Consultation"),
        "title": _l("Title"),
        "summary": _l("Summary of comments and how each group was taken into account"),
        "final_document_id": _l("Final document (media id)"),
        "state": _l("State"),
    }
    form_columns = ("consultation", "title", "summary", "final_document_id")

    def _consultation_query(self):
        return db.session.query(Consultation).filter(
            Consultation.tenant_id == current_tenant.id, Consultation.revision_of_id.is_(None)
        )

    def create_form(self, obj=None):
        form = super().create_form(obj)
        form.consultation.query_factory = self._consultation_query
        return form

    def edit_form(self, obj=None):
        form = super().edit_form(obj)
        form.consultation.query_factory = self._consultation_query
        return form


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

    def _check_csrf(self):
        from flask_wtf.csrf import validate_csrf
        from wtforms import ValidationError as CSRFError

        try:
            validate_csrf(request.form.get("csrf_token"))
        except CSRFError:
            abort(400)

    @expose("/<int:comment_id>", methods=["POST"])
    def act(self, comment_id):
        self._check_csrf()
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
            flash(str(exc), "error")
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
