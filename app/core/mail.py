"""Outgoing email: :func:`send_mail` queues it in the outbox (app/core/outbox.py); the worker hands it to the SMTP
server of the ``MAIL_*`` settings with :func:`smtp_send` (without ``MAIL_SERVER`` it is written to the log)."""

import logging
import re
import smtplib
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid

from flask import current_app, has_request_context

from app.core import outbox

log = logging.getLogger(__name__)


# Line breaks and other control characters: in a header they would end it and start another (Bcc: ...).
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")
_ADDRESS = re.compile(r"[^@\s<>(),;:\"\[\]\\]+@[^@\s<>(),;:\"\[\]\\]+")


def header_text(value):
    """``value`` fit for one header line: every run of control characters (CR, LF...) becomes one space."""
    return _CONTROL.sub(" ", str(value or "")).strip()


def _address(value):
    """``value`` when it is one plain address (no name, no line break, no second address), else None."""
    value = (value or "").strip()
    return value if _ADDRESS.fullmatch(value) else None


def send_mail(to, subject, body, reply_to=None, headers=None, key=None, tenant=None):
    """Queue a plain-text message to one address or a list in the outbox, in the caller's transaction.

    The worker delivers it after the caller's commit (:mod:`app.core.outbox`); a rolled-back change sends nothing.
    Headers are made of single lines (a CR/LF in a title cannot add a ``Bcc:``) and an address that is not
    one plain address is left out; the body is ``text/plain`` only, so markup in it is shown, never rendered.

    :param key: one message per event (e.g. ``question-receipt:12``): a second call with the key queues nothing.
    :param tenant: the site the message belongs to (default: the request's), for the back office's list.
    :return: True when the message is queued (or was already, under ``key``).
    """
    given = {a for a in ([to] if isinstance(to, str) else to or ()) if a}
    recipients = sorted({addr for addr in map(_address, given) if addr})
    if len(recipients) < len(given):
        log.warning("mail: left out %d address(es) that are not plain addresses", len(given) - len(recipients))
    if not recipients:
        return False
    cfg = current_app.config
    msg = EmailMessage()
    msg["Subject"] = header_text(subject)
    msg["From"] = formataddr(("Cổng TTĐT tỉnh Bình Phước", cfg["MAIL_DEFAULT_SENDER"]))
    msg["To"] = ", ".join(recipients)
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=cfg["MAIL_DEFAULT_SENDER"].split("@")[-1])
    if reply_to and _address(reply_to):
        msg["Reply-To"] = _address(reply_to)
    for name, value in (headers or {}).items():  # e.g. List-Unsubscribe (RFC 8058)
        msg[header_text(name).replace(" ", "-")] = header_text(value)
    msg.set_content(body)
    outbox.queue(msg, recipients, key=key, tenant_id=_tenant_id(tenant))
    return True


def _tenant_id(tenant):
    if tenant is not None:
        return getattr(tenant, "id", tenant)
    if has_request_context():
        from app.core.tenancy import current_tenant

        return getattr(current_tenant, "id", None)
    return None


def smtp_send(raw, recipients):
    """Hand one queued message (its text as queued) to the SMTP server of ``MAIL_*``; raise on failure.

    Without ``MAIL_SERVER`` the message is written to the log (development) and counts as sent.
    """
    cfg = current_app.config
    if not cfg.get("MAIL_SERVER"):
        log.info("mail (not sent, no MAIL_SERVER) to=%s\n%s", recipients, raw)
        return
    with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=cfg.get("MAIL_TIMEOUT", 10)) as smtp:
        if cfg.get("MAIL_USE_TLS"):
            smtp.starttls()
        if cfg.get("MAIL_USERNAME"):
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
        smtp.sendmail(cfg["MAIL_DEFAULT_SENDER"], list(recipients), raw.encode("utf-8"))
