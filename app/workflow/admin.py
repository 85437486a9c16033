"""Staff pages of the review engine: the inbox, the item page (actions, comment, history, a side-by-side diff
against the live version), the preview of an item as the public will see it, a confirmation before destructive
actions, and :class:`ReviewableModelView`, the back-office base for every reviewable content type (whose edit
page carries the review actions too)."""

import difflib
import re
from datetime import datetime

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import DateTime
from sqlalchemy.orm.attributes import set_committed_value
from wtforms import StringField

from app.admin.formatting import yes_no
from app.admin.views import AccessMixin, TenantModelView, show_error
from app.auth.permissions import has_role
from app.auth.roles import ROLE_LABELS
from app.core.scoping import get_scoped, scoped
from app.core.tenancy import current_tenant
from app.core.timeutil import to_local, to_storage
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


# Actions that take an item off the site or end its review: confirmed on a page of their own (no script needed).
DESTRUCTIVE_ACTIONS = ("reject", "unpublish", "archive")
# What the edit page offers next to "Save": save, then this action.
SAVE_ACTIONS = ("submit", "approve", "request_changes")
_BLOCK_END = re.compile(r"(</(p|h[1-6]|li|tr|div|blockquote|figure|figcaption|table|ul|ol)>|<br\s*/?>)", re.I)
_IMAGE = re.compile(r"<img\b[^>]*?\bsrc=\"([^\"]*)\"[^>]*>", re.I)


class LocalDateTimeField(StringField):
    """A moment entered and shown in Asia/Ho_Chi_Minh as ``dd/mm/yyyy HH:MM`` (no seconds), stored as naive UTC:
    a post scheduled for 08:00 goes out at 08:00 local time, not at 15:00."""

    FORMAT = "%d/%m/%Y %H:%M"

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"placeholder": "dd/mm/yyyy HH:MM", "autocomplete": "off"})
        kwargs["description"] = kwargs.get("description") or _l("Local time (Vietnam), dd/mm/yyyy HH:MM.")
        kwargs.pop("format", None)
        super().__init__(label, validators, **kwargs)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return to_local(self.data).strftime(self.FORMAT) if self.data else ""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip()
        self.data = None
        if not text:
            return
        try:
            self.data = to_storage(datetime.strptime(text, self.FORMAT))
        except ValueError:
            raise ValueError(_("Enter a date and time as dd/mm/yyyy HH:MM, for example 25/12/2026 08:00.")) from None


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


def _lines(field, value):
    """The lines a reviewer compares: rich text as its paragraphs (and its pictures by address), lists by item."""
    from app.core.fields import Kind
    from app.core.text import plain_text

    if value in (None, "", [], {}):
        return []
    if field is not None and field.kind == Kind.RICH_TEXT:
        html = _IMAGE.sub(lambda m: "\n[" + _("image") + ": " + m.group(1) + "]\n", str(value))
        return [line for line in (plain_text(part) for part in _BLOCK_END.sub("\n", html).split("\n")) if line]
    if field is not None and field.kind == Kind.CHOICE:
        return [str(dict(field.choices).get(value, value))]
    if field is not None and field.kind == Kind.FLAG:
        return [str(yes_no(None, value))]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return str(value).splitlines()


def _words(old, new):
    """Two lines with the words that differ marked (``<del>`` left, ``<ins>`` right)."""
    a, b = old.split(" "), new.split(" ")
    left, right = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        old_part, new_part = escape(" ".join(a[i1:i2])), escape(" ".join(b[j1:j2]))
        if tag == "equal":
            left.append(old_part)
            right.append(new_part)
        else:
            if i2 > i1:
                left.append(Markup("<del>{}</del>").format(old_part))
            if j2 > j1:
                right.append(Markup("<ins>{}</ins>").format(new_part))
    return Markup(" ").join(left), Markup(" ").join(right)


def side_by_side(ct, copy, live):
    """``[(label, [(old_html, new_html)])]``: every revision field of ``copy`` that differs from ``live``, line by
    line, the live version on the left; changed words marked. Personal fields are left out."""
    fields = {f.name: f for f in ct.fields}
    changes = []
    for name in copy.revision_fields:
        field = fields.get(name)
        if field is not None and field.personal:
            continue
        old, new = getattr(live, name, None), getattr(copy, name, None)
        if old == new:
            continue
        a, b = _lines(field, old), _lines(field, new)
        rows = []
        for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if tag == "equal":
                rows += [(escape(x), escape(y)) for x, y in zip(a[i1:i2], b[j1:j2], strict=True)]
            elif tag == "replace" and i2 - i1 == j2 - j1:
                rows += [_words(x, y) for x, y in zip(a[i1:i2], b[j1:j2], strict=True)]
            else:
                rows += [(Markup("<del>{}</del>").format(x), "") for x in a[i1:i2]]
                rows += [("", Markup("<ins>{}</ins>").format(y)) for y in b[j1:j2]]
        label = (field.label if field is not None else None) or name
        changes.append((label, rows or [("", "")]))
    return changes


def review_panel(ct, item, subject=None):
    """What the review part of a page needs: the live ``item``, the version under review, the actions the user may
    take and where to preview it."""
    from app.workflow.operations import item_tenant

    if item.revision_of_id is not None:
        item = db.session.get(type(item), item.revision_of_id)
    pending = pending_revision(item) if item.state in LIVE_STATES else None
    subject = subject or pending or item
    tenant = item_tenant(item)
    actions = [(a, action_label(a)) for a in available_actions(subject, current_user, tenant)]
    if pending:
        actions += [
            (a, action_label(a))
            for a in available_actions(item, current_user, tenant)
            if a in ("unpublish", "propose_to_portal")
        ]
    return {
        "ct": ct,
        "item": item,
        "pending": pending,
        "subject": subject,
        "tenant": tenant,
        "actions": actions,
        "version": content_version(subject),
        "preview_url": url_for("review.preview", content_type=ct.name, object_id=item.id) if ct.public_url else None,
    }


def _public_view(url):
    """The public view function and its arguments for ``url`` (an address on this host), or None."""
    from urllib.parse import urlsplit

    from werkzeug.exceptions import HTTPException

    path = urlsplit(url).path
    adapter = current_app.url_map.bind_to_environ(request.environ)
    try:
        endpoint, args = adapter.match(path, method="GET")
    except HTTPException:
        return None
    if endpoint.startswith(("admin", "review", "static")) or "." not in endpoint:
        return None
    return current_app.view_functions[endpoint], args


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
        panel = review_panel(ct, item)
        pending, subject, tenant = panel["pending"], panel["subject"], panel["tenant"]
        return self.render(
            "admin/review/item.html",
            ct=ct,
            item=item,
            pending=pending,
            subject=subject,
            chain=chain_for(tenant, ct.name),
            actions=panel["actions"],
            history=history(item),
            diff=side_by_side(ct, pending, item) if pending else [],
            content=review_content(ct, subject) if not pending else [],
            version=panel["version"],
            preview_url=panel["preview_url"],
            destructive=DESTRUCTIVE_ACTIONS,
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
        if action in DESTRUCTIVE_ACTIONS and request.form.get("confirmed") != "yes":
            return self.render(
                "admin/review/confirm.html",
                ct=ct,
                item=item,
                action=action,
                action_label=action_label(action),
                comment=comment,
                version=request.form.get("version", ""),
                back=url_for(".item", content_type=content_type, object_id=object_id),
            )
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

    @expose("/<content_type>/<int:object_id>/preview")
    def preview(self, content_type, object_id):
        """The item's public page as the public will see it once published (a draft, a scheduled item, or the live
        item with its pending revision's text), for staff only, never indexed nor cached; nothing is published.

        :raise 404: the type has no public page, or its address is not one of this host's.
        """
        ct, item = self._load(content_type, object_id)
        if ct.public_url is None:
            abort(404)
        pending = pending_revision(item) if item.state in LIVE_STATES else None
        if pending is not None:
            # The live row, as loaded in this request only, carries the revision's text: the public page finds it by
            # its own address and shows the edit. Committed values: nothing is flushed, nothing is written.
            for name in pending.revision_fields:
                set_committed_value(item, name, getattr(pending, name))
        # A type may say where staff preview it (an answer: on its case's page), else its public page.
        url = ct.extra.get("preview_url", ct.public_url)(item)
        found = _public_view(url) if url else None
        if found is None:
            abort(404)
        view, args = found
        # app.workflow.models.visible_filter reads this: the item counts as visible (a draft, a scheduled item).
        g.preview = (type(item), item.id)
        response = current_app.make_response(current_app.ensure_sync(view)(**args))
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        response.headers["Cache-Control"] = "no-store, private"
        return response


class ReviewableModelView(TenantModelView):
    """Back-office editing of reviewable content.

    New items belong to the current tenant and the acting user; editing a live item edits its
    pending revision (created on the first save), so the published version stays online. State
    changes happen only on the review page, never in the edit form.
    """

    form_excluded_columns = WORKFLOW_COLUMNS
    column_filters = ("state",)
    can_delete = False
    # The edit and create pages add "Save and submit" (and the reviewer's actions) to the form's buttons.
    create_template = "admin/review/create.html"
    edit_template = "admin/review/edit.html"

    def _review_link(view, context, model, name):
        url = url_for("review.item", content_type=model.content_type, object_id=model.id)
        return Markup('<a href="{}">{}</a>').format(url, state_label(model.effective_state))

    column_formatters = {"state": _review_link}

    def scaffold_form(self):
        # Every moment a person enters (publish_at, expire_at, a consultation's opening...) is local time.
        overrides = dict(self.form_overrides or {})
        for column in self.model.__table__.columns:
            if isinstance(column.type, DateTime) and column.name not in WORKFLOW_COLUMNS:
                overrides.setdefault(column.name, LocalDateTimeField)
        self.form_overrides = overrides
        return super().scaffold_form()

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

    def render(self, template, **kwargs):
        if template in (self.create_template, self.edit_template):
            model = kwargs.get("model")
            ct = registry.for_item(model) if model is not None else None
            panel = review_panel(ct, model) if ct is not None else None
            kwargs["review"] = panel
            actions = [a for a, _label in panel["actions"]] if panel else ["submit"]
            if panel and panel["item"].state in LIVE_STATES and panel["pending"] is None:
                actions.append("submit")  # saving a live item makes its revision, a draft to submit
            kwargs["save_actions"] = [(a, action_label(a)) for a in SAVE_ACTIONS if a in actions]
            kwargs["state_label"] = state_label
        return super().render(template, **kwargs)

    def after_model_change(self, form, model, is_created):
        """ "Save and submit" (or approve, request changes): the action right after the save, on the saved version."""
        super().after_model_change(form, model, is_created)
        action = request.form.get("_review_action")
        if action not in SAVE_ACTIONS:
            return
        live = db.session.get(type(model), model.revision_of_id) if model.revision_of_id else model
        try:
            transition(live, action, current_user, request.form.get("_review_comment", ""))
        except WorkflowError as exc:
            db.session.rollback()
            show_error(exc)
            return
        db.session.commit()
        flash(_("Done: %(action)s.", action=action_label(action)), "success")

    def get_save_return_url(self, model, is_created=False):
        live_id = model.revision_of_id or model.id
        return url_for("review.item", content_type=model.content_type, object_id=live_id)


def init_app(app):
    admin = app.extensions["portal_admin"]
    admin.add_view(ReviewView(name=_l("Review inbox"), endpoint="review", url="/admin/review"))
