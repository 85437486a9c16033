"""R-05: limits come from MEDIA_LIMITS, and the request limit leaves room for a 200 MB video."""

import io
import os

from app import create_app
from app.extensions import db
from app.media.storage import DEFAULT_LIMITS, MB, limits, save_upload
from tests.media.conftest import all_media


def test_default_limits(app):
    """R-05: 10 MB images, 200 MB video, 20 MB documents, 50 MB audio by default."""
    assert DEFAULT_LIMITS == {"image": 10 * MB, "video": 200 * MB, "document": 20 * MB, "audio": 50 * MB}
    with app.app_context():
        assert limits() == DEFAULT_LIMITS


def test_request_limit_follows_the_largest_media_limit(tmp_path):
    """R-05: a larger configured video limit raises MAX_CONTENT_LENGTH so such a video is not refused."""
    other = create_app(
        "testing",
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db", "MEDIA_LIMITS": {"video": 500 * MB}},
    )
    assert other.config["MAX_CONTENT_LENGTH"] > 500 * MB


class _Video(io.RawIOBase):
    """A 200 MB MP4-looking stream produced on the fly (no 200 MB in memory)."""

    def __init__(self, size):
        self.left = size
        self.head = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
        self.filename = "phong-su.mp4"

    def read(self, n=-1):
        n = self.left if n is None or n < 0 else min(n, self.left)
        chunk, self.head = self.head[:n], self.head[n:]
        chunk += b"\x00" * (n - len(chunk))
        self.left -= n
        return chunk


def test_a_200_mb_video_is_accepted(app, tenant):
    """R-05: a video of exactly 200 MB passes both the request limit and the video limit."""
    assert app.config["MAX_CONTENT_LENGTH"] > 200 * MB
    media = save_upload(_Video(200 * MB), tenant("stc"))
    assert (media.kind, media.size) == ("video", 200 * MB)
    db.session.commit()
    assert [m.size for m in all_media(app)] == [200 * MB]
    os.remove(os.path.join(app.config["MEDIA_ROOT"], media.stored_name))
