"""The periodic jobs and their schedule. Each job reads and writes the database only through the modules' public
operations; each is idempotent (a reminder, notice or digest is recorded as sent in the transaction that queues
its email), so a run cut short by a crash is simply done again by the next one.

Times are UTC (Viet Nam is UTC+7): 00:00 UTC is 07:00 in Binh Phuoc.
"""

import importlib
import logging

from huey import crontab

from app.core.mail import smtp_send
from app.core.outbox import deliver_due
from app.extensions import db

log = logging.getLogger(__name__)


def deliver_outbox():
    """Send the messages that are due (the worker also runs it right after each commit that queues mail)."""
    sent, failed = deliver_due(smtp_send)
    return f"{sent} sent, {failed} failed attempts"


def question_reminders():
    """R-12, R-15: reminders before each answer deadline, and the overdue escalation to the province admins."""
    from app.questions.operations import send_reminders

    reminders, notices = send_reminders()
    db.session.commit()
    return f"{reminders} reminders, {notices} overdue notices"


def review_deadlines():
    """R-12: the reviewers of an item past its review deadline are told once (per deadline)."""
    from app.workflow.notifications import to_reviewers_overdue
    from app.workflow.operations import is_own_work, overdue_items, reviewers_of_step, step_role

    count = 0
    for _ct, item in overdue_items():
        tenant = item.tenant
        users = [u for u in reviewers_of_step(tenant, step_role(item, tenant)) if not is_own_work(u, item)]
        count += bool(to_reviewers_overdue(item, tenant, users))
    db.session.commit()
    return f"{count} overdue notices"


def subscription_digests():
    """R-18: each confirmed subscriber gets the items published since their last digest."""
    from app.subscriptions.operations import send_digests

    sent = send_digests()
    db.session.commit()
    return f"{sent} digests"


def consultation_notices():
    """R-14: the drafting agency is told when a consultation opens and closes, and reminded to publish the outcome."""
    from app.consultations.operations import send_notices

    sent = send_notices()
    db.session.commit()
    return f"{sent} notices"


# The search index's public repair function: app/search names it; the first of these that exists is called.
SEARCH_REPAIR = (("app.search", "repair_index"), ("app.search", "reindex"), ("app.search.indexing", "reindex_all"))


def search_repair():
    """R-24: rebuild the search index from the published items (repairs rows a failed hook missed)."""
    for module_name, name in SEARCH_REPAIR:
        try:
            fn = getattr(importlib.import_module(module_name), name, None)
        except ImportError:
            fn = None
        if callable(fn):
            result = fn()
            db.session.commit()
            return f"{module_name}.{name}: {result!r}"[:500]
    log.warning("search repair: app.search offers none of %s", ", ".join(f"{m}.{n}" for m, n in SEARCH_REPAIR))
    return "no search repair function"


def weekly_backup():
    """R-26: a verified backup, then the retention (8 weekly, 12 monthly)."""
    from app.backup.schedule import scheduled_backup

    return scheduled_backup()


# name: (when, job, once per cluster). The outbox sweep runs on every worker: its rows are claimed one by one.
SCHEDULE = {
    "deliver_outbox": (crontab(), deliver_outbox, False),
    "question_reminders": (crontab(minute="5"), question_reminders, True),
    "review_deadlines": (crontab(minute="10"), review_deadlines, True),
    "subscription_digests": (crontab(minute="0", hour="0"), subscription_digests, True),
    "consultation_notices": (crontab(minute="30", hour="0"), consultation_notices, True),
    "search_repair": (crontab(minute="0", hour="20"), search_repair, True),
    "weekly_backup": (crontab(minute="0", hour="19", day_of_week="0"), weekly_backup, True),
}
