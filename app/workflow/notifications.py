"""Notices (a back-office badge and an email through the outbox) to the reviewers of the next step and back to the
author and earlier approvers (R-09)."""

from flask import has_request_context
from flask_babel import gettext as _
from sqlalchemy import select

from app.core.notices import notify
from app.core.timeutil import to_local
from app.extensions import db
from app.workflow import registry


def _item_link(item, tenant):
    from app.core.tenancy import tenant_url

    object_id = item.revision_of_id or item.id
    try:
        return tenant_url(tenant, "review.item", content_type=item.content_type, object_id=object_id)
    except Exception:  # noqa: BLE001 - outside a request without the route: the title suffices
        return ""


def to_reviewers(item, tenant, role, users):
    """Tell ``users`` (the step's reviewers, chosen by the operations) that ``item`` waits for them."""
    if not users:
        return
    label = registry.for_item(item).label
    subject = _("[%(site)s] Waiting for your review: %(title)s", site=tenant.code, title=item.display_title())
    body = "\n".join(
        [
            _("An item is waiting for your review (step: %(role)s).", role=role),
            f"{label}: {item.display_title()}",
            _item_link(item, tenant),
        ]
    )
    notify(users, tenant, "review", f"{label}: {item.display_title()}", _item_link(item, tenant), subject, body)


def to_author(item, tenant, event, comment="", also=()):
    from app.auth.models import User

    recipients = {u.id: u for u in also if u is not None}
    if item.author_id:
        author = db.session.get(User, item.author_id)
        if author is not None:
            recipients[author.id] = author
    if not recipients:
        return
    messages = {
        "published": _("Your item has been approved and published."),
        "changes_requested": _("Changes were requested on an item you worked on."),
        "rejected": _("An item you worked on was rejected."),
    }
    subject = _("[%(site)s] %(title)s", site=tenant.code, title=item.display_title())
    lines = [messages[event], item.display_title()]
    if comment:
        lines += [_("Comment:"), comment]
    link = _item_link(item, tenant) if has_request_context() else ""
    if link:
        lines.append(link)
    users = sorted(recipients.values(), key=lambda u: u.email)
    notify(users, tenant, event, f"{messages[event]} {item.display_title()}", link, subject, "\n".join(lines))


def to_reviewers_overdue(item, tenant, users):
    """Tell ``users`` (the reviewers of ``item``'s step) that its review deadline has passed, once per deadline.

    :return: True when a notice was queued now.
    """
    from app.core.outbox import OutboxMessage

    key = f"review-overdue:{item.content_type}:{item.id}:{item.due_at:%Y%m%d%H%M}"
    if not users or db.session.execute(select(OutboxMessage.id).where(OutboxMessage.key == key)).first() is not None:
        return False
    label = registry.for_item(item).label
    subject = _("[%(site)s] Review overdue: %(title)s", site=tenant.code, title=item.display_title())
    text = _("The review of this item was due on %(date)s.", date=to_local(item.due_at).strftime("%d/%m/%Y %H:%M"))
    link = _item_link(item, tenant)
    body = "\n".join([text, f"{label}: {item.display_title()}", link])
    notify(users, tenant, "review", f"{text} {label}: {item.display_title()}", link, subject, body, key=key)
    return True
