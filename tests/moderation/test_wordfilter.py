"""R-16: the word filter flags evasions (diacritics, case, spacing, zero-width, NFD, repeats) and never drops text."""

import unicodedata

import pytest

from app.moderation.wordfilter import check, find_hits, highlight, skeleton

TERMS = ["phản động", "lừa đảo"]


@pytest.mark.parametrize(
    "text",
    [
        "Bọn PHẢN ĐỘNG này",  # case
        "bọn phan dong này",  # no diacritics
        "bọn p.h.ả.n đ-ộ-n-g",  # dots and hyphens between letters
        "bọn p h ả n   đ ộ n g",  # spaces between letters
        "bọn ph\u200bản\u200d động",  # zero-width characters
        unicodedata.normalize("NFD", "bọn phản động"),  # decomposed input
        "bọn phhhảaaann đđộộnngg",  # repeated letters
        "bọn phan Dong",  # đ/d
        "trang web lừa-đảo",
    ],
)
def test_evasions_are_caught(text):
    """R-16: each evasion of a listed term is still found."""
    assert find_hits(text, TERMS), text


@pytest.mark.parametrize("text", ["Đề nghị sửa Điều 2 về phí và lệ phí", "phản hồi về đóng góp", ""])
def test_clean_text_has_no_hits(text):
    """R-16: ordinary Vietnamese text is not flagged."""
    assert find_hits(text, TERMS) == []


def test_hit_spans_map_back_to_the_original_text():
    """R-16: the highlighted span is the visitor's own spelling, escaped."""
    text = "Đây là <b>p.h.ả.n đ.ộ.n.g</b>!"
    hits = find_hits(text, TERMS)
    assert text[hits[0].start : hits[0].end] == "p.h.ả.n đ.ộ.n.g"
    html = str(highlight(text, TERMS))
    assert '<mark title="phản động">p.h.ả.n đ.ộ.n.g</mark>' in html
    assert "&lt;b&gt;" in html


def test_skeleton_removes_accents_spacing_and_repeats():
    assert skeleton("Đồng  Xoàiii")[0] == "dongxoai"


def test_global_and_tenant_terms(app, tenant):
    """R-16: global terms apply everywhere, a tenant's additions only on that tenant."""
    from app.extensions import db
    from app.moderation.models import FilterTerm

    portal, stc, dx = tenant("portal"), tenant("stc"), tenant("dongxoai")
    db.session.add(FilterTerm(tenant_id=portal.id, term="phản động", is_global=True))
    db.session.add(FilterTerm(tenant_id=stc.id, term="cá độ"))
    db.session.commit()
    assert check(stc, "ca do bong da", "phan dong") == ["cá độ", "phản động"]
    assert check(dx, "ca do bong da") == []
    assert check(dx, "PHAN DONG") == ["phản động"]
