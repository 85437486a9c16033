"""The editorial board (R-02, R-32): managed by the tenant admin, listed on the public page."""

from sqlalchemy import select

from app.auth.operations import find_user
from app.board.demo import load_board
from app.board.models import BoardMember
from app.core.models import Tenant
from app.extensions import db


def _login(client_for, make_user, role, code):
    email = make_user(role, code)
    c = client_for(code)
    c.login(email)
    return c, email


def _add(c, **data):
    return c.post("/admin/board_members/new/", data={**data, "csrf_token": c.csrf_token("/admin/board_members/new/")})


def test_tenant_admin_builds_the_board_and_the_public_page_lists_it(app, client_for, make_user):
    """R-32: head, deputy, secretary and members are recorded per tenant and listed in that order."""
    admin, _ = _login(client_for, make_user, "tenant_admin", "stc")
    editor = make_user("editor", "stc")
    with app.app_context():
        editor_id = find_user(editor).id
    assert (
        _add(admin, position="member", name="Lê Văn Sơn", title="Trưởng phòng Tổng hợp", sort_order="5").status_code
        == 302
    )
    assert _add(admin, position="head", name="Nguyễn Văn Hùng", title="Giám đốc Sở", sort_order="9").status_code == 302
    response = _add(admin, position="secretary", name="Phạm Thị Thảo", title="Chuyên viên", user=str(editor_id))
    assert response.status_code == 302
    page = client_for("stc").get("/pages/ban-bien-tap")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Ban biên tập" in html
    assert html.index("Nguyễn Văn Hùng") < html.index("Phạm Thị Thảo") < html.index("Lê Văn Sơn")
    assert "Nguyễn Văn Hùng" not in client_for("dongxoai").get("/pages/ban-bien-tap").get_data(as_text=True)
    assert 'href="/pages/ban-bien-tap"' in client_for("stc").get("/").get_data(as_text=True)
    with app.app_context():
        secretary = db.session.execute(select(BoardMember).where(BoardMember.position == "secretary")).scalars().one()
        assert secretary.user_id == editor_id


def test_board_links_only_members_of_the_tenant(app, client_for, make_user):
    """R-04, R-32: a board member cannot be linked to another tenant's account; dongxoai cannot edit stc's board."""
    admin, _ = _login(client_for, make_user, "tenant_admin", "stc")
    outsider = make_user("editor", "dongxoai")
    with app.app_context():
        outsider_id = find_user(outsider).id
    form = admin.get("/admin/board_members/new/").get_data(as_text=True)
    assert outsider not in form
    _add(admin, position="head", name="Nguyễn Văn Hùng", title="Giám đốc Sở", user=str(outsider_id))
    with app.app_context():
        member = db.session.execute(select(BoardMember)).scalars().one()
        member_id = member.id
        assert member.user_id is None  # an id outside the tenant's members is no choice at all
    dx, _ = _login(client_for, make_user, "tenant_admin", "dongxoai")
    assert dx.get(f"/admin/board_members/edit/?id={member_id}").status_code == 404
    assert "Nguyễn Văn Hùng" not in dx.get("/admin/board_members/").get_data(as_text=True)
    editor, _ = _login(client_for, make_user, "editor", "stc")
    assert editor.get("/admin/board_members/").status_code == 403


def test_demo_board_for_every_tenant(app):
    """R-02, R-32: the demo loader gives every tenant a board with a head, deputies, a secretary and members."""
    with app.app_context():
        lines = list(load_board())
        assert "editorial boards" in lines[0]
        for tenant in db.session.execute(select(Tenant)).scalars():
            positions = [
                m.position
                for m in db.session.execute(select(BoardMember).where(BoardMember.tenant_id == tenant.id)).scalars()
            ]
            assert positions.count("head") == 1 and "secretary" in positions and "deputy_head" in positions
        assert list(load_board())[0].startswith("editorial boards: 0")


def test_tenant_admin_removes_members_in_bulk(app, client_for, make_user):
    """R-32: the list's delete action removes the chosen members (ids are coerced for PostgreSQL)."""
    admin, _ = _login(client_for, make_user, "tenant_admin", "stc")
    _add(admin, position="member", name="Võ Thị Mai", title="Chuyên viên")
    _add(admin, position="member", name="Đỗ Quốc Khải", title="Chuyên viên")
    with app.app_context():
        ids = db.session.execute(select(BoardMember.id).order_by(BoardMember.id)).scalars().all()
    token = admin.csrf_token("/admin/board_members/")
    response = admin.post(
        "/admin/board_members/action/", data={"action": "delete", "rowid": [str(ids[0])], "csrf_token": token}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.execute(select(BoardMember.name)).scalars().all() == ["Đỗ Quốc Khải"]
