"""Outgoing email over SMTP (``MAIL_*`` settings); without ``MAIL_SERVER`` mail is written to the log."""

import logging
import re
import smtplib
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask import current_app

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


def send_mail(to, subject, body, reply_to=None, headers=None):
    """Send a plain-text message to one address or a list; never raises on delivery errors.

    Headers are made of single lines (a CR/LF in a title cannot add a ``Bcc:``) and an address that is not
    one plain address is left out; the body is ``text/plain`` only, so markup in it is shown, never rendered.

    :return: True when the message was handed to the SMTP server (or logged in development).
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
    msg["Message-ID"] = make_msgid(domain=cfg["MAIL_DEFAULT_SENDER"].split("@")[-1])
    if reply_to and _address(reply_to):
        msg["Reply-To"] = _address(reply_to)
    for name, value in (headers or {}).items():  # e.g. List-Unsubscribe (RFC 8058)
        msg[header_text(name).replace(" ", "-")] = header_text(value)
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
