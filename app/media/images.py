"""Responsive sizes of uploaded images: smaller copies in WebP and in the image's own format, for ``srcset``.

Made once, at upload (:func:`write_variants`, from the already cleaned image: no metadata, orientation applied),
next to the stored file as ``<token>-w<width>.<ext>``; pages pick them with ``<picture>``/``srcset``
(app/templates/_picture.html). Images uploaded before this existed simply have no variants.
"""

import io
import os
import re
import threading

from PIL import Image

WIDTHS = (480, 960, 1600)
VARIANT_RE = re.compile(r"^([0-9a-f]{32})-w(\d{2,4})\.(webp|jpg|png)$")
CONTENT_TYPES = {"webp": "image/webp", "jpg": "image/jpeg", "png": "image/png"}
_lock = threading.Lock()
_present = {}  # (root, stored_name) -> tuple of widths on disk


def variant_name(stored_name, width, ext):
    return f"{stored_name.rsplit('.', 1)[0]}-w{width}.{ext}"


def write_variants(root, stored_name, data):
    """Write the smaller copies of the stored image ``data``; return the names written."""
    ext = stored_name.rsplit(".", 1)[1]
    if ext not in ("jpg", "png"):
        return []
    written = []
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        sizes = [w for w in WIDTHS if w < image.width] + [image.width]
        for width in sizes:
            copy = image if width == image.width else image.resize(
                (width, max(1, round(image.height * width / image.width))), Image.LANCZOS
            )  # fmt: skip
            for fmt, target_ext, options in (
                ("WEBP", "webp", {"quality": 80, "method": 4}),
                ("JPEG" if ext == "jpg" else "PNG", ext,
                 {"quality": 82, "optimize": True, "progressive": True} if ext == "jpg" else {"optimize": True}),
            ):  # fmt: skip
                if width == image.width and target_ext == ext:
                    continue  # the stored file itself
                name = variant_name(stored_name, width, target_ext)
                out = io.BytesIO()
                copy.save(out, fmt, **options)
                with open(os.path.join(root, name), "xb") as fh:
                    fh.write(out.getvalue())
                written.append(name)
    with _lock:
        _present.pop((root, stored_name), None)
    return written


def all_names(root, stored_name):
    """Every variant file of ``stored_name`` on disk (to delete them with it)."""
    prefix = stored_name.rsplit(".", 1)[0] + "-w"
    try:
        return [n for n in os.listdir(root) if n.startswith(prefix) and VARIANT_RE.match(n)]
    except OSError:
        return []


def widths(root, media):
    """The widths that have variants of ``media`` on disk (remembered per process)."""
    if media.kind != "image" or not media.width or not media.stored_name:
        return ()
    key = (root, media.stored_name)
    with _lock:
        known = _present.get(key)
    if known is None:
        ext = media.stored_name.rsplit(".", 1)[1]
        sizes = [w for w in WIDTHS if w < media.width] + [media.width]
        known = tuple(
            w for w in sizes if os.path.isfile(os.path.join(root, variant_name(media.stored_name, w, "webp")))
        )
        if known and ext not in ("jpg", "png"):
            known = ()
        with _lock:
            if len(_present) > 20000:
                _present.clear()
            _present[key] = known
    return known
