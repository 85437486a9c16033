"""Back office: the questions inbox (with personal data, for the handling staff), forwarding, answering,
erasure, answers' edit view, and the province's overview of deadlines (R-12, R-15, R-17)."""

from flask import abort, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from app.admin.views import AccessMixin, show_error
from app.auth.permissions import has_role
from app.core.scoping import get_scoped, scoped
from app.core.tenancy import current_tenant
from app.extensions import db
from app.moderation import wordfilter
from app.questions import operations as ops
from app.questions.models import KINDS, STATUS_LABELS, Answer, Question, QuestionStatus
from app.workflow.admin import ReviewableModelView, state_label


class QuestionInboxView(AccessMixin, BaseView):
    """``/admin/questions/``: the cases this site handles, overdue ones first."""

    @expose("/")
    def index(self):
        show = request.args.get("show", "open")
        stmt = scoped(Question)
        if show == "answered":
            stmt = stmt.where(Question.status == QuestionStatus.ANSWERED).order_by(Question.answered_at.desc())
        else:
            stmt = stmt.where(Question.status != QuestionStatus.ANSWERED).order_by(Question.due_at)
        rows = db.session.execute(stmt.limit(300)).scalars().all()
        return self.render("questions/admin/inbox.html", questions=rows, show=show, labels=STATUS_LABELS, kinds=KINDS)

    def _load(self, question_id):
        question = get_scoped(Question, question_id)
        if question is None:
            abort(404)
        return question

    @expose("/<int:question_id>")
    def detail(self, question_id):
        question = self._load(question_id)
        terms = wordfilter.terms_for(current_tenant)
        answers = (
            db.session.execute(select(Answer).where(Answer.question_id == question.id, Answer.revision_of_id.is_(None)))
            .scalars()
            .all()
        )
        return self.render(
            "questions/admin/detail.html",
            q=question,
            labels=STATUS_LABELS,
            kinds=KINDS,
            highlight=lambda text: wordfilter.highlight(text, terms),
            answers=answers,
            state_label=state_label,
            agencies=ops.agencies() if current_tenant.is_portal else [],
            can_erase=has_role(current_user, current_tenant, "tenant_admin"),
            origin=question.origin_tenant,
        )

    @expose("/<int:question_id>/forward", methods=["POST"])
    def forward(self, question_id):
        question = self._load(question_id)
        if not current_tenant.is_portal:
            abort(403)
        agency = ops.find_agency(request.form.get("agency", ""))
        try:
            ops.forward(question, agency, current_user, request.form.get("note", ""))
        except ops.QuestionError as exc:
            db.session.rollback()
            show_error(exc)
            return redirect(url_for(".detail", question_id=question_id))
        db.session.commit()
        flash(_("Forwarded to %(agency)s.", agency=agency.name_vi), "success")
        return redirect(url_for(".index"))

    @expose("/<int:question_id>/answer", methods=["POST"])
    def answer(self, question_id):
        question = self._load(question_id)
        try:
            item = ops.answer(question, request.form.get("body", ""), current_user)
        except ops.QuestionError as exc:
            db.session.rollback()
            show_error(exc)
            return redirect(url_for(".detail", question_id=question_id))
        db.session.commit()
        flash(_("The answer was sent for review."), "success")
        return redirect(url_for("review.item", content_type="answer", object_id=item.id))

    @expose("/<int:question_id>/erase", methods=["POST"])
    def erase(self, question_id):
        question = self._load(question_id)
        if not has_role(current_user, current_tenant, "tenant_admin"):
            abort(403)
        ops.erase_question(question, current_user)
        db.session.commit()
        flash(_("Personal data of the case erased."), "success")
        return redirect(url_for(".detail", question_id=question_id))

    @expose("/overview")
    def overview(self):
        """R-12: every tenant's open and overdue cases, for the province admin (and the inspector)."""
        if not (current_tenant.is_portal and current_user.global_role):
            abort(403)
        return self.render(
            "questions/admin/overview.html", rows=ops.overview(), overdue=ops.overdue(), labels=STATUS_LABELS
        )


class AnswerView(ReviewableModelView):
    """Answers, written from the inbox; the form comes from the declaration in ``app/questions/content.py``."""

    column_list = ("question", "state", "updated_at")
    column_labels = {"state": _l("State"), "updated_at": _l("Updated")}
    # An answer is shown with its question as soon as it is approved: no publication window of its own.
    form_columns = ("body",)
    can_create = False


def init_app(app):
    admin = app.extensions["portal_admin"]
    category = _l("Questions")
    admin.add_view(
        QuestionInboxView(
            name=_l("Questions inbox"), endpoint="question_inbox", url="/admin/questions", category=category
        )
    )
    admin.add_view(AnswerView(Answer, db, name=_l("Answers"), endpoint="question_answers", category=category))
