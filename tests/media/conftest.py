"""Media fixtures: real image, PDF and bomb files made on the fly, and logged-in library clients."""

import io
import os
import struct
import zlib

import pytest
from PIL import Image
from sqlalchemy import select

from app.extensions import db
from app.media.models import MediaFile

LIBRARY = "/admin/media/"
UPLOAD = "/admin/media/upload"
JSON = {"Accept": "application/json"}


def jpeg_bytes(size=(64, 48), color=(200, 30, 30), exif=None):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG", **({"exif": exif} if exif is not None else {}))
    return out.getvalue()


def png_bytes(size=(40, 30), color=(0, 120, 200, 255)):
    out = io.BytesIO()
    Image.new("RGBA", size, color).save(out, "PNG")
    return out.getvalue()


def pdf_bytes(length=400):
    head, tail = b"%PDF-1.4\n1 0 obj <<>> endobj\n", b"\n%%EOF\n"
    return head + b"%" * (length - len(head) - len(tail)) + tail


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width=100_000, height=100_000):
    """A tiny valid-looking PNG that declares ``width`` x ``height`` pixels."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 64)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def upload_file(client, name, data, headers=None, page=LIBRARY):
    """POST one file to the library's upload endpoint, as the XMLHttpRequest does."""
    return upload_files(client, [(name, data)], headers=JSON if headers is None else headers, page=page)


def upload_files(client, files, headers=None, page=LIBRARY):
    token = client.csrf_token(page)
    payload = {"csrf_token": token, "files": [(io.BytesIO(data), name) for name, data in files]}
    return client.post(UPLOAD, data=payload, content_type="multipart/form-data", headers=headers or {})


def media_files(app):
    """Every file under MEDIA_ROOT (recursively), relative to it."""
    root = app.config["MEDIA_ROOT"]
    found = set()
    for folder, _dirs, names in os.walk(root):
        for name in names:
            found.add(os.path.relpath(os.path.join(folder, name), root))
    return found


def all_media(app):
    with app.app_context():
        rows = db.session.execute(select(MediaFile).order_by(MediaFile.id)).scalars().all()
        db.session.expunge_all()
        return rows


@pytest.fixture
def staff(client_for, make_user):
    """``staff("editor", "stc")``: a client on that tenant's host (or ``host_code``'s), logged in with that role."""

    def login(role, code="stc", host_code=None):
        email = make_user(role, "portal" if role in ("inspector", "province_admin") else code)
        client = client_for(host_code or code)
        response = client.login(email)
        assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
        return client

    return login


@pytest.fixture
def small_limits(app, monkeypatch):
    """Tiny per-kind limits so a test can be one byte over or exactly at one."""

    def set_limits(**limits):
        merged = dict(app.config["MEDIA_LIMITS"])
        merged.update(limits)
        monkeypatch.setitem(app.config, "MEDIA_LIMITS", merged)

    return set_limits


@pytest.fixture
def usage(app, monkeypatch):
    """``usage({media_id: count})`` makes the media library see that many (made-up) uses of each file."""
    from app.media import operations

    counts = {}
    real = operations.uses

    def fake_uses(tenant, media_ids=None):
        found = real(tenant, media_ids)
        for media_id, count in counts.items():
            if media_ids is None or media_id in media_ids:
                extra = [operations.Use("Test", f"Item {n}", None, None) for n in range(count)]
                found[media_id] = [*found.get(media_id, []), *extra]
        return found

    monkeypatch.setattr(operations, "uses", fake_uses)

    def set_counts(values):
        counts.clear()
        counts.update(values)

    return set_counts
