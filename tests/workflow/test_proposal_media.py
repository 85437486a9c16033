"""R-10, R-05: a subsite item proposed to the portal takes its media along: every media field, list and
inline picture of the portal's copy is a portal file that exists, for every type that can be proposed."""

import os

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
from app.workflow.operations import chain_for, transition
from tests.uploads import Upload, jpeg

import_declarations()


def _proposable():
    return [pytest.param(ct.name, id=ct.name) for ct in registry.all_types() if ct.propose and ct.sample]


@pytest.mark.parametrize("type_name", _proposable())
def test_portal_copy_has_its_own_media(app, make_user, type_name):
    """R-10: the copy's files are the portal's, inline pictures point at them, and the subsite's stay."""
    ct = registry.get(type_name)
    with app.app_context():
        emails = {role: make_user(role, "stc") for role in ("contributor", "head")}
        stc = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalar_one()
        author = find_user(emails["contributor"])
        photo = save_upload(Upload(jpeg((200, 0, 0)), "anh-a.jpg"), stc, author, allowed_kinds=("image",))
        inline = save_upload(Upload(jpeg((0, 200, 0)), "anh-b.jpg"), stc, author, allowed_kinds=("image",))
        item = ct.sample(stc, author)
        for field in ct.fields:
            accepts_image = not field.media_kinds or "image" in field.media_kinds
            if field.kind == Kind.MEDIA and accepts_image:
                setattr(item, field.name, photo.id)
            elif field.kind == Kind.MEDIA_LIST and accepts_image:
                setattr(item, field.name, [photo.id])
            elif field.kind == Kind.RICH_TEXT and field.lang == "vi":
                setattr(item, field.name, f'<p>Ảnh</p><p><img src="{inline.url}" alt="Ảnh"></p>')
        db.session.add(item)
        db.session.flush()
        transition(item, "submit", author)
        for role in chain_for(stc, ct.name):
            transition(item, "approve", find_user(emails.get(role, emails["head"])))
        transition(item, "propose_to_portal", find_user(emails["head"]))
        db.session.commit()
        copy = db.session.execute(
            select(ct.model).where(ct.model.source_object_id == item.id, ct.model.tenant_id != stc.id)
        ).scalar_one()
        portal_files = {
            m.id: m
            for m in db.session.execute(select(MediaFile).where(MediaFile.tenant_id == copy.tenant_id)).scalars()
        }
        root = app.config["MEDIA_ROOT"]
        for field in ct.fields:
            value = getattr(copy, field.name)
            ids = (
                [value]
                if field.kind == Kind.MEDIA and value
                else (value or [])
                if field.kind == Kind.MEDIA_LIST
                else []
            )
            for media_id in ids:
                assert media_id in portal_files, (field.name, "the copy uses a file of another site")
                assert os.path.exists(os.path.join(root, portal_files[media_id].stored_name))
            if field.kind == Kind.RICH_TEXT and field.lang == "vi":
                assert inline.url not in value, "the inline picture still points at the subsite's file"
                names = [m.stored_name for m in portal_files.values()]
                assert any(f"/media/{name}" in value for name in names), value
        assert db.session.get(ct.model, item.id).tenant_id == stc.id
