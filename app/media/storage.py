"""Checking and storing uploads: type from magic bytes, size limits, image re-encoding (R-05).

:func:`save_upload` is the one way files enter the system; every module uses it.
"""

import hashlib
import io
import os
import re
import unicodedata
import uuid
import warnings
import zipfile

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps

from app.core.errors import DomainError
from app.extensions import db
from app.media import images
from app.media.models import MediaFile

MB = 1024 * 1024
DEFAULT_LIMITS = {"image": 10 * MB, "audio": 50 * MB, "video": 200 * MB, "document": 20 * MB}
MAX_IMAGE_PIXELS = 40_000_000
THUMB_SIZE = (480, 480)


class MediaError(DomainError):
    """An upload refused, with a message that says why."""


def limits(config=None):
    """Byte limits per kind: ``DEFAULT_LIMITS`` overridden by the ``MEDIA_LIMITS`` setting."""
    config = current_app.config if config is None else config
    result = dict(DEFAULT_LIMITS)
    result.update(config.get("MEDIA_LIMITS") or {})
    return result


def sniff(head):
    """Return ``(kind, content_type, extension)`` from the first bytes of a file, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image", "image/jpeg", "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image", "image/png", "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image", "image/gif", "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image", "image/webp", "webp"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio", "audio/wav", "wav"
    if head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return "audio", "audio/mpeg", "mp3"
    if head.startswith(b"OggS"):
        return "audio", "audio/ogg", "ogg"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"M4A ", b"M4B "):
            return "audio", "audio/mp4", "m4a"
        if brand == b"qt  ":
            return "video", "video/quicktime", "mov"
        if brand in MP4_BRANDS:
            return "video", "video/mp4", "mp4"
        return None
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video", "video/webm", "webm"
    if head.startswith(b"%PDF-"):
        return "document", "application/pdf", "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "document", "application/msword", "doc"
    if head.startswith(b"PK\x03\x04"):
        return "document", "application/zip", "zip"  # refined by _office_type
    return None


MP4_BRANDS = {
    b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"M4V ", b"M4VH", b"M4VP",
    b"dash", b"3gp4", b"3gp5", b"3gp6", b"3g2a", b"f4v ", b"mmp4", b"MSNV", b"XAVC",
}  # fmt: skip

OFFICE_TYPES = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
}


def _office_type(data):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        return None
    if "[Content_Types].xml" in names:
        for prefix, result in OFFICE_TYPES.items():
            if any(n.startswith(prefix) for n in names):
                return result
    if "mimetype" in names:
        return "application/vnd.oasis.opendocument.text", "odt"
    return None


_MARKUP = re.compile(rb"<\s*(svg|html|!doctype|script|\?xml|body|iframe)", re.IGNORECASE)


def clean_name(filename):
    """A display name only: no directories, no control characters, NFC (never used as a path)."""
    name = unicodedata.normalize("NFC", filename or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    return name[:200] or "tep-tin"


def media_root():
    root = current_app.config["MEDIA_ROOT"]
    os.makedirs(root, exist_ok=True)
    return root


def _reencode_image(data, content_type):
    """Re-encode an image without EXIF; return ``(bytes, content_type, ext, width, height, thumb_bytes)``."""
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                probe.verify()
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise MediaError(_l("The image is too large in pixels."))
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise MediaError(_l("The image is too large in pixels.")) from None
        except MediaError:
            raise
        except Exception:  # noqa: BLE001 - Pillow raises many kinds for corrupt files
            raise MediaError(_l("The image file is damaged or not a real image.")) from None
    try:
        return _encode_clean(image, content_type)
    except (OSError, ValueError):
        raise MediaError(_l("The image file is damaged or not a real image.")) from None


def _encode_clean(image, content_type):
    """Encode pixels only: no EXIF, GPS, XMP, ICC or comments survive; also make the thumbnail."""
    image = ImageOps.exif_transpose(image)
    keep_alpha = image.mode in ("RGBA", "LA", "P", "PA") and content_type in ("image/png", "image/gif", "image/webp")
    if keep_alpha:
        image = image.convert("RGBA")
        fmt, content_type, ext, options = "PNG", "image/png", "png", {"optimize": True}
    else:
        image = image.convert("RGB")
        fmt, content_type, ext = "JPEG", "image/jpeg", "jpg"
        options = {"quality": 85, "optimize": True, "progressive": True}
    # A fresh image carries no metadata at all (``info`` would otherwise travel into some encoders).
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    out = io.BytesIO()
    clean.save(out, fmt, **options)
    thumb = clean.copy()
    thumb.thumbnail(THUMB_SIZE)
    thumb_out = io.BytesIO()
    thumb.save(thumb_out, fmt, **({"optimize": True} if keep_alpha else {"quality": 80, "optimize": True}))
    return out.getvalue(), content_type, ext, clean.width, clean.height, thumb_out.getvalue()


HEAD_BYTES = 4096
CHUNK = 1024 * 1024
# Audio and video are streamed to disk; images and documents are checked in memory (they are small).
STREAMED_KINDS = ("audio", "video")


def _too_large(limit):
    return MediaError(_l("The file is too large: at most %(mb)s MB for this type.", mb=round(limit / MB, 1)))


def _remove_quietly(*paths):
    for path in paths:
        try:
            os.remove(path)
        except OSError:
            pass


def save_upload(file_storage, tenant, user=None, allowed_kinds=None, alt="", caption=""):
    """Check and store an uploaded file for ``tenant``; return the new :class:`MediaFile` (flushed).

    The type comes from the content (magic bytes), never from the name or the browser's claim; the
    stored name is generated here and the display name is only :func:`clean_name` of the upload's.

    :param file_storage: a werkzeug ``FileStorage`` (or any object with ``filename`` and ``read``).
    :param allowed_kinds: limit to some of ``image``, ``audio``, ``video``, ``document``.
    :raise MediaError: empty, too large, unrecognised or forbidden content (SVG, HTML...).
    """
    byte_limits = limits()
    head = file_storage.read(HEAD_BYTES)
    if not head:
        raise MediaError(_l("The file is empty."))
    detected = sniff(head[:64])
    if detected is None:
        if _MARKUP.search(head):
            raise MediaError(_l("SVG, HTML and other markup files are not accepted."))
        raise MediaError(
            _l("This type of file is not accepted. Use JPEG, PNG, GIF, WebP, MP3, MP4, PDF, DOC(X) or XLS(X).")
        )
    kind, content_type, ext = detected
    if allowed_kinds and kind not in allowed_kinds:
        raise MediaError(_l("A file of type %(kind)s is not accepted here.", kind=kind))
    limit = byte_limits[kind]
    token = uuid.uuid4().hex
    root = media_root()
    if kind in STREAMED_KINDS:
        data = None
        size, sha256, temp_path = _stream_to_disk(file_storage, head, limit, root, token)
    else:
        data = head + file_storage.read(max(limit + 1 - len(head), 0))
        if len(data) > limit:
            raise _too_large(limit)
    if ext == "zip":
        office = _office_type(data)
        if office is None:
            raise MediaError(_l("Archives are not accepted; upload the document itself."))
        content_type, ext = office
    width = height = None
    thumb = None
    if kind == "image":
        data, content_type, ext, width, height, thumb = _reencode_image(data, content_type)
    stored_name = f"{token}.{ext}"
    thumb_name = f"{token}-thumb.{ext}" if thumb is not None else ""
    path = os.path.join(root, stored_name)
    thumb_path = os.path.join(root, thumb_name) if thumb_name else None
    try:
        if data is None:
            os.replace(temp_path, path)
        else:
            size, sha256 = len(data), hashlib.sha256(data).hexdigest()
            with open(path, "xb") as fh:
                fh.write(data)
        if thumb_path:
            with open(thumb_path, "xb") as fh:
                fh.write(thumb)
        if kind == "image":
            images.write_variants(root, stored_name, data)
        media = MediaFile(
            tenant_id=tenant.id,
            kind=kind,
            stored_name=stored_name,
            thumb_name=thumb_name,
            original_name=clean_name(getattr(file_storage, "filename", "")),
            content_type=content_type,
            size=size,
            width=width,
            height=height,
            sha256=sha256,
            alt=unicodedata.normalize("NFC", alt or "")[:500],
            caption=unicodedata.normalize("NFC", caption or "")[:500],
            uploaded_by_id=user.id if user is not None else None,
        )
        db.session.add(media)
        db.session.flush()
    except BaseException:
        _remove_quietly(path, *([thumb_path] if thumb_path else []))
        _remove_quietly(*(os.path.join(root, name) for name in images.all_names(root, stored_name)))
        if data is None:
            _remove_quietly(temp_path)
        raise
    return media


def _stream_to_disk(file_storage, head, limit, root, token):
    """Copy a large upload to a temporary file in ``root``, chunk by chunk, within ``limit`` bytes.

    :return: ``(size, sha256_hex, temp_path)``
    :raise MediaError: when the file is larger than ``limit``.
    """
    temp_path = os.path.join(root, f".upload-{token}")
    digest = hashlib.sha256()
    size = 0
    try:
        with open(temp_path, "xb") as fh:
            chunk = head
            while chunk:
                size += len(chunk)
                if size > limit:
                    raise _too_large(limit)
                digest.update(chunk)
                fh.write(chunk)
                chunk = file_storage.read(CHUNK)
    except BaseException:
        _remove_quietly(temp_path)
        raise
    return size, digest.hexdigest(), temp_path


def delete_files(media):
    """Remove a media file's stored file and thumbnail from disk (after its row is gone)."""
    root = current_app.config["MEDIA_ROOT"]
    _remove_quietly(*(os.path.join(root, name) for name in (media.stored_name, media.thumb_name) if name))
    if media.stored_name:
        _remove_quietly(*(os.path.join(root, name) for name in images.all_names(root, media.stored_name)))
