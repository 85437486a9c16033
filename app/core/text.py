"""Text helpers: Unicode NFC (R-07), unaccented Vietnamese slugs, and the one HTML sanitiser."""

import html as html_lib
import re
import unicodedata

import nh3

_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "div",
    "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "li",
    "ol", "p", "pre", "s", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "u", "ul", "audio", "video", "source", "track",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"title", "lang", "dir"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "scope", "headers"},
    "ol": {"start", "type"},
    "audio": {"src", "controls", "preload"},
    "video": {"src", "controls", "preload", "poster", "width", "height"},
    "source": {"src", "type"},
    "track": {"src", "kind", "srclang", "label"},
    "abbr": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def nfc(value):
    """Return ``value`` in Unicode NFC (None stays None)."""
    if value is None:
        return None
    return unicodedata.normalize("NFC", str(value))


def unaccent(value):
    """Strip Vietnamese diacritics: ``Đồng Xoài`` -> ``Dong Xoai``."""
    decomposed = unicodedata.normalize("NFD", nfc(value).translate(_D_MAP))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")


def slugify(value, max_length=120):
    """An unaccented, lower-case, hyphenated slug: ``Hội nghị tổng kết`` -> ``hoi-nghi-tong-ket``."""
    text = unaccent(value or "").lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text[:max_length].rstrip("-") or "bai-viet"


def sanitize_html(html):
    """Clean staff- or visitor-supplied rich text: no script, no event handlers, no javascript: URLs.

    Pasted Word markup loses its classes, styles and ``o:`` tags; links get ``rel=noopener``.
    """
    if not html:
        return ""
    cleaned = nh3.clean(
        nfc(html),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return cleaned


def plain_text(html, limit=None):
    """Text content of ``html`` (for summaries, feeds and search)."""
    text = html_lib.unescape(nh3.clean(html or "", tags=set()))
    text = re.sub(r"\s+", " ", text).strip()
    if limit and len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return text
