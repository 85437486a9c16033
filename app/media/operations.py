"""Media library operations: listing, usage counts, upload, edit and delete, each audited (R-05).

Views and the JSON browse endpoint stay thin and call these; every function takes the tenant
explicitly, and the acting user where something changes.
"""

import logging
import os
import shutil
import unicodedata
import uuid
from dataclasses import dataclass
from types import SimpleNamespace

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select

from app.auth.permissions import can_write, has_role, max_rank
from app.auth.roles import rank
from app.core import audit, fields
from app.core.fields import Kind
from app.core.limits import MAX_ID
from app.core.scoping import scope_filter_many, scoped
from app.extensions import db
from app.media.models import MEDIA_KINDS, MediaFile, search_key
from app.media.storage import MediaError, clean_name, delete_files, save_upload

log = logging.getLogger(__name__)


def files_by_ids(ids, tenant_id):
    """The tenant's media rows among ``ids``, in the order of ``ids`` (others' ids are dropped).

    Content stores media references as ids; this is how every module turns them back into files.
    """
    # An id no row can have (0, negative, beyond the INTEGER column) is dropped before it reaches the database.
    ids = [i for i in ids or [] if isinstance(i, int) and not isinstance(i, bool) and 0 < i <= MAX_ID]
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


@dataclass
class Use:
    """One row that uses a media file: what the media page lists."""

    label: str
    title: str
    edit_url: str | None
    row: object


def _media_columns(spec):
    return [f for f in spec.fields if f.kind in (Kind.MEDIA, Kind.MEDIA_LIST, Kind.RICH_TEXT) or f.media_in]


def uses(tenant, media_ids=None):
    """``{media_id: [Use, ...]}`` over every declared content type of ``tenant`` (live items and revisions).

    Usage comes from the declarations (``app.core.fields``): media fields, media lists, media ids inside
    structured fields, and images or links to ``/media/<name>`` inside rich text.
    """
    names = dict(db.session.execute(scoped(MediaFile, tenant, MediaFile.stored_name, MediaFile.id)).all())
    wanted = set(media_ids) if media_ids is not None else None
    found = {}
    for spec in fields.declared():
        if not _media_columns(spec) or not hasattr(spec.model, "tenant_id"):
            continue
        columns = _media_columns(spec)
        stmt = scoped(spec.model, tenant, spec.model.id, *(getattr(spec.model, f.name) for f in columns))
        matches = {}
        for row in db.session.execute(stmt):
            values = SimpleNamespace(**{f.name: row[i + 1] for i, f in enumerate(columns)})
            ids = set(fields.declared_media_ids(values, columns))
            ids |= {names[n] for n in fields.inline_media_names(values, columns) if n in names}
            if wanted is not None:
                ids &= wanted
            if ids:
                matches[row[0]] = ids
        if not matches:
            continue
        for item in db.session.execute(select(spec.model).where(spec.model.id.in_(matches))).scalars():
            use = Use(str(spec.label or spec.model.__name__), _title(item), _edit_url(spec, item), item)
            for media_id in matches[item.id]:
                found.setdefault(media_id, []).append(use)
    return found


def _title(row):
    for name in ("title", "name", "display_title"):
        value = getattr(row, name, None)
        if callable(value):
            value = value()
        if value:
            return str(value)
    return f"#{row.id}"


def _edit_url(spec, row):
    if spec.edit_url is None:
        return None
    try:
        return spec.edit_url(getattr(row, "revision_of", None) or row)
    except Exception:  # an URL the back office cannot build (no request) is only a missing link
        return None


def usage_counts(tenant):
    """``{media_id: number of items using it}`` for the media library's list."""
    return {media_id: len(rows) for media_id, rows in uses(tenant).items()}


def uses_of(media, tenant):
    """The rows that use ``media``."""
    return uses(tenant, [media.id]).get(media.id, [])


def copy_files_to(ids, tenant, actor=None):
    """Copy media files into ``tenant``'s library (proposals to the portal); return ``{old_id: new_id}``."""
    result = {}
    root = current_app.config["MEDIA_ROOT"]
    for media in db.session.execute(select(MediaFile).where(MediaFile.id.in_(set(ids)))).scalars():
        token = uuid.uuid4().hex
        ext = media.stored_name.rsplit(".", 1)[-1]
        stored = f"{token}.{ext}"
        thumb = f"{token}-thumb.{ext}" if media.thumb_name else ""
        try:
            shutil.copyfile(os.path.join(root, media.stored_name), os.path.join(root, stored))
            if thumb:
                shutil.copyfile(os.path.join(root, media.thumb_name), os.path.join(root, thumb))
        except OSError:
            log.warning("media file %s missing; not copied to tenant %s", media.stored_name, tenant.code)
            continue
        copy = MediaFile(
            tenant_id=tenant.id,
            kind=media.kind,
            stored_name=stored,
            thumb_name=thumb,
            original_name=media.original_name,
            content_type=media.content_type,
            size=media.size,
            width=media.width,
            height=media.height,
            sha256=media.sha256,
            alt=media.alt,
            caption=media.caption,
            uploaded_by_id=actor.id if actor else None,
        )
        db.session.add(copy)
        db.session.flush()
        result[media.id] = copy.id
    return result


def copy_item_media(source, copy, declared_fields, tenant, actor=None):
    """Give ``copy`` (in ``tenant``) its own copies of every file ``source`` uses, by the declared fields.

    Media fields and lists get the new ids; ``/media/<name>`` inside rich text is rewritten to the
    copied file, so inline pictures show on the new site too. Files that cannot be copied are dropped.
    """
    names = {}
    stored = {m.stored_name: m.id for m in files_by_ids(_inline_ids(source, declared_fields), source.tenant_id)}
    ids = fields.declared_media_ids(source, declared_fields) + list(stored.values())
    mapping = copy_files_to(ids, tenant, actor)
    new_names = dict(
        db.session.execute(
            select(MediaFile.id, MediaFile.stored_name).where(MediaFile.id.in_(list(mapping.values()) or [0]))
        ).all()
    )
    for old_name, old_id in stored.items():
        if old_id in mapping:
            names[old_name] = new_names[mapping[old_id]]
    for field in declared_fields:
        value = getattr(source, field.name, None)
        if field.kind == Kind.MEDIA:
            setattr(copy, field.name, mapping.get(value))
        elif field.kind == Kind.MEDIA_LIST:
            setattr(copy, field.name, [mapping[i] for i in value or [] if i in mapping])
        elif field.kind == Kind.RICH_TEXT and value:
            for old_name, new_name in names.items():
                value = value.replace(f"/media/{old_name}", f"/media/{new_name}")
            setattr(copy, field.name, value)
    return mapping


def _inline_ids(item, declared_fields):
    names = fields.inline_media_names(item, declared_fields)
    if not names:
        return []
    stmt = scoped(MediaFile, item.tenant_id, MediaFile.id).where(MediaFile.stored_name.in_(names))
    return list(db.session.execute(stmt).scalars())


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
    count = len(uses_of(media, tenant))
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


def reference_errors(item, declared_fields):
    """``{api name: message}`` for media references of ``item`` that are not its tenant's files of the right kind."""
    wanted = fields.declared_media_ids(item, declared_fields)
    rows = {m.id: m for m in files_by_ids(sorted(set(wanted)), item.tenant_id)}
    errors = {}
    for field in declared_fields:
        value = getattr(item, field.name, None)
        if field.kind == Kind.MEDIA:
            values = [value] if value else []
        elif field.kind == Kind.MEDIA_LIST:
            values = list(value or [])
        elif field.media_in is not None and value:
            values = list(field.media_in(value) or [])
        else:
            continue
        kinds = field.media_kinds or MEDIA_KINDS
        if any(v not in rows or rows[v].kind not in kinds for v in values):
            errors[field.key] = str(
                _l("Choose files of this site's media library of type %(kind)s.", kind=", ".join(kinds))
            )
    return errors


def declared_errors(item, spec):
    """``{api name: [messages]}`` for everything that stops ``item`` from being saved as it is: its declared
    field kinds, its media references and its type's own ``check`` (the back office and the API both ask this)."""
    from app.core.errors import DomainError

    errors = {key: [message] for key, message in fields.field_errors(item, spec.fields).items()}
    errors.update({key: [message] for key, message in reference_errors(item, spec.fields).items()})
    if spec.check is not None and not errors:
        try:
            with db.session.no_autoflush:
                spec.check(item)
        except DomainError as exc:
            errors = exc.fields or {"": [exc.message]}
    return errors
