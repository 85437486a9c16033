"""Outgoing email over SMTP (``MAIL_*`` settings); without ``MAIL_SERVER`` mail is written to the log."""

import logging
import smtplib
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask import current_app

log = logging.getLogger(__name__)


def send_mail(to, subject, body, reply_to=None, headers=None):
    """Send a plain-text message to one address or a list; never raises on delivery errors.

    :return: True when the message was handed to the SMTP server (or logged in development).
    """
    recipients = [to] if isinstance(to, str) else sorted({addr for addr in to if addr})
    if not recipients:
        return False
    cfg = current_app.config
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = formataddr(("Cổng TTĐT tỉnh Bình Phước", cfg["MAIL_DEFAULT_SENDER"]))
    msg["To"] = ", ".join(recipients)
    msg["Message-ID"] = make_msgid(domain=cfg["MAIL_DEFAULT_SENDER"].split("@")[-1])
    if reply_to:
        msg["Reply-To"] = reply_to
    for name, value in (headers or {}).items():  # e.g. List-Unsubscribe (RFC 8058)
        msg[name] = value
    msg.set_content(body)
    if not cfg.get("MAIL_SERVER"):
        log.info("mail (not sent, no MAIL_SERVER) to=%s subject=%s\n%s", recipients, subject, body)
        return True
    try:
        with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=10) as smtp:
            if cfg.get("MAIL_USE_TLS"):
                smtp.starttls()
            if cfg.get("MAIL_USERNAME"):
                smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        log.error("mail to %s failed: %s", recipients, exc)
        return False
    return True
