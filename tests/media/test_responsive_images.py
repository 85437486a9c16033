"""Responsive images (issue 14): smaller WebP and JPEG copies made on upload, picked by srcset on the pages."""

import io
import re

from PIL import Image
from sqlalchemy import select

from app.core.models import Tenant
from app.core.timeutil import utcnow
from app.extensions import db
from app.media.storage import save_upload
from app.news.models import Article


class Upload(io.BytesIO):
    filename = "anh-hoi-nghi.jpg"


def _photo():
    """A 2000×1500 camera photo stored sideways (EXIF orientation 6) with a GPS-like comment."""
    image = Image.new("RGB", (2000, 1500), (30, 120, 200))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010E] = "Vị trí: 11.53, 106.88"
    buffer = Upload()
    image.save(buffer, "JPEG", exif=exif, quality=90)
    buffer.seek(0)
    return buffer


def _stored(app):
    with app.app_context():
        stc = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalar_one()
        media = save_upload(_photo(), stc)
        db.session.add(Article(tenant_id=stc.id, title="Hoi nghi", slug="hoi-nghi", state="published",
                               published_at=utcnow(), cover_id=media.id, body="<p>x</p>"))  # fmt: skip
        db.session.commit()
        return media.stored_name, media.width, media.height


def test_upload_makes_smaller_webp_and_jpeg_copies_upright_and_without_exif(app, client_for):
    name, width, height = _stored(app)
    assert (width, height) == (1500, 2000)  # orientation applied
    c = client_for("stc")
    for w in (480, 960):
        for ext, fmt in (("webp", "WEBP"), ("jpg", "JPEG")):
            response = c.get(f"/media/{name.rsplit('.', 1)[0]}-w{w}.{ext}")
            assert response.status_code == 200 and response.mimetype == f"image/{'jpeg' if ext == 'jpg' else ext}"
            image = Image.open(io.BytesIO(response.data))
            assert image.format == fmt and image.size == (w, round(2000 * w / 1500))
            assert not image.getexif()
    assert client_for("dongxoai").get(f"/media/{name.rsplit('.', 1)[0]}-w480.webp").status_code == 404


def test_pages_offer_srcset_sizes_and_dimensions(app, client_for):
    name, _, _ = _stored(app)
    html = client_for("stc").get("/news/hoi-nghi").get_data(as_text=True)
    token = name.rsplit(".", 1)[0]
    source = re.search(r'<source type="image/webp" srcset="([^"]+)" sizes="[^"]+">', html)
    assert source and f"/media/{token}-w480.webp 480w" in source.group(1)
    img = re.search(r"<img [^>]*srcset=\"[^\"]*" + token + r"[^>]*>", html).group(0)
    assert 'width="1500"' in img and 'height="2000"' in img and "sizes=" in img
    assert f"/media/{token}-w960.jpg 960w" in img
    listing = client_for("stc").get("/news/").get_data(as_text=True)
    assert 'loading="lazy"' in listing or f"{token}-w480.webp" in listing
