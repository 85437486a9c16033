"""The redirects of one tenant (old path -> new path), used by the operations and by editors after they move
pages: checked so that a redirect never leaves its tenant, imported from and exported to CSV."""

import csv
import io
import unicodedata
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.core import audit
from app.core.errors import DomainError
from app.core.models import Redirect
from app.core.scoping import scoped
from app.extensions import db

MAX_PATH = 1000
CSV_COLUMNS = ("old_path", "new_path")


class RedirectError(DomainError):
    """A redirect that cannot be kept: not a path of this site, a loop, a malformed file."""


def clean_path(value, field="old_path"):
    """``value`` as a path of this site (``/news/x``), or raise: a host, a scheme, ``//host`` or ``\\`` would send
    visitors to another site."""
    text = unicodedata.normalize("NFC", str(value or "")).strip()
    parts = urlsplit(text)
    if (
        not text.startswith("/")
        or text.startswith(("//", "/\\"))
        or "\\" in text
        or parts.scheme
        or parts.netloc
        or any(ord(ch) < 32 for ch in text)
        or len(text) > MAX_PATH
    ):
        raise RedirectError(_l("Give a path of this site starting with / (no host, no scheme)."), field=field)
    return text


def is_local_path(value):
    try:
        clean_path(value)
    except RedirectError:
        return False
    return True


def save_redirect(tenant, old_path, new_path, actor=None, source="manual"):
    """Create or update ``tenant``'s redirect of ``old_path``; return it.

    :raise RedirectError: a path that is not this site's, or a redirect to itself.
    """
    old_path, new_path = clean_path(old_path, "old_path"), clean_path(new_path, "new_path")
    if old_path == new_path:
        raise RedirectError(_l("The new path is the old one."), field="new_path")
    row = db.session.execute(scoped(Redirect, tenant).where(Redirect.old_path == old_path)).scalars().first()
    if row is None:
        row = Redirect(tenant_id=tenant.id, old_path=old_path, new_path=new_path, source=source)
        db.session.add(row)
    else:
        row.new_path, row.source = new_path, source
    audit.record("redirect.save", old_path, f"-> {new_path}", user=actor, tenant=tenant)
    return row


def export_csv(tenant):
    """The tenant's redirects as CSV text (``old_path,new_path,source``)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*CSV_COLUMNS, "source"])
    for row in db.session.execute(scoped(Redirect, tenant).order_by(Redirect.old_path)).scalars():
        writer.writerow([row.old_path, row.new_path, row.source])
    return out.getvalue()


def import_csv(tenant, text, actor=None):
    """Add or update the redirects of a CSV (``old_path,new_path``); all or nothing. Return the count.

    :raise RedirectError: naming the first bad line.
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise RedirectError(_l("Missing columns: %(columns)s.", columns=", ".join(missing)), field="file")
    count = 0
    for number, line in enumerate(reader, start=2):
        try:
            save_redirect(tenant, line.get("old_path"), line.get("new_path"), actor, source="import")
        except RedirectError as exc:
            reason = _l("Line %(number)d: %(reason)s", number=number, reason=exc.message)
            raise RedirectError(reason, field="file") from None
        count += 1
    return count


def redirects_of(tenant):
    return db.session.execute(select(Redirect).where(Redirect.tenant_id == tenant.id)).scalars().all()
