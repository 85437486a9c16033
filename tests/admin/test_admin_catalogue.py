"""Flask-Admin's own strings in plain Vietnamese (issue 16, "Language"): its bundled catalogue says
"Kỷ lục được tạo thành công" (a world record was set) for "Record was successfully created"; ours,
translations/vi/LC_MESSAGES/admin.po, replaces every string of it."""

from pathlib import Path

import flask_admin
from babel.messages import checkers
from babel.messages.pofile import read_po
from flask_admin.babel import gettext as admin_gettext

from tests.admin.test_tenants import NEW, _post

OURS = Path(__file__).resolve().parents[2] / "translations/vi/LC_MESSAGES/admin.po"
BUNDLED = Path(flask_admin.__file__).parent / "translations/vi/LC_MESSAGES/admin.po"
WRONG = ("Kỷ lục", "kỷ lục", "mặt hàng", "sản phẩm nào", "Chìa khóa", "Hỏng khi")


def _catalogue(path):
    with path.open("rb") as f:
        return read_po(f, locale="vi", domain="admin")


def test_our_catalogue_translates_every_flask_admin_string_with_its_placeholders():
    ours, bundled = _catalogue(OURS), _catalogue(BUNDLED)
    missing = [m.id for m in bundled if m.id and m.id not in ours]
    assert not missing, f"Flask-Admin strings without our translation: {missing}"
    for message in ours:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"empty translation of {message.id!r}"
        assert not any(word in s for s in strings for word in WRONG), (message.id, strings)
        checkers.python_format(ours, message)  # raises when the placeholders differ from the msgid's


def test_flask_admin_speaks_from_our_catalogue(app):
    for lang, expected in (("vi", "Đã tạo mục mới."), ("en", "Record was successfully created.")):
        with app.test_request_context(f"/admin/?lang={lang}"):
            assert admin_gettext("Record was successfully created.") == expected
            assert admin_gettext("items") == ("mục" if lang == "vi" else "items")


def test_the_back_office_list_carries_no_wrong_word(logged_in):
    admin = logged_in("province_admin", "portal")
    assert _post(admin, "/admin/tenants/new/", NEW).status_code == 302
    for path in ("/admin/tenants/", "/admin/tenants/new/"):
        page = admin.get(path).get_data(as_text=True)
        assert not any(word in page for word in WRONG), path
