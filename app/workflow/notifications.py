"""Email to the reviewers of the next step and back to the author (R-09)."""

from flask import has_request_context
from flask_babel import gettext as _

from app.core.mail import send_mail
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
    send_mail([u.email for u in users], subject, body)


def to_author(item, tenant, event, comment="", also=()):
    from app.auth.models import User

    recipients = {u.email for u in also if u is not None}
    if item.author_id:
        author = db.session.get(User, item.author_id)
        if author is not None:
            recipients.add(author.email)
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
    if has_request_context():
        lines.append(_item_link(item, tenant))
    send_mail(sorted(recipients), subject, "\n".join(lines))
