"""R-22, R-08 a g: the contact directory (searchable), the organisation chart and the leaders' pages."""

import pytest
from sqlalchemy import select

from app.core.models import Tenant
from app.directory.models import Official, Unit
from app.extensions import db


@pytest.fixture
def org(app):
    with app.app_context():
        stc = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalars().one()
        dx = db.session.execute(select(Tenant).where(Tenant.code == "dongxoai")).scalars().one()
        board = Unit(tenant_id=stc.id, name="Ban Giám đốc", sort_order=0)
        office = Unit(tenant_id=stc.id, name="Văn phòng Sở", parent=board, sort_order=1)
        budget = Unit(tenant_id=stc.id, name="Phòng Quản lý ngân sách", parent=board, sort_order=2)
        team = Unit(tenant_id=stc.id, name="Tổ Tổng hợp", parent=budget, sort_order=0)
        db.session.add_all([board, office, budget, team])
        db.session.add_all(
            [
                Official(tenant_id=stc.id, unit=board, name="Nguyễn Văn Hải", position="Giám đốc", is_leader=True,
                         phone="0271 3879 123", email="giamdoc@stc.binhphuoc.gov.vn",
                         biography="<p>Sinh năm 1972</p><script>alert(1)</script>"),
                Official(tenant_id=stc.id, unit=office, name="Trần Thị Lan", position="Chánh Văn phòng",
                         phone="0271 3879 200", email="vanphong@stc.binhphuoc.gov.vn"),
                Official(tenant_id=stc.id, unit=budget, name="Lê Quốc Sơn", position="Trưởng phòng", published=False),
                Official(tenant_id=dx.id, name="Phạm Minh Đức", position="Chủ tịch UBND", is_leader=True),
            ]
        )  # fmt: skip
        db.session.commit()
        return {"leader": db.session.execute(select(Official.id).where(Official.name == "Nguyễn Văn Hải")).scalar()}


def test_directory_lists_official_contacts(client_for, org):
    """R-08 g: names, positions, official phones and emails, grouped by unit; hidden officials are not shown."""
    html = client_for("stc").get("/contacts/").get_data(as_text=True)
    assert "Trần Thị Lan" in html and "0271 3879 200" in html and 'href="mailto:vanphong@stc.binhphuoc.gov.vn"' in html
    assert "<caption>Văn phòng Sở" in html and '<th scope="col">' in html
    assert "Lê Quốc Sơn" not in html and "Phạm Minh Đức" not in html


@pytest.mark.parametrize("q, found, absent", [("lan", "Trần Thị Lan", "Nguyễn Văn Hải"),
                                               ("VĂN PHÒNG", "Trần Thị Lan", "Nguyễn Văn Hải"),
                                               ("giam doc", "Nguyễn Văn Hải", "Trần Thị Lan")])  # fmt: skip
def test_directory_search_by_name_position_or_unit(client_for, org, q, found, absent):
    """R-22: search ignores case and accents and matches the name, the position or the unit."""
    html = client_for("stc").get(f"/contacts/?q={q}").get_data(as_text=True)
    assert found in html and absent not in html


def test_search_without_match_and_other_tenant(client_for, org):
    """R-22, R-01: no match says so; another tenant's officials never appear."""
    html = client_for("stc").get("/contacts/?q=Phạm Minh Đức").get_data(as_text=True)
    main = html.split("<main", 1)[1]
    assert "<table" not in main and "Chủ tịch UBND" not in main and "mailto:" not in main.split("</main>")[0]


def test_org_chart_is_nested_lists(client_for, org):
    """R-08 a: the organisation chart nests units in lists, without script."""
    html = client_for("stc").get("/contacts/org-chart").get_data(as_text=True)
    board, team = html.index("Ban Giám đốc"), html.index("Tổ Tổng hợp")
    assert board < html.index("Phòng Quản lý ngân sách") < team
    assert html[board:team].count("<ul>") == 2 and "<script" not in html.split("<main", 1)[1]


def test_leaders_page_and_biography(client_for, org):
    """R-08 a: leaders with their short biography; script in a biography never reaches the page."""
    listing = client_for("stc").get("/contacts/leaders").get_data(as_text=True)
    assert "Nguyễn Văn Hải" in listing and "Trần Thị Lan" not in listing
    page = client_for("stc").get(f"/contacts/leaders/{org['leader']}")
    assert page.status_code == 200 and "Sinh năm 1972" in page.get_data(as_text=True)
    assert client_for("dongxoai").get(f"/contacts/leaders/{org['leader']}").status_code == 404


def test_back_office_sees_only_its_units(client_for, make_user, org):
    """R-22, R-01: the directory back office lists the tenant's officials only; another's id is a 404."""
    c = client_for("dongxoai")
    c.login(make_user("tenant_admin", "dongxoai"))
    html = c.get("/admin/directory_officials/").get_data(as_text=True)
    assert "Phạm Minh Đức" in html and "Trần Thị Lan" not in html
    assert c.get(f"/admin/directory_officials/edit/?id={org['leader']}").status_code == 404


def test_site_search_finds_officials(client_for, org):
    """R-24, R-22: the site search lists matching officials of the searched site only."""
    html = client_for("stc").get("/search?q=tran thi lan").get_data(as_text=True)
    assert "Trần Thị Lan - Chánh Văn phòng" in html
    other = client_for("sct").get("/search?q=tran thi lan").get_data(as_text=True)
    assert "Trần Thị Lan - Chánh Văn phòng" not in other


def test_a_biography_is_sanitised_on_every_write_path(client_for, org):
    """R-16: markup written straight through the ORM (demo, import, shell) is sanitised like a form save."""
    html = client_for("stc").get(f"/contacts/leaders/{org['leader']}").get_data(as_text=True)
    assert "Sinh năm 1972" in html and "alert(1)" not in html


def _image(tenant, name):
    from app.media.models import MediaFile

    return MediaFile(tenant_id=tenant.id, kind="image", stored_name=name, original_name=name,
                     content_type="image/png", size=10, sha256=name[0] * 64)  # fmt: skip


def test_a_leaders_photo_is_a_use_of_the_file(app, org):
    """R-05: the media library knows a file is a leader's photo, so it is not deleted while shown."""
    from app.media.operations import uses_of

    with app.test_request_context(base_url="http://stc.localhost"):
        stc = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalars().one()
        photo = _image(stc, "a1.png")
        db.session.add(photo)
        db.session.flush()
        db.session.get(Official, org["leader"]).photo_id = photo.id
        db.session.commit()
        assert [use.title for use in uses_of(photo, stc)] == ["Nguyễn Văn Hải"]


def test_the_official_form_offers_only_the_sites_images(client_for, make_user, org, app):
    """R-05, R-01: the photo picker lists this site's images only; the email must be an address."""
    with app.app_context():
        tenants = {t.code: t for t in db.session.execute(select(Tenant)).scalars()}
        own, other = _image(tenants["stc"], "b1.png"), _image(tenants["sct"], "c1.png")
        db.session.add_all([own, other])
        db.session.commit()
        own_id, other_id = own.id, other.id
    c = client_for("stc")
    c.login(make_user("tenant_admin", "stc"))
    form = c.get("/admin/directory_officials/new/").get_data(as_text=True)
    picker = form.split('name="photo_id"', 1)[1].split("</select>", 1)[0]
    assert f'value="{own_id}"' in picker and f'value="{other_id}"' not in picker
    data = {"csrf_token": c.csrf_token("/admin/directory_officials/new/"), "name": "Võ Thị Mai",
            "position": "Phó Giám đốc", "email": "not an address", "photo_id": str(other_id),
            "sort_order": "0"}  # fmt: skip
    assert c.post("/admin/directory_officials/new/", data=data).status_code == 200
    data.update(email="Mai.Vo@STC.binhphuoc.gov.vn", photo_id=str(own_id))
    assert c.post("/admin/directory_officials/new/", data=data).status_code == 302
    with app.app_context():
        official = db.session.execute(select(Official).where(Official.name == "Võ Thị Mai")).scalars().one()
        assert official.photo_id == own_id and official.email == "mai.vo@stc.binhphuoc.gov.vn"
