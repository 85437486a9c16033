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

from app.extensions import db
from app.media.models import MediaFile

MB = 1024 * 1024
DEFAULT_LIMITS = {"image": 10 * MB, "audio": 50 * MB, "video": 200 * MB, "document": 20 * MB}
MAX_IMAGE_PIXELS = 40_000_000
THUMB_SIZE = (480, 480)


class MediaError(ValueError):
    """An upload refused, with a message that says why."""


def _limits():
    limits = dict(DEFAULT_LIMITS)
    limits.update(current_app.config.get("MEDIA_LIMITS") or {})
    return limits


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
        return "video", "video/mp4", "mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video", "video/webm", "webm"
    if head.startswith(b"%PDF-"):
        return "document", "application/pdf", "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "document", "application/msword", "doc"
    if head.startswith(b"PK\x03\x04"):
        return "document", "application/zip", "zip"  # refined by _office_type
    return None


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
    image = ImageOps.exif_transpose(image)
    keep_alpha = image.mode in ("RGBA", "LA", "P") and content_type in ("image/png", "image/gif", "image/webp")
    out = io.BytesIO()
    if keep_alpha:
        image = image.convert("RGBA")
        image.save(out, "PNG", optimize=True)
        content_type, ext = "image/png", "png"
    else:
        image = image.convert("RGB")
        image.save(out, "JPEG", quality=85, optimize=True, progressive=True)
        content_type, ext = "image/jpeg", "jpg"
    thumb = image.copy()
    thumb.thumbnail(THUMB_SIZE)
    thumb_out = io.BytesIO()
    if keep_alpha:
        thumb.save(thumb_out, "PNG", optimize=True)
    else:
        thumb.convert("RGB").save(thumb_out, "JPEG", quality=80, optimize=True)
    return out.getvalue(), content_type, ext, image.width, image.height, thumb_out.getvalue()


def save_upload(file_storage, tenant, user=None, allowed_kinds=None, alt="", caption=""):
    """Check and store an uploaded file for ``tenant``; return the new :class:`MediaFile` (flushed).

    :param file_storage: a werkzeug ``FileStorage`` (or any object with ``filename`` and ``read``).
    :param allowed_kinds: limit to some of ``image``, ``audio``, ``video``, ``document``.
    :raise MediaError: empty, too large, unrecognised or forbidden content (SVG, HTML...).
    """
    limits = _limits()
    ceiling = max(limits.values())
    data = file_storage.read(ceiling + 1)
    if not data:
        raise MediaError(_l("The file is empty."))
    detected = sniff(data[:64])
    if detected is None:
        if _MARKUP.search(data[:4096]):
            raise MediaError(_l("SVG, HTML and other markup files are not accepted."))
        raise MediaError(
            _l("This type of file is not accepted. Use JPEG, PNG, GIF, WebP, MP3, MP4, PDF, DOC(X) or XLS(X).")
        )
    kind, content_type, ext = detected
    if ext == "zip":
        office = _office_type(data)
        if office is None:
            raise MediaError(_l("Archives are not accepted; upload the document itself."))
        content_type, ext = office
    if allowed_kinds and kind not in allowed_kinds:
        raise MediaError(_l("A file of type %(kind)s is not accepted here.", kind=kind))
    if len(data) > limits[kind]:
        raise MediaError(_l("The file is too large: at most %(mb)s MB for this type.", mb=round(limits[kind] / MB, 1)))
    width = height = None
    thumb = None
    if kind == "image":
        data, content_type, ext, width, height, thumb = _reencode_image(data, content_type)
    token = uuid.uuid4().hex
    stored_name = f"{token}.{ext}"
    root = media_root()
    with open(os.path.join(root, stored_name), "wb") as fh:
        fh.write(data)
    thumb_name = ""
    if thumb is not None:
        thumb_name = f"{token}-thumb.{ext}"
        with open(os.path.join(root, thumb_name), "wb") as fh:
            fh.write(thumb)
    media = MediaFile(
        tenant_id=tenant.id,
        kind=kind,
        stored_name=stored_name,
        thumb_name=thumb_name,
        original_name=clean_name(getattr(file_storage, "filename", "")),
        content_type=content_type,
        size=len(data),
        width=width,
        height=height,
        sha256=hashlib.sha256(data).hexdigest(),
        alt=alt,
        caption=caption,
        uploaded_by_id=user.id if user is not None else None,
    )
    db.session.add(media)
    db.session.flush()
    return media
