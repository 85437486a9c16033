"""Fields that know what they are: the kinds a content type declares, and what each kind means on write.

A content type (``app.workflow.registry.ContentType``) lists its fields with a :class:`Kind` each.
Everything that used to be written per field and per module is derived from that list: cleaning on
every write path (:func:`clean_item`, run before every flush, so the back office, the API, imports
and the demo loader all pass through it), the checks that give a clear message (:func:`field_errors`),
the media a row uses (:func:`media_ids`), the search document, the revision copy, the API input
schema and the back-office form.
"""

import re
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email

from app.core.text import nfc, sanitize_html

# Only these schemes may be stored in a URL field or appear in a link of rich text.
SAFE_URL_SCHEMES = ("http", "https", "mailto")
# Inline media in rich text: ``<img src="/media/<stored_name>">`` (absolute or relative).
_INLINE_MEDIA = re.compile(r"""(?:src|href|poster)\s*=\s*["'](?:https?://[^/"']+)?/media/([A-Za-z0-9._-]+)["']""")


class Kind(StrEnum):
    """What a field holds; decides how it is cleaned, checked, searched, shown and edited."""

    TEXT = "text"  # plain text: Unicode NFC, trimmed, never HTML
    RICH_TEXT = "rich_text"  # HTML from the editor: sanitised on every write
    URL = "url"  # http, https or mailto only
    EMAIL = "email"
    DATETIME = "datetime"  # stored in UTC, entered and shown in Asia/Ho_Chi_Minh
    DATE = "date"
    MONEY = "money"  # Decimal, VND
    MEDIA = "media"  # one media file id of the same tenant
    MEDIA_LIST = "media_list"  # an ordered list of media file ids of the same tenant
    RELATION = "relation"  # a foreign key to another row of the same tenant
    CHOICE = "choice"
    FLAG = "flag"
    NUMBER = "number"
    TAGS = "tags"  # a list of short strings
    DATA = "data"  # structured JSON that its module parses (steps, rows, relations...)


TEXT_KINDS = (Kind.TEXT, Kind.RICH_TEXT, Kind.URL, Kind.EMAIL)


@dataclass(frozen=True)
class Field:
    """One declared field of a content type.

    :param name: the model attribute.
    :param kind: a :class:`Kind`.
    :param label: lazy-translated label (back-office form, diff, API description).
    :param api_name: the name in the JSON API when it differs (``cover`` for ``cover_id``).
    :param search: ``"title"``, ``"summary"`` or ``"body"``: weight in the search document, or None.
    :param lang: the language of the text (``en`` for the English version ``title_en``, R-06).
    :param personal: personal data (R-17): never in public output, erased on request.
    :param media_kinds: for MEDIA, MEDIA_LIST: the media kinds accepted (``("image",)``).
    :param required: must not be empty.
    :param max_length: for text kinds.
    :param choices: for CHOICE: ``(value, label)`` pairs.
    :param relation: for RELATION: the relationship attribute (``category`` for ``category_id``).
    :param media_in: for DATA: ``fn(value) -> media ids`` the structure refers to.
    :param revision: copied between a live item and its pending revision.
    :param form: shown in the back-office form of the type.
    :param api: accepted by the staff API.
    """

    name: str
    kind: Kind
    label: Any = None
    api_name: str | None = None
    search: str | None = None
    lang: str = "vi"
    personal: bool = False
    media_kinds: tuple = ()
    required: bool = False
    max_length: int | None = None
    choices: tuple = ()
    relation: str | None = None
    media_in: Any = None
    revision: bool = True
    form: bool = True
    api: bool = True
    description: Any = None

    @property
    def key(self):
        """The field's name in the API."""
        return self.api_name or self.name


def attachments(label=None, media_kinds=()):
    """The one list of files a type carries (``attachments`` in every module), named ``label`` in the form."""
    from flask_babel import lazy_gettext as _l

    return Field("attachments", Kind.MEDIA_LIST, label or _l("Attachments"), media_kinds=media_kinds)


def _cover():
    from flask_babel import lazy_gettext as _l

    return Field("cover_id", Kind.MEDIA, _l("Cover image"), api_name="cover", media_kinds=("image",))


def _slug():
    from flask_babel import lazy_gettext as _l

    # Chosen by staff or made from the title; the address stays with the live item (revisions have none).
    return Field("slug", Kind.TEXT, _l("Address (slug)"), max_length=200, revision=False, api=False)


def titled(summary=True, body=True, title_max=300, summary_max=5000, labels=None):
    """The title, summary and body most types have (searched in that order of weight).

    :param labels: ``{"title": ..., "summary": ..., "body": ...}`` where a type names them otherwise.
    """
    from flask_babel import lazy_gettext as _l

    names = {"title": _l("Title"), "summary": _l("Summary"), "body": _l("Body"), **(labels or {})}
    found = [Field("title", Kind.TEXT, names["title"], search="title", required=True, max_length=title_max)]
    if summary:
        found.append(Field("summary", Kind.TEXT, names["summary"], search="summary", max_length=summary_max))
    if body:
        found.append(Field("body", Kind.RICH_TEXT, names["body"], search="body"))
    return tuple(found)


def english(fields, labels=None):
    """The English versions (``<name>_en``) of ``fields`` (R-06): optional, searched in English.

    :param labels: ``{"body": ...}`` where a type names an English field otherwise.
    """
    from flask_babel import lazy_gettext as _l

    names = {"title": _l("Title (English)"), "summary": _l("Summary (English)"), "body": _l("Body (English)")}
    names.update(labels or {})
    return tuple(
        replace(f, name=f"{f.name}_en", label=names.get(f.name, f.label), lang="en", required=False, api_name=None)
        for f in fields
    )


ATTACHMENTS = attachments()
COVER = _cover()
SLUG = _slug()


def is_safe_url(value):
    """True for an empty value, a site-relative path or an http/https/mailto URL."""
    value = (value or "").strip()
    if not value:
        return True
    if any(ord(ch) < 32 for ch in value):
        return False
    parts = urlsplit(value)
    if not parts.scheme:
        # "/documents/12" or "#top"; "//evil" is protocol-relative and needs a host check we do not do.
        return value.startswith(("/", "#")) and not value.startswith("//")
    return parts.scheme.lower() in SAFE_URL_SCHEMES and (parts.scheme.lower() == "mailto" or bool(parts.netloc))


def normalise_email(value):
    """The address in its normal form, or raise ``ValueError`` with a message for people."""
    value = nfc(value or "").strip()
    if not value:
        return ""
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError:
        raise ValueError("invalid email") from None


def clean_value(field, value):
    """The stored form of ``value`` for ``field`` (NFC, sanitised, unsafe URLs dropped); never raises."""
    kind = field.kind
    if value is None:
        return None
    if kind == Kind.TEXT:
        return nfc(value).strip() if isinstance(value, str) else value
    if kind == Kind.RICH_TEXT:
        return sanitize_html(value) if isinstance(value, str) else ""
    if kind == Kind.URL:
        value = nfc(value).strip() if isinstance(value, str) else ""
        return value if is_safe_url(value) else ""
    if kind == Kind.EMAIL:
        return nfc(value).strip().lower() if isinstance(value, str) else ""
    if kind == Kind.MEDIA_LIST:
        return [int(i) for i in value or [] if _is_id(i)]
    if kind == Kind.MEDIA:
        return int(value) if _is_id(value) else None
    if kind == Kind.TAGS:
        return [nfc(t).strip() for t in value or [] if isinstance(t, str) and t.strip()]
    return value


def _is_id(value):
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value > 0
    return isinstance(value, str) and value.isdigit() and int(value) > 0


def clean_item(item, fields):
    """Clean every declared field of ``item`` in place (the last line of defence before a flush)."""
    for field in fields:
        if not hasattr(item, field.name):
            continue
        value = getattr(item, field.name)
        cleaned = clean_value(field, value)
        if cleaned != value:
            setattr(item, field.name, cleaned)


def field_errors(item, fields):
    """``{api name: message}`` for values that cannot be stored as given (URLs, emails, money, required)."""
    from flask_babel import gettext as _

    errors = {}
    for field in fields:
        value = getattr(item, field.name, None)
        if field.required and (value is None or (isinstance(value, str) and not value.strip())):
            errors[field.key] = _("This field is required.")
        elif field.kind == Kind.URL and not is_safe_url(value if isinstance(value, str) else ""):
            errors[field.key] = _("Enter a web address starting with http:// or https:// (or mailto:).")
        elif field.kind == Kind.EMAIL and value:
            try:
                normalise_email(value)
            except ValueError:
                errors[field.key] = _("Enter a valid email address.")
        elif field.kind == Kind.MONEY and value not in (None, ""):
            try:
                if Decimal(str(value)) < 0:
                    errors[field.key] = _("Enter an amount of zero or more.")
            except InvalidOperation:
                errors[field.key] = _("Enter an amount in VND.")
        elif field.max_length and isinstance(value, str) and len(value) > field.max_length:
            errors[field.key] = _("At most %(count)s characters.", count=field.max_length)
    return errors


def declared_media_ids(item, fields):
    """Media ids referred to by the MEDIA, MEDIA_LIST and DATA fields of ``item``, in field order."""
    ids = []
    for field in fields:
        value = getattr(item, field.name, None)
        if field.kind == Kind.MEDIA and _is_id(value):
            ids.append(int(value))
        elif field.kind == Kind.MEDIA_LIST:
            ids += [int(i) for i in value or [] if _is_id(i)]
        elif field.media_in is not None and value:
            ids += [int(i) for i in field.media_in(value) or [] if _is_id(i)]
    return ids


def inline_media_names(item, fields):
    """Stored names of media files that the rich text of ``item`` shows inline (``/media/<name>``)."""
    names = []
    for field in fields:
        if field.kind == Kind.RICH_TEXT:
            names += _INLINE_MEDIA.findall(getattr(item, field.name, None) or "")
    return names


# Every model with declared fields (reviewable types and the plain ones such as officials' biographies).
_DECLARED: dict = {}


@dataclass(frozen=True)
class Declared:
    """The fields of one model, with what the media library shows for a row that uses a file."""

    model: Any
    fields: tuple
    label: Any = None
    edit_url: Any = None  # fn(row) -> back-office URL
    check: Any = None  # fn(row): raise DomainError when the row cannot be saved as it is


def declare(model, fields, label=None, edit_url=None, check=None):
    """Declare the fields of ``model``: cleaned before every flush, checked on save, counted in media usage."""
    _DECLARED[model] = Declared(model, tuple(fields), label, edit_url, check)
    return _DECLARED[model]


def declared():
    return list(_DECLARED.values())


def declared_for(model):
    return _DECLARED.get(model)


def _clean_before_flush(session, flush_context, instances):
    """Every write path (back office, API, import, demo, shell) stores clean values: one place."""
    for obj in list(session.new) + list(session.dirty):
        spec = _DECLARED.get(type(obj))
        if spec is not None:
            clean_item(obj, spec.fields)


def _install():
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    if not event.contains(Session, "before_flush", _clean_before_flush):
        event.listen(Session, "before_flush", _clean_before_flush)


_install()
