"""Media library operations: listing, usage counts, upload, edit and delete, each audited (R-05).

Views and the JSON browse endpoint stay thin and call these; every function takes the tenant
explicitly, and the acting user where something changes.
"""

import logging
import unicodedata

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select

from app.auth.permissions import can_write, has_role, max_rank
from app.auth.roles import rank
from app.core import audit, hooks
from app.core.scoping import scope_filter_many, scoped
from app.extensions import db
from app.media.models import MEDIA_KINDS, MediaFile, search_key
from app.media.storage import MediaError, clean_name, delete_files, save_upload

log = logging.getLogger(__name__)


def files_by_ids(ids, tenant_id):
    """The tenant's media rows among ``ids``, in the order of ``ids`` (others' ids are dropped).

    Content stores media references as ids; this is how every module turns them back into files.
    """
    ids = [i for i in ids or [] if isinstance(i, int) and not isinstance(i, bool)]
    if not ids:
        return []
    stmt = select(MediaFile).where(scope_filter_many(MediaFile, [tenant_id]), MediaFile.id.in_(ids))
    rows = {m.id: m for m in db.session.execute(stmt).scalars()}
    return [rows[i] for i in ids if i in rows]


def library_choices(tenant, kinds, limit=500):
    """``(id, label)`` choices of the tenant's files of ``kinds`` for back-office pickers, newest first."""
    stmt = scoped(MediaFile, tenant).where(MediaFile.kind.in_(kinds)).order_by(MediaFile.created_at.desc())
    rows = db.session.execute(stmt.limit(limit)).scalars()
    return [(m.id, m.caption or m.original_name or m.stored_name) for m in rows]


class MediaInUse(MediaError):
    """A file still used by content cannot be deleted."""


def can_upload(user, tenant):
    """Contributors and up (any membership; the province admin): the inspector never uploads."""
    return can_write(user, tenant)


def can_edit(user, tenant, media):
    """The uploader, or an editor and up, may change a file's alt text and caption."""
    if not can_write(user, tenant):
        return False
    return (
        media.uploaded_by_id == user.id
        or max_rank(user, tenant) >= rank("editor")
        or has_role(user, tenant, "tenant_admin")
    )


def can_delete(user, tenant):
    """Editors and up (and the province admin) may delete a file that nothing uses."""
    return can_write(user, tenant) and max_rank(user, tenant) >= rank("editor")


def usage_counts(tenant):
    """``{media_id: number of items using it}``, summed over every module's ``media_usage`` hook."""
    totals = {}
    for fn in hooks.collect("media_usage"):
        for media_id, count in (fn(tenant) or {}).items():
            totals[media_id] = totals.get(media_id, 0) + count
    return totals


def _like(text):
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search(tenant, q="", kind="", page=1, per_page=24):
    """One page of the tenant's files, newest first, matching every word of ``q`` in the name, alt text or caption.

    :return: ``(items, total)``
    """
    stmt = scoped(MediaFile, tenant)
    q = unicodedata.normalize("NFC", (q or "").strip())
    if q:
        # Every word, accents and case ignored; the plain name match also covers rows without search_text.
        words = [MediaFile.search_text.like(_like(word), escape="\\") for word in search_key(q).split()]
        stmt = stmt.where(or_(and_(*words), MediaFile.original_name.ilike(_like(q), escape="\\")))
    if kind in MEDIA_KINDS:
        stmt = stmt.where(MediaFile.kind == kind)
    total = db.session.execute(stmt.with_only_columns(func.count()).order_by(None)).scalar_one()
    page = max(int(page or 1), 1)
    rows = db.session.execute(
        stmt.order_by(MediaFile.created_at.desc(), MediaFile.id.desc()).limit(per_page).offset((page - 1) * per_page)
    ).scalars()
    return list(rows), total


def upload_files(files, tenant, user):
    """Store every acceptable file of ``files``; refuse the others one by one, saying why.

    :return: ``(stored, refused)``: the new :class:`MediaFile` rows, and ``(display_name, reason)`` pairs.
    """
    stored, refused = [], []
    for file_storage in files:
        if file_storage is None or not (file_storage.filename or "").strip():
            continue
        name = clean_name(file_storage.filename)
        try:
            media = save_upload(file_storage, tenant, user)
        except MediaError as exc:
            refused.append((name, str(exc)))
            log.info("upload refused: %s (%s) by %s on %s", name, exc, user.email, tenant.code)
            continue
        audit.record("media.upload", target=f"media:{media.id}", detail=media.original_name, user=user, tenant=tenant)
        stored.append(media)
    db.session.commit()
    for media in stored:
        log.info("media %s uploaded by %s on %s", media.id, user.email, tenant.code)
    return stored, refused


def update_details(media, user, tenant, alt, caption):
    """Change a file's alt text and caption (NFC, trimmed)."""
    media.alt = unicodedata.normalize("NFC", alt or "").strip()[:500]
    media.caption = unicodedata.normalize("NFC", caption or "").strip()[:500]
    audit.record("media.edit", target=f"media:{media.id}", detail=media.original_name, user=user, tenant=tenant)
    db.session.commit()


def delete_media(media, user, tenant):
    """Delete an unused file, row and stored files.

    :raise MediaInUse: when some item still uses it.
    """
    count = usage_counts(tenant).get(media.id, 0)
    if count:
        raise MediaInUse(_l("This file is used in %(count)s items; remove it from them first.", count=count))
    audit.record(
        "media.delete",
        target=f"media:{media.id}",
        detail=f"{media.original_name} ({media.stored_name})",
        user=user,
        tenant=tenant,
    )
    db.session.delete(media)
    db.session.commit()
    delete_files(media)
    log.info("media %s deleted by %s on %s", media.id, user.email, tenant.code)


def browse_item(media):
    """The JSON shape of one file for the staff rich-text editor's picker."""
    return {
        "id": media.id,
        "url": media.url,
        "thumb_url": media.thumb_url,
        "name": media.original_name or media.stored_name,
        "kind": media.kind,
        "alt": media.alt,
        "width": media.width,
        "height": media.height,
    }
