"""R-05: a media file used by an item of any declared type cannot be deleted, and its page lists the uses.

Generated from the declarations: every media field, media list and rich-text field of every type with a
``sample`` is tried.
"""

import pytest
from sqlalchemy import select

from app.auth.operations import find_user
from app.core.fields import Kind
from app.core.models import Tenant
from app.extensions import db
from app.media.models import MediaFile
from app.media.storage import save_upload
from app.modules import import_declarations
from app.workflow import registry
from tests.uploads import Upload, jpeg

import_declarations()


def _cases():
    cases = []
    for ct in registry.all_types():
        if ct.sample is None:
            continue
        for field in ct.fields:
            image_ok = field.kind in (Kind.MEDIA, Kind.MEDIA_LIST) and (
                not field.media_kinds or "image" in field.media_kinds
            )
            if image_ok or (field.kind == Kind.RICH_TEXT and field.lang == "vi"):
                cases.append(pytest.param(ct.name, field.name, id=f"{ct.name}.{field.name}"))
    return cases


@pytest.mark.parametrize(("type_name", "field_name"), _cases())
def test_used_file_cannot_be_deleted_and_lists_its_use(app, client_for, make_user, type_name, field_name):
    """R-05: delete is refused while the item uses the file; the media page names the item."""
    ct = registry.get(type_name)
    field = ct.field(field_name)
    with app.app_context():
        editor = make_user("editor", "stc")
        tenant = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalar_one()
        user = find_user(editor)
        media = save_upload(Upload(jpeg(), "anh-dung.jpg"), tenant, user, allowed_kinds=("image",))
        item = ct.sample(tenant, user)
        if field.kind == Kind.MEDIA:
            setattr(item, field.name, media.id)
        elif field.kind == Kind.MEDIA_LIST:
            setattr(item, field.name, [media.id])
        else:
            setattr(item, field.name, f'<p>Ảnh:</p><p><img src="{media.url}" alt="Ảnh"></p>')
        db.session.add(item)
        db.session.commit()
        media_id, title = media.id, item.display_title()

    client = client_for("stc")
    client.login(editor)
    page = client.get(f"/admin/media/{media_id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert title in html, "the media page does not list the item that uses the file"
    token = client.csrf_token(f"/admin/media/{media_id}")
    response = client.post(f"/admin/media/{media_id}/delete", data={"csrf_token": token})
    assert response.status_code in (302, 303)
    with app.app_context():
        assert db.session.get(MediaFile, media_id) is not None, "a file in use was deleted"
