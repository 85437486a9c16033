"""Question operations: receive (tracking code, routing, deadline), forward, answer, reminders, personal data.

Functions take the acting user where one acts, audit, and leave the commit to the caller.
"""

import logging
import re
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from app.auth.models import User
from app.auth.operations import active_members
from app.core import audit
from app.core.errors import DomainError
from app.core.mail import send_mail
from app.core.models import Tenant
from app.core.notices import notify
from app.core.scoping import scope_filter
from app.core.tenancy import tenant_url
from app.core.text import plain_text
from app.core.timeutil import isoformat, to_local, to_storage, utcnow
from app.core.workdays import add_working_days, holidays, is_working_day
from app.extensions import db
from app.moderation import personal_data, wordfilter
from app.questions.models import Answer, Question, QuestionStatus
from app.workflow import signals
from app.workflow.models import ReviewState, visible_filter
from app.workflow.operations import record_edit, transition

log = logging.getLogger(__name__)

# Tracking codes: no 0/O, 1/I/L, so they survive being read aloud or copied by hand.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
CONSENT_VERSION = "question-2026-11"
PURPOSE = _l(
    "Your name and contact details are used only by the agencies handling your case to answer you and "
    "tell you about its progress. They are never published. If you allow publication, the question and "
    "its answer appear on the site without your name or contact details. You may ask for your data to be erased."
)
# Settings (override in config): one comment per key.
DEFAULTS = {
    # Working days allowed to answer, per kind (Decree 43/2011 art. 17 as applied by the province).
    "QUESTION_DEADLINE_DAYS": {"question": 10, "feedback": 10, "petition": 10},
    # Working days before the deadline when the handling agency gets a reminder.
    "QUESTION_REMIND_DAYS_BEFORE": 2,
}
STAFF_ROLES = ("editor", "secretary", "deputy_head", "head")


class QuestionError(DomainError):
    """A step of a case refused (forwarding, answering), with a message for the staff."""


def new_tracking_code(now=None):
    """A short unguessable code such as ``HD-2026-7KQ4M9XA`` (about 40 random bits)."""
    year = to_local(now or utcnow()).year
    while True:
        code = f"HD-{year}-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if db.session.execute(select(Question.id).where(Question.tracking_code == code)).first() is None:
            return code


def normalise_code(code):
    return (code or "").strip().upper()


def deadline_for(kind, received_at):
    """The answer deadline: ``QUESTION_DEADLINE_DAYS[kind]`` working days after receipt, local time."""
    days = current_app.config.get("QUESTION_DEADLINE_DAYS", DEFAULTS["QUESTION_DEADLINE_DAYS"])
    local = to_local(received_at).replace(tzinfo=None)
    return to_storage(add_working_days(local, int(days.get(kind, 10))))


def agencies():
    """The sites a visitor may write to from the portal: every active one but the portal itself."""
    stmt = select(Tenant).where(Tenant.active.is_(True), Tenant.kind != "portal")
    return db.session.execute(stmt.order_by(Tenant.sort_order, Tenant.code)).scalars().all()


def find_agency(code):
    """The active agency (not the portal) with ``code``, or None."""
    stmt = select(Tenant).where(Tenant.code == str(code), Tenant.active.is_(True), Tenant.kind != "portal")
    return db.session.execute(stmt).scalars().first()


def receive(
    tenant,
    *,
    kind,
    title,
    body,
    name,
    email,
    phone="",
    address="",
    topic="",
    target_tenant=None,
    publish_allowed=False,
    consent=False,
    source="web",
):
    """Record a question asked on ``tenant``, as loaded by :class:`~app.questions.schemas.QuestionInputSchema`;
    return it (flushed). Asked on the portal, it waits for the portal's board (who may forward it); asked on
    a subsite, it goes to that agency. Its text is cleaned on the way in (``content.QUESTION``)."""
    now = utcnow()
    question = Question(
        tenant_id=tenant.id,
        origin_tenant_id=tenant.id,
        target_tenant_id=target_tenant.id if target_tenant is not None and tenant.is_portal else None,
        tracking_code=new_tracking_code(now),
        kind=kind,
        topic=topic,
        title=title,
        body=body,
        name=name,
        email=email,
        phone=phone,
        address=address,
        publish_allowed=bool(publish_allowed),
        consent_at=now if consent else None,
        consent_version=CONSENT_VERSION if consent else "",
        status=QuestionStatus.RECEIVED,
        filter_hits=wordfilter.check(tenant, title, body),
        source=source,
        received_at=now,
        due_at=deadline_for(kind, now),
    )
    db.session.add(question)
    db.session.flush()
    log.info("question %s received on %s", question.id, tenant.code)
    # In the transaction of the question itself: the receipt and the staff notice leave once it is stored.
    send_receipt(question)
    _notify_new(question, tenant)
    return question


def _notify_new(question, tenant):
    """Tell the staff of ``tenant`` (and its contact address) that a case waits for them."""
    link = tenant_url(tenant, "question_inbox.detail", question_id=question.id)
    with force_locale("vi"):
        subject = _("[%(site)s] New question waiting: %(title)s", site=tenant.code, title=question.title)
        text = _("A new question waits for your site: %(title)s", title=question.title)
    notify(_staff_users(tenant), tenant, "moderation", text, link, subject)


def send_receipt(question):
    """Email the asker their tracking code (in Vietnamese, the site's default language)."""
    if not question.email:
        return False
    origin = question.origin_tenant
    link = tenant_url(origin, "questions.track", code=question.tracking_code)
    with force_locale("vi"):
        subject = _("Your question was received: %(code)s", code=question.tracking_code)
        body = "\n".join(
            [
                _("Thank you for writing to %(site)s.", site=origin.name("vi")),
                _("Title: %(title)s", title=question.title),
                _("Tracking code: %(code)s", code=question.tracking_code),
                _("Follow your case here: %(link)s", link=link),
                _("Answer expected by: %(date)s", date=to_local(question.due_at).strftime("%d/%m/%Y")),
            ]
        )
    return send_mail(question.email, subject, body, key=f"question-receipt:{question.id}", tenant=origin)


def _contact(tenant):
    return [tenant.email] if tenant.email else []


def _staff_users(tenant):
    """The active staff members of ``tenant`` who handle cases."""
    return active_members(tenant, STAFF_ROLES)


def _staff_emails(tenant):
    """The addresses a case's notice goes to: the handling staff and the site's own address."""
    emails = {user.email for user in _staff_users(tenant)}
    if tenant.email:
        emails.add(tenant.email)
    return sorted(emails)


def forward(question, agency, actor, note=""):
    """The portal's board passes a case to the responsible agency, which sees it in its back office."""
    if agency is None or agency.is_portal or not agency.active:
        raise QuestionError(_l("Choose the agency responsible for the case."))
    if question.status == QuestionStatus.ANSWERED:
        raise QuestionError(_l("The case is already answered."), status=409)
    if pending_answer(question) is not None:
        raise QuestionError(_l("An answer is already being reviewed here."), status=409)
    source = question.tenant
    # Both: a loaded relationship is not refreshed by a change of the foreign key before the commit.
    question.tenant, question.tenant_id = agency, agency.id
    question.status = QuestionStatus.FORWARDED
    question.forwarded_at = utcnow()
    question.forwarded_by_id = actor.id
    question.forward_note = note or ""
    question.reminder_sent_at = None
    audit.record(
        "question.forward",
        target=f"question:{question.id}",
        detail=f"{source.code} -> {agency.code}",
        user=actor,
        tenant=source,
    )
    with force_locale("vi"):
        subject = _("[%(site)s] A case was forwarded to you: %(title)s", site=agency.code, title=question.title)
        body = "\n".join(
            [
                _("The editorial board of %(site)s forwarded a case to your agency.", site=source.name("vi")),
                question.title,
                question.forward_note,
                _("Deadline: %(date)s", date=to_local(question.due_at).strftime("%d/%m/%Y")),
                tenant_url(agency, "question_inbox.detail", question_id=question.id),
            ]
        )
        text = _("A case was forwarded to your agency: %(title)s", title=question.title)
    link = tenant_url(agency, "question_inbox.detail", question_id=question.id)
    notify(_staff_users(agency), agency, "moderation", text, link, subject, body, extra_emails=_contact(agency))
    return question


def pending_answer(question):
    stmt = select(Answer).where(
        Answer.question_id == question.id,
        Answer.revision_of_id.is_(None),
        Answer.state.notin_([ReviewState.REJECTED.value, ReviewState.ARCHIVED.value]),
    )
    return db.session.execute(stmt).scalars().first()


def answer(question, body, actor, submit=True):
    """Write the agency's answer as ``actor`` and send it into the tenant's review chain."""
    if not plain_text(body):
        raise QuestionError(_l("Write the answer."))
    if pending_answer(question) is not None:
        raise QuestionError(_l("An answer is already being reviewed here."), status=409)
    item = Answer(
        tenant_id=question.tenant_id, question_id=question.id, body=body, author_id=actor.id, state=ReviewState.DRAFT
    )
    db.session.add(item)
    record_edit(item, actor)
    db.session.flush()
    if submit:
        transition(item, "submit", actor)
    question.status = QuestionStatus.IN_PROGRESS
    return item


def published_answer(question):
    stmt = select(Answer).where(Answer.question_id == question.id, visible_filter(Answer))
    return db.session.execute(stmt.order_by(Answer.published_at.desc())).scalars().first()


def _on_published(item, **extra):
    """When an answer is published: the case is answered and the asker gets an email."""
    if not isinstance(item, Answer):
        return
    question = db.session.get(Question, item.question_id)
    if question is None:
        return
    first = question.status != QuestionStatus.ANSWERED
    question.status = QuestionStatus.ANSWERED
    question.answered_at = question.answered_at or utcnow()
    if first and question.email:
        origin = question.origin_tenant
        agency = item.tenant
        with force_locale("vi"):
            subject = _("Your question has been answered: %(code)s", code=question.tracking_code)
            body = "\n".join(
                [
                    _(
                        "%(agency)s has answered your question “%(title)s”.",
                        agency=agency.name("vi"),
                        title=question.title,
                    ),
                    "",
                    _as_text(item.body),
                    "",
                    _(
                        "Follow your case here: %(link)s",
                        link=tenant_url(origin, "questions.track", code=question.tracking_code),
                    ),
                ]
            )
        send_mail(question.email, subject, body, key=f"question-answered:{question.id}", tenant=origin)


def _as_text(html):
    """Rich text as the plain text of an email: a line per paragraph or line break, the typed lines kept."""
    lines = re.sub(r"(?i)<br\s*/?>|</(?:p|div|li|h[2-6]|blockquote|tr)>", "\n", html or "").split("\n")
    return "\n".join(plain_text(line) for line in lines).strip()


def public_questions(tenant):
    """``select`` of answered questions the asker allowed to publish, asked on or answered by ``tenant``."""
    stmt = (
        select(Question)
        .where(Question.status == QuestionStatus.ANSWERED, Question.publish_allowed.is_(True))
        .where(Question.id.in_(select(Answer.question_id).where(visible_filter(Answer))))
    )
    if tenant is not None:
        stmt = stmt.where(or_(scope_filter(Question, tenant), Question.origin_tenant_id == tenant.id))
    return stmt.order_by(Question.answered_at.desc(), Question.id.desc())


def find_by_code(code, tenant):
    """The case ``code`` if it was asked on, or is handled by, ``tenant`` (codes are case-insensitive)."""
    stmt = select(Question).where(Question.tracking_code == normalise_code(code))
    stmt = stmt.where(or_(scope_filter(Question, tenant), Question.origin_tenant_id == tenant.id))
    return db.session.execute(stmt).scalars().first()


def overdue(tenant=None, now=None):
    now = now or utcnow()
    stmt = select(Question).where(Question.status != QuestionStatus.ANSWERED, Question.due_at < now)
    if tenant is not None:
        stmt = stmt.where(scope_filter(Question, tenant))
    return db.session.execute(stmt.order_by(Question.due_at)).scalars().all()


def overview(now=None):
    """Per tenant: open, overdue and answered cases (the province admin's overview, R-12)."""
    now = now or utcnow()
    open_ = Question.status != QuestionStatus.ANSWERED
    rows = db.session.execute(
        select(
            Question.tenant_id,
            func.count().filter(open_),
            func.count().filter(open_, Question.due_at < now),
            func.count().filter(Question.status == QuestionStatus.ANSWERED),
        ).group_by(Question.tenant_id)
    ).all()
    tenants = {t.id: t for t in db.session.execute(select(Tenant)).scalars()}
    return sorted(((tenants[r[0]], r[1], r[2], r[3]) for r in rows), key=lambda r: (-r[2], -r[1], r[0].code))


def _working_days_before(deadline, days):
    """The moment ``days`` working days before ``deadline`` (local calendar)."""
    local = to_local(deadline).replace(tzinfo=None)
    holiday_set = holidays()
    while days > 0:
        local -= timedelta(days=1)
        if is_working_day(local.date(), holiday_set):
            days -= 1
    return to_storage(local)


def send_reminders(now=None):
    """Email the handling agency before each deadline and once more when a case becomes overdue (the
    province admins are told too). Idempotent: each reminder is sent once per case.

    :return: ``(reminders, overdue_notices)`` sent.
    """
    now = now or utcnow()
    before = int(current_app.config.get("QUESTION_REMIND_DAYS_BEFORE", DEFAULTS["QUESTION_REMIND_DAYS_BEFORE"]))
    reminders = notices = 0
    stmt = select(Question).where(Question.status != QuestionStatus.ANSWERED, Question.due_at.is_not(None))
    admins = sorted(
        db.session.execute(
            select(User.email).where(User.global_role == "province_admin", User.active.is_(True))
        ).scalars()
    )
    for q in db.session.execute(stmt).scalars().all():
        tenant = q.tenant
        link = tenant_url(tenant, "question_inbox.detail", question_id=q.id)
        due = to_local(q.due_at).strftime("%d/%m/%Y")
        if q.due_at < now and q.overdue_notified_at is None:
            with force_locale("vi"):
                subject = _("[%(site)s] Overdue: %(title)s", site=tenant.code, title=q.title)
                body = "\n".join([_("The answer to this case was due on %(date)s.", date=due), q.title, link])
            send_mail(_staff_emails(tenant) + admins, subject, body, tenant=tenant)
            q.overdue_notified_at = now
            q.reminder_sent_at = q.reminder_sent_at or now
            notices += 1
        elif q.due_at >= now and q.reminder_sent_at is None and _working_days_before(q.due_at, before) <= now:
            with force_locale("vi"):
                subject = _("[%(site)s] Reminder: answer due on %(date)s", site=tenant.code, date=due)
                body = "\n".join([_("This case must be answered by %(date)s.", date=due), q.title, link])
            send_mail(_staff_emails(tenant), subject, body, tenant=tenant)
            q.reminder_sent_at = now
            reminders += 1
    return reminders, notices


# Personal data: a case is found on the site handling it and on the site where it was asked.
def _on_site(model, tenant):
    return or_(scope_filter(model, tenant), model.origin_tenant_id == tenant.id)


def _personal(q):
    return {
        "tracking_code": q.tracking_code,
        "kind": q.kind,
        "title": q.title,
        "body": q.body,
        "name": q.name,
        "email": q.email,
        "phone": q.phone,
        "address": q.address,
        "publish_allowed": q.publish_allowed,
        "status": q.status,
        "received": isoformat(q.received_at),
    }


def erase_question(question, actor):
    """Blank the personal fields of one case; the case and its answer stay (R-17)."""
    question.name = question.email = question.phone = question.address = personal_data.ERASED
    question.erased_at = utcnow()
    audit.record("question.erase_personal_data", target=f"question:{question.id}", user=actor)


def init_app(app):
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    personal_data.register_rows("questions", Question, _personal, erase_question, where=_on_site)
    signals.item_published.connect(_on_published, weak=False)
