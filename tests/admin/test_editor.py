"""The staff rich-text editor: vendored, licensed, on every back-office page; Word paste cleaned (R-05, R-33)."""

from pathlib import Path

from app.core.text import sanitize_html

VENDOR = Path(__file__).resolve().parents[2] / "app" / "static" / "vendor" / "quill"

WORD_PASTE = """<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]-->
<p class=MsoNormal style='margin-bottom:0cm;line-height:normal;mso-layout-grid-align:none'><b><span
style='font-size:13.0pt;font-family:"Times New Roman",serif;mso-fareast-font-family:"Times New Roman"'>Thông báo
kết quả thẩm định dự toán<o:p></o:p></span></b></p>
<p class=MsoListParagraphCxSpFirst style='text-indent:-18.0pt;mso-list:l0 level1 lfo1'><![if !supportLists]><span
style='mso-list:Ignore'>1.<span style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span><![endif]>Căn cứ
Luật Ngân sách nhà nước<o:p></o:p></p>
<p class=MsoNormal onclick="alert(1)"><span lang=VI style='color:#1F3864'>Nội dung chính</span>
<script>x()</script></p>"""


def test_word_paste_is_cleaned():
    """R-05, R-07: Word markup (Mso classes, o:p tags, inline styles, conditional comments) is cleaned."""
    clean = sanitize_html(WORD_PASTE)
    for junk in ("Mso", "o:p", "style=", "mso-", "<!--", "[if", "<xml", "onclick", "<script", "w:WordDocument"):
        assert junk not in clean, junk
    assert "<b>" in clean and "Thông báo" in clean and "Căn cứ" in clean and "Nội dung chính" in clean


def test_editor_is_vendored_with_its_licence():
    """R-33: the editor ships from the app (no CDN) with its BSD-3 licence."""
    assert (VENDOR / "quill.js").stat().st_size > 100_000
    assert "Redistribution and use in source and binary forms" in (VENDOR / "LICENSE").read_text()
    js = Path(__file__).resolve().parents[2] / "app" / "static" / "js"
    script = (js / "admin-editor.js").read_text()
    assert "textarea.rich-text" in script and "MediaPicker.open" in script
    assert "/admin/media/browse.json" in (js / "media-picker.js").read_text()


def test_every_back_office_page_loads_the_editor(logged_in):
    """R-33: back-office pages include the local editor assets and no external script."""
    c = logged_in("tenant_admin", "stc")
    for path in ("/admin/", "/admin/memberships/", "/admin/settings/"):
        html = c.get(path).get_data(as_text=True)
        assert "/static/vendor/quill/quill.js" in html and "/static/js/admin-editor.js" in html, path
        assert "/static/js/media-picker.js" in html, path
        assert "cdn" not in html.lower() and 'src="http' not in html, path
    assert c.get("/static/vendor/quill/quill.js").status_code == 200
