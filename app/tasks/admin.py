"""Back office: the outbox (failed messages first, with "send again") and each user's notices (the badge)."""

from flask import flash, redirect, request, url_for
from flask_admin import BaseView, expose
from flask_admin.actions import action
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from app.admin.views import AccessMixin, TenantModelView
from app.core import notices, outbox
from app.core.tenancy import current_tenant
from app.extensions import db

STATUS_LABELS = {
    outbox.QUEUED: _l("Waiting"),
    outbox.SENDING: _l("Sending"),
    outbox.SENT: _l("Sent"),
    outbox.FAILED: _l("Failed"),
}


def _status(view, context, model, name):
    return STATUS_LABELS.get(model.status, model.status)


def _recipients(view, context, model, name):
    return ", ".join(model.recipients or ())


class OutboxView(TenantModelView):
    """``/admin/outbox/``: every message of the site (the province admin on the portal: of every site).

    Failed messages are listed first; "send again" puts the chosen ones back in the queue.
    """

    allowed_roles = ("tenant_admin",)
    can_create = False
    can_edit = False
    can_delete = False
    can_export = False
    can_view_details = True
    column_list = ("status", "subject", "recipients", "attempts", "last_error", "created_at", "sent_at")
    column_details_list = column_list + ("message_id", "next_attempt_at")
    column_default_sort = [("status", False), ("created_at", True)]
    column_filters = ("status", "created_at")
    column_searchable_list = ("subject",)
    column_formatters = {"status": _status, "recipients": _recipients}
    column_labels = {
        "status": _l("Status"),
        "subject": _l("Subject"),
        "recipients": _l("Recipients"),
        "attempts": _l("Attempts"),
        "last_error": _l("Last error"),
        "created_at": _l("Queued"),
        "sent_at": _l("Sent"),
        "message_id": _l("Message-ID"),
        "next_attempt_at": _l("Next attempt"),
    }

    def get_query(self):
        # Failed first: they are what the page is for.
        return super().get_query().order_by((outbox.OutboxMessage.status == outbox.FAILED).desc())

    @action("send_again", _l("Send again"), _l("Put the selected messages back in the queue?"))
    def action_send_again(self, ids):
        rows = [self.get_one(i) for i in ids]
        count = outbox.send_again(rows)
        db.session.commit()
        flash(ngettext("%(num)d message queued again.", "%(num)d messages queued again.", count), "success")


class NoticesView(AccessMixin, BaseView):
    """``/admin/notices/``: the signed-in user's notices on this site; the menu shows how many are unread."""

    def is_visible(self):
        return current_user.is_authenticated

    @expose("/")
    def index(self):
        count, rows = notices.unread(current_user, current_tenant._get_current_object(), limit=100)
        return self.render("admin/notices.html", count=count, rows=rows)

    @expose("/read", methods=["POST"])
    def mark_read(self):
        ids = request.form.getlist("notice", type=int) or None
        notices.mark_read(current_user, ids, current_tenant._get_current_object())
        db.session.commit()
        flash(_("Marked as read."), "success")
        return redirect(url_for(".index"))


def init_app(app):
    admin = app.extensions["portal_admin"]
    admin.add_view(
        OutboxView(outbox.OutboxMessage, db, name=_l("Outgoing email"), endpoint="outbox_admin", category=_l("System"))
    )
    admin.add_view(NoticesView(name=_l("My notices"), endpoint="notices", url="/admin/notices"))
