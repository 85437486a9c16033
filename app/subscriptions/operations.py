"""Following (signed cookie), subscriptions (double opt-in, one-click unsubscribe) and digests (R-18)."""

import logging

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer
from sqlalchemy import or_, select
from werkzeug.routing import BuildError

from app.core import audit
from app.core.mail import send_mail
from app.core.models import Tenant
from app.core.scoping import scope_filter_many
from app.core.tenancy import get_portal, tenant_home_url, tenant_url
from app.core.timeutil import isoformat, utcnow
from app.extensions import db
from app.moderation import personal_data
from app.subscriptions.models import Subscription
from app.workflow.models import visible_filter

log = logging.getLogger(__name__)

COOKIE = "follow"
COOKIE_MAX_AGE = 365 * 24 * 3600
MAX_FOLLOWS = 60
CONFIRM_MAX_AGE = 7 * 24 * 3600
CONSENT_VERSION = "subscription-2026-11"
PURPOSE = _l(
    "Your email address is used only to send you the updates you chose. It is never published or shared. "
    "Every message has a link to unsubscribe at once."
)


def topics():
    """Followable topics: the news categories every site uses (slug, vi, en)."""
    from app.news.models import DEFAULT_CATEGORIES

    return DEFAULT_CATEGORIES


def agencies():
    return (
        db.session.execute(select(Tenant).where(Tenant.active.is_(True)).order_by(Tenant.sort_order, Tenant.code))
        .scalars()
        .all()
    )


def _serializer(salt):
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt)


def read_follows(cookie_value):
    """``(tenant codes, topic slugs)`` from the signed cookie; empty when missing or tampered with."""
    try:
        data = _serializer("follow").loads(cookie_value or "")
    except BadSignature:
        return [], []
    if not isinstance(data, dict):
        return [], []
    codes = [c for c in data.get("t", []) if isinstance(c, str)][:MAX_FOLLOWS]
    slugs = [s for s in data.get("c", []) if isinstance(s, str)][:MAX_FOLLOWS]
    return codes, slugs


def follows_cookie(codes, slugs):
    valid_codes = {t.code for t in agencies()}
    valid_slugs = {slug for slug, _vi, _en in topics()}
    codes = sorted({c for c in codes if c in valid_codes})[:MAX_FOLLOWS]
    slugs = sorted({s for s in slugs if s in valid_slugs})[:MAX_FOLLOWS]
    return _serializer("follow").dumps({"t": codes, "c": slugs}), codes, slugs


def _article_url(tenant, article):
    try:
        return tenant_url(tenant, "news.article", slug=article.slug)
    except BuildError:  # the news pages are not served: the site's home
        return tenant_home_url(tenant)


def recent_items(codes, slugs, since=None, until=None, limit=30):
    """Published news of the followed agencies and topics, newest first: ``[(article, tenant, url)]``."""
    from app.news.models import Article, Category

    if not codes and not slugs:
        return []
    tenants = {t.id: t for t in db.session.execute(select(Tenant)).scalars()}
    ids = [tid for tid, t in tenants.items() if t.code in codes]
    conditions = []
    if ids:
        conditions.append(scope_filter_many(Article, ids))
    if slugs:
        conditions.append(Article.category_id.in_(select(Category.id).where(Category.slug.in_(slugs))))
    stmt = select(Article).where(visible_filter(Article), or_(*conditions))
    if since is not None:
        stmt = stmt.where(Article.published_at > since)
    if until is not None:
        stmt = stmt.where(Article.published_at <= until)
    stmt = stmt.order_by(Article.published_at.desc().nulls_last(), Article.id.desc()).limit(limit)
    return [
        (a, tenants[a.tenant_id], _article_url(tenants[a.tenant_id], a)) for a in db.session.execute(stmt).scalars()
    ]


def new_consultations(codes, since=None, until=None, limit=30):
    """Consultations published since ``since`` on the followed agencies (every agency when none is followed)."""
    from app.consultations.models import Consultation

    tenants = {t.id: t for t in db.session.execute(select(Tenant)).scalars()}
    stmt = select(Consultation).where(visible_filter(Consultation))
    if codes:
        stmt = stmt.where(scope_filter_many(Consultation, [t for t in tenants.values() if t.code in codes]))
    if since is not None:
        stmt = stmt.where(Consultation.published_at > since)
    if until is not None:
        stmt = stmt.where(Consultation.published_at <= until)
    stmt = stmt.order_by(Consultation.published_at.desc()).limit(limit)
    return [
        (c, tenants[c.tenant_id], tenant_url(tenants[c.tenant_id], "consultations.detail", consultation_id=c.id))
        for c in db.session.execute(stmt).scalars()
    ]


def confirm_token(subscription):
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="subscribe-confirm").dumps(subscription.id)


def unsubscribe_token(subscription):
    return _serializer("unsubscribe").dumps(subscription.id)


def load_confirm_token(token):
    try:
        ident = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="subscribe-confirm").loads(
            token, max_age=CONFIRM_MAX_AGE
        )
    except (BadSignature, SignatureExpired):
        return None
    return db.session.get(Subscription, ident) if isinstance(ident, int) else None


def load_unsubscribe_token(token):
    try:
        ident = _serializer("unsubscribe").loads(token)
    except BadSignature:
        return None
    return db.session.get(Subscription, ident) if isinstance(ident, int) else None


def _portal():
    return get_portal()


def unsubscribe_headers(subscription):
    url = tenant_url(_portal(), "subscriptions.unsubscribe", token=unsubscribe_token(subscription))
    return url, {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def subscribe(tenant, email, codes, slugs, consultations, consent):
    """Record a pending subscription and email the confirmation link (double opt-in)."""
    sub = Subscription(
        tenant_id=tenant.id,
        email=email.strip().lower(),
        tenants=codes,
        topics=slugs,
        consultations=bool(consultations),
        consent_at=utcnow() if consent else None,
        consent_version=CONSENT_VERSION if consent else "",
    )
    db.session.add(sub)
    db.session.flush()
    link = tenant_url(tenant, "subscriptions.confirm", token=confirm_token(sub))
    with force_locale("vi"):
        subject = _("Confirm your subscription")
        body = "\n".join(
            [
                _(
                    "Someone (we hope you) asked to receive updates from %(site)s at this address.",
                    site=tenant.name("vi"),
                ),
                _("To confirm, open this link within 7 days:"),
                link,
                _("If you did not ask for it, ignore this message: nothing will be sent."),
            ]
        )
    send_mail(sub.email, subject, body)
    return sub


def confirm(sub):
    if sub.confirmed_at is None:
        sub.confirmed_at = utcnow()
        sub.last_sent_at = sub.confirmed_at
    sub.unsubscribed_at = None
    return sub


def unsubscribe(sub):
    if sub.unsubscribed_at is None:
        sub.unsubscribed_at = utcnow()
    return sub


def send_digests(now=None):
    """Queue for each active subscription the items published since its last digest; return messages queued.

    Idempotent: a second run at once finds nothing new (``last_sent_at`` moves to ``now`` every run). The digest
    goes into the outbox in the transaction that moves ``last_sent_at``: one digest per period, retried until
    delivered (the worker runs this daily, ``app/tasks/jobs.py``).
    """
    now = now or utcnow()
    sent = 0
    subs = (
        db.session.execute(
            select(Subscription).where(Subscription.confirmed_at.is_not(None), Subscription.unsubscribed_at.is_(None))
        )
        .scalars()
        .all()
    )
    for sub in subs:
        since = sub.last_sent_at or sub.confirmed_at
        news = recent_items(sub.tenants or [], sub.topics or [], since=since, until=now, limit=50)
        consultations = new_consultations(sub.tenants or [], since=since, until=now) if sub.consultations else []
        sub.last_sent_at = now
        if not news and not consultations:
            continue
        url, headers = unsubscribe_headers(sub)
        with force_locale("vi"):
            lines = [_("New on the sites you follow:"), ""]
            for article, tenant, link in news:
                lines += [f"- {article.title} ({tenant.name('vi')})", f"  {link}"]
            if consultations:
                lines += ["", _("New drafts open for comment:")]
                for c, tenant, link in consultations:
                    lines += [f"- {c.title} ({tenant.name('vi')})", f"  {link}"]
            lines += ["", _("Unsubscribe: %(url)s", url=url)]
            subject = _("Updates from the Binh Phuoc portal")
        if send_mail(sub.email, subject, "\n".join(lines), headers=headers):
            sent += 1
    return sent


# Personal data.
def _personal(s):
    return {
        "email": s.email,
        "tenants": s.tenants,
        "topics": s.topics,
        "consultations": s.consultations,
        "created": isoformat(s.created_at),
        "confirmed": isoformat(s.confirmed_at),
        "unsubscribed": isoformat(s.unsubscribed_at),
    }


def _erase(subscription, actor):
    """A subscription is nothing but personal data: it is deleted."""
    audit.record("subscription.erase", target=f"subscription:{subscription.id}", user=actor)
    db.session.delete(subscription)


def init_app(app):
    personal_data.register_rows("subscriptions", Subscription, _personal, _erase)
