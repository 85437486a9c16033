"""News pages with real content are valid HTML5 (W3C Nu validator) (R-33)."""

import json
import subprocess

from app.media.storage import save_upload
from tests.e2e.test_standards import VNU
from tests.news.conftest import Upload


def test_news_pages_are_valid_html5(publish, image, tenants, staff, client_for, tmp_path):
    """R-33, R-05: lists, article (with every kind of media), print view and home pass the Nu checker."""
    stc = tenants["stc"]
    cover, photo = image(), image(name="anh-2.jpg")
    audio = save_upload(Upload(b"ID3" + b"\x00" * 200, "ban-tin.mp3"), stc, staff["contributor"])
    video = save_upload(Upload(b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 200, "phong-su.mp4"), stc, staff["contributor"])
    pdf = save_upload(Upload(b"%PDF-1.4\n" + b"0" * 300, "du-toan.pdf"), stc, staff["contributor"])
    publish(
        title="Bài đầy đủ",
        title_en="Full article",
        summary_en="Summary",
        body_en="<p>Body</p>",
        featured=True,
        cover_id=cover.id,
        cover_caption="Chú thích",
        audio_id=audio.id,
        video_id=video.id,
        gallery=[photo.id],
        attachments=[pdf.id],
        body="<p>Đoạn <strong>một</strong></p><table><tr><th>A</th></tr><tr><td>1</td></tr></table>",
    )
    publish(title="Bài liên quan")
    for i in range(11):
        publish(title=f"Tin số {i}", category="chinh-tri")
    publish("stc", title="Tin gửi Cổng")
    paths = ["/", "/news/", "/news/?page=2", "/news/category/kinh-te", "/news/bai-day-du", "/news/bai-day-du/print",
             "/news/bai-lien-quan"]  # fmt: skip
    files = []
    for code in ("stc", "portal"):
        for i, path in enumerate(paths if code == "stc" else ["/"]):
            for lang in ("vi",) if "page=" in path else ("vi", "en"):
                response = client_for(code).get(path + ("&" if "?" in path else "?") + f"lang={lang}")
                assert response.status_code == 200, (code, path, lang)
                target = tmp_path / f"{code}-{i:02d}-{lang}.html"
                target.write_bytes(response.get_data())
                files.append(str(target))
    result = subprocess.run(
        ["java", "-jar", VNU, "--format", "json", "--exit-zero-always", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [
        f"{m['url'].rsplit('/', 1)[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages if m["type"] == "error"
    ]
    assert errors == [], "\n".join(errors[:40])
