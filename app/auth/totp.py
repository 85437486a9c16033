"""Time-based one-time passwords (RFC 6238) for the staff second factor (R-28)."""

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote

STEP = 30
DIGITS = 6


def new_secret():
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def _counter_code(secret, counter):
    key = base64.b32decode(secret + "=" * (-len(secret) % 8), casefold=True)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**DIGITS).zfill(DIGITS)


def code_at(secret, when=None):
    return _counter_code(secret, int((time.time() if when is None else when) // STEP))


def matching_counter(secret, code, when=None, window=1):
    """Return the time step that ``code`` belongs to (within ±window steps), or None."""
    code = "".join(ch for ch in str(code or "") if ch.isdigit())
    if len(code) != DIGITS:
        return None
    now = int((time.time() if when is None else when) // STEP)
    for counter in range(now - window, now + window + 1):
        if hmac.compare_digest(_counter_code(secret, counter), code):
            return counter
    return None


def provisioning_uri(secret, email, issuer="Binh Phuoc portal"):
    return f"otpauth://totp/{quote(issuer)}:{quote(email)}?secret={secret}&issuer={quote(issuer)}&digits={DIGITS}"
