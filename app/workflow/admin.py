"""Staff pages of the review engine: the inbox, the item page (actions, comment, history, diff),
and :class:`ReviewableModelView`, the back-office base for every reviewable content type."""

from flask import abort, flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from app.admin.formatting import yes_no
from app.admin.views import AccessMixin, TenantModelView, show_error
from app.auth.permissions import has_role
from app.auth.roles import ROLE_LABELS
from app.core.scoping import get_scoped, scoped
from app.core.tenancy import current_tenant
from app.extensions import db
from app.workflow import registry
from app.workflow.models import LIVE_STATES, ReviewState
from app.workflow.operations import (
    WorkflowError,
    action_label,
    available_actions,
    chain_for,
    content_version,
    history,
    inbox_items,
    overdue_items,
    pending_revision,
    record_edit,
    revision_diff,
    start_revision,
    transition,
)

WORKFLOW_COLUMNS = (
    "state",
    "review_step",
    "submitted_at",
    "due_at",
    "published_at",
    "created_at",
    "updated_at",
    "author",
    "last_editor",
    "revision_of",
    "revision_of_id",
    "source_tenant",
    "source_url",
    "source_object_id",
    "tenant",
)


def state_label(state):
    return ReviewState.label_of(state)


def review_content(ct, item):
    """``[(label, value)]`` of what the reviewer approves: every revision field with a value, as the public reads it."""
    from app.core.fields import Kind
    from app.core.text import sanitize_html

    rows = []
    for field in ct.fields:
        value = getattr(item, field.name, None)
        if not field.revision or field.personal or value in (None, "", [], {}):
            continue
        if field.kind == Kind.RICH_TEXT:
            value = Markup(sanitize_html(value))  # noqa: S704  (sanitised here, whatever is stored)
        elif field.kind in (Kind.MEDIA_LIST, Kind.TAGS):
            value = ", ".join(str(v) for v in value)
        elif field.kind == Kind.CHOICE:
            value = dict(field.choices).get(value, value)
        elif field.kind == Kind.FLAG:
            value = yes_no(None, value)
        rows.append((field.label or field.name, value, field.lang))
    return rows


class ReviewView(AccessMixin, BaseView):
    """``/admin/review/``: items waiting for me, my items, overdue items (R-09, R-12)."""

    @expose("/")
    def index(self):
        tenant = current_tenant._get_current_object()
        everywhere = bool(tenant.is_portal and current_user.global_role)
        waiting = inbox_items(current_user, tenant, include_all_tenants=everywhere and current_user.is_province_admin)
        mine = []
        for ct in registry.all_types():
            stmt = scoped(ct.model, tenant).where(
                ct.model.author_id == current_user.id,
                ct.model.state.notin_([ReviewState.ARCHIVED.value]),
            )
            mine += [(ct, item) for item in db.session.execute(stmt.limit(50)).scalars()]
        sees_overdue = current_user.global_role or has_role(current_user, tenant, "head", "deputy_head", "tenant_admin")
        overdue = overdue_items(None if everywhere else tenant) if sees_overdue else []
        return self.render(
            "admin/review/inbox.html", waiting=waiting, mine=mine, overdue=overdue, state_label=state_label
        )

    def _load(self, content_type, object_id):
        try:
            ct = registry.get(content_type)
        except KeyError:
            abort(404)
        tenant = current_tenant._get_current_object()
        item = get_scoped(ct.model, object_id, tenant)
        if item is None and tenant.is_portal and current_user.global_role:
            item = db.session.get(ct.model, object_id)
        if item is None or item.revision_of_id is not None:
            abort(404)
        return ct, item

    @expose("/<content_type>/<int:object_id>")
    def item(self, content_type, object_id):
        ct, item = self._load(content_type, object_id)
        pending = pending_revision(item) if item.state in LIVE_STATES else None
        subject = pending or item
        from app.workflow.operations import item_tenant

        tenant = item_tenant(item)
        return self.render(
            "admin/review/item.html",
            ct=ct,
            item=item,
            pending=pending,
            subject=subject,
            chain=chain_for(tenant, ct.name),
            actions=[(a, action_label(a)) for a in available_actions(subject, current_user, tenant)]
            + (
                [
                    (a, action_label(a))
                    for a in available_actions(item, current_user, tenant)
                    if a in ("unpublish", "propose_to_portal")
                ]
                if pending
                else []
            ),
            history=history(item),
            diff=revision_diff(pending) if pending else [],
            content=review_content(ct, subject) if not pending else [],
            version=content_version(subject),
            state_label=state_label,
            public_url=ct.public_url(item) if ct.public_url and item.is_visible else None,
            edit_url=ct.edit_url(item) if ct.edit_url else None,
            action_label=action_label,
            role_label=lambda role: ROLE_LABELS.get(role, role),
        )

    @expose("/<content_type>/<int:object_id>/transition", methods=["POST"])
    def act(self, content_type, object_id):
        from flask_wtf.csrf import validate_csrf
        from wtforms import ValidationError

        try:
            validate_csrf(request.form.get("csrf_token"))
        except ValidationError:
            abort(400)
        ct, item = self._load(content_type, object_id)
        action = request.form.get("action", "")
        comment = request.form.get("comment", "")
        try:
            # The page posts the version it showed: an approval never applies to a text its reviewer did not see.
            transition(item, action, current_user, comment, version=request.form.get("version"))
        except WorkflowError as exc:
            db.session.rollback()
            show_error(exc)
            return redirect(url_for(".item", content_type=content_type, object_id=object_id, comment=comment))
        db.session.commit()
        flash(_("Done: %(action)s.", action=action_label(action)), "success")
        if db.session.get(ct.model, object_id) is None:
            return redirect(url_for(".index"))
        return redirect(url_for(".item", content_type=content_type, object_id=object_id))


class ReviewableModelView(TenantModelView):
    """Back-office editing of reviewable content.

    New items belong to the current tenant and the acting user; editing a live item edits its
    pending revision (created on the first save), so the published version stays online. State
    changes happen only on the review page, never in the edit form.
    """

    form_excluded_columns = WORKFLOW_COLUMNS
    column_filters = ("state",)
    can_delete = False

    def _review_link(view, context, model, name):
        url = url_for("review.item", content_type=model.content_type, object_id=model.id)
        return Markup('<a href="{}">{}</a>').format(url, state_label(model.effective_state))

    column_formatters = {"state": _review_link}

    def get_query(self):
        return super().get_query().filter(self.model.revision_of_id.is_(None))

    def get_count_query(self):
        return super().get_count_query().filter(self.model.revision_of_id.is_(None))

    def get_one(self, id):
        item = super().get_one(id)
        if item.revision_of_id is not None:
            abort(404)
        if request.endpoint and request.endpoint.endswith("edit_view") and item.state in LIVE_STATES:
            return pending_revision(item) or item
        return item

    def on_model_change(self, form, model, is_created):
        super().on_model_change(form, model, is_created)
        if is_created:
            model.author_id = current_user.id
            model.state = ReviewState.DRAFT
        step = model.review_step
        record_edit(model, current_user)
        if step and model.review_step == 0:
            flash(_("The item changed during its review: it goes back to the first step of the chain."), "info")

    def update_model(self, form, model):
        try:
            target = start_revision(model, current_user)
        except WorkflowError as exc:
            show_error(exc)
            return False
        if target is not model:
            flash(_("The published version stays online until this revision is approved."), "info")
        return super().update_model(form, target)

    def get_save_return_url(self, model, is_created=False):
        live_id = model.revision_of_id or model.id
        return url_for("review.item", content_type=model.content_type, object_id=live_id)


def init_app(app):
    admin = app.extensions["portal_admin"]
    admin.add_view(ReviewView(name=_l("Review inbox"), endpoint="review", url="/admin/review"))
