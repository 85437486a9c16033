"""Interface language and catalogue completeness (R-06, R-07)."""

import os
import subprocess
import sys

from babel.messages.pofile import read_po

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")


def test_vietnamese_is_the_default(client_for):
    """R-06: Vietnamese by default, with <html lang> and hreflang links."""
    html = client_for("stc").get("/").get_data(as_text=True)
    assert '<html lang="vi">' in html
    assert "Trang chủ" in html and "Tin tức" in html
    assert 'hreflang="en"' in html and 'hreflang="vi"' in html


def test_lang_switch_is_remembered(client_for):
    """R-06: ?lang=en switches the whole interface and the choice is remembered."""
    c = client_for("stc")
    first = c.get("/?lang=en")
    assert "lang=en" in first.headers.get("Set-Cookie", "")
    html = first.get_data(as_text=True)
    assert '<html lang="en">' in html and "Department of Finance" in html and "Home" in html
    again = c.get("/contact").get_data(as_text=True)
    assert '<html lang="en">' in again and "Contact us" in again
    back = c.get("/?lang=vi").get_data(as_text=True)
    assert '<html lang="vi">' in back and "Sở Tài chính" in back


def test_error_pages_in_both_languages(client_for):
    """R-06: HTML error pages follow the language."""
    c = client_for("stc")
    vi = c.get("/khong-co-trang-nay")
    assert vi.status_code == 404 and "Trang bạn tìm không tồn tại" in vi.get_data(as_text=True)
    en = c.get("/no-such-page?lang=en")
    assert en.status_code == 404 and "The page you are looking for does not exist" in en.get_data(as_text=True)


def _catalogue(lang):
    with open(os.path.join(ROOT, "translations", lang, "LC_MESSAGES", "messages.po"), "rb") as fh:
        return read_po(fh, locale=lang)


def test_catalogues_are_complete(tmp_path):
    """R-06: every string of the source is in the catalogues, translated in vi and en, none fuzzy."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l",
         "-k", "lazy_gettext", "-k", "FormMessage", "-o", str(pot), "--no-location", "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    with open(pot, "rb") as fh:
        source_ids = {m.id for m in read_po(fh) if m.id}
    assert len(source_ids) > 50
    for lang in ("vi", "en"):
        catalogue = _catalogue(lang)
        translated = {m.id for m in catalogue if m.id and m.string and "fuzzy" not in m.flags}
        missing = sorted(str(i) for i in source_ids - translated)
        assert not missing, f"{lang}: untranslated strings: {missing[:20]}"


def test_vietnamese_catalogue_is_nfc():
    """R-07: translations are stored in Unicode NFC."""
    import unicodedata

    for m in _catalogue("vi"):
        for text in m.string if isinstance(m.string, tuple) else (m.string,):
            if text:
                assert unicodedata.normalize("NFC", text) == text, m.id
