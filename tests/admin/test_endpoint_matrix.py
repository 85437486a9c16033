"""Every back-office endpoint against users who must not use it (R-04, R-25).

The rules are read from ``app.url_map`` (everything under ``/admin/``, other modules' views
included as they appear). For each rule: a member of another tenant (on stc's host, and on their
own host with ids of stc's rows) and the inspector (every write method) get 403, 404 or a redirect
to the login page, never stc's data, and the database does not change.
"""

import hashlib
import re

import pytest
from sqlalchemy import select

from app import create_app
from app.auth.models import Membership, User
from app.auth.operations import ensure_user, find_user
from app.board.models import BoardMember
from app.core.models import AuditEvent, Tenant
from app.extensions import db
from app.media.models import MediaFile
from app.news.models import Article
from tests.conftest import PASSWORD, HostClient, host_for, reset_database

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
MARKERS = ("marker.editor.stc@test.vn", "MARKER-STC-ARTICLE", "MARKER-STC-BOARD", "marker-stc-photo.jpg")
MISSING_ID = 987654


def _admin_rules():
    app = create_app("testing")
    rules = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/admin/") and not rule.endpoint.endswith(".static"):
            methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
            rules.append((rule.rule, rule.endpoint, tuple(methods), tuple(sorted(rule.arguments))))
    return sorted(rules)


RULES = _admin_rules()


def _make_user(app, role, code, email):
    with app.app_context():
        tenant = db.session.execute(select(Tenant).where(Tenant.code == code)).scalars().one()
        ensure_user(email, tenant, role, password=PASSWORD)
        db.session.commit()
    return email


def _seed(app):
    """Real rows of stc (and the users acting): the ids every rule is tried with."""
    editor = _make_user(app, "editor", "stc", "marker.editor.stc@test.vn")
    outsider = _make_user(app, "tenant_admin", "dongxoai", "tenant_admin.dongxoai@test.vn")
    inspector = _make_user(app, "inspector", "portal", "inspector.portal@test.vn")
    with app.app_context():
        stc = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalars().one()
        user = find_user(editor)
        article = Article(
            tenant_id=stc.id,
            author_id=user.id,
            last_editor_id=user.id,
            title="MARKER-STC-ARTICLE",
            slug="marker-stc-article",
        )
        board = BoardMember(tenant_id=stc.id, position="head", name="MARKER-STC-BOARD", title="Giám đốc")
        media = MediaFile(
            tenant_id=stc.id,
            kind="image",
            stored_name="marker-stc-photo.jpg",
            original_name="marker-stc-photo.jpg",
            content_type="image/jpeg",
            size=10,
            sha256="0" * 64,
        )
        db.session.add_all([article, board, media, AuditEvent(tenant_id=stc.id, action="marker", target="MARKER-STC")])
        db.session.commit()
        ids = {"article": article.id, "board": board.id, "media": media.id, "user": user.id, "tenant": stc.id}
        ids["membership"] = db.session.execute(select(Membership.id).where(Membership.user_id == user.id)).scalar_one()
    return ids, outsider, inspector


def _stc_row_id(app, endpoint, ids):
    """The id of a real stc row of the model behind ``endpoint``'s view, if it has one."""
    name = endpoint.split(".", 1)[0]
    view = next((v for v in app.extensions["portal_admin"]._views if v.endpoint == name), None)
    model = getattr(view, "model", None)
    if model is None:
        return None
    with app.app_context():
        if model is User:
            return ids["user"]
        if hasattr(model, "tenant_id"):
            stmt = select(model.id).where(model.tenant_id == ids["tenant"])
            if hasattr(model, "revision_of_id"):
                stmt = stmt.where(model.revision_of_id.is_(None))
            return db.session.execute(stmt.order_by(model.id)).scalars().first()
    return None


def _path(rule, arguments, ids, row_id):
    values = {}
    for arg in arguments:
        if arg == "content_type":
            values[arg] = "article"
        elif arg == "export_type":
            values[arg] = "csv"
        elif arg in ("object_id", "id"):
            values[arg] = str(row_id or ids["article"])
        elif arg.endswith("_id"):
            values[arg] = str(ids.get(arg[:-3], row_id or MISSING_ID))
        else:
            values[arg] = "x"
    path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: values[m.group(1)], rule)
    rid = row_id or MISSING_ID
    return f"{path}?id={rid}&url=/admin/", {
        "id": rid,
        "rowid": rid,
        "pk": rid,
        "list_form_pk": rid,
        "action": "delete",
        "name": "x",
        "value": "x",
        "role": "head",
        "active": "1",
        "position": "member",
        "title": "x",
        "code": "hacked",
        "kind": "department",
        "name_vi": "x",
        "name_en": "x",
        "comment": "x",
        "email": "hacker@test.vn",
    }


def _checksum(app):
    digest = hashlib.sha256()
    counts = {}
    with app.app_context():
        for table in db.metadata.sorted_tables:
            rows = sorted(repr(tuple(r)) for r in db.session.execute(table.select()))
            counts[table.name] = len(rows)
            digest.update(table.name.encode())
            for row in rows:
                digest.update(row.encode())
    return counts, digest.hexdigest()


def _refused(response):
    if response.status_code in (403, 404):
        return True
    return response.status_code in (301, 302, 303) and "/login" in response.headers.get("Location", "")


ID_ENDPOINTS = ("edit_view", "delete_view", "details_view", "action_view", "ajax_update")


def _targets_a_row(endpoint, arguments):
    """True when the rule acts on one row (an id in the path or Flask-Admin's ``?id=``)."""
    return bool(set(arguments) - {"export_type"}) or endpoint.rsplit(".", 1)[-1] in ID_ENDPOINTS


def _leaks(response):
    if response.status_code != 200:
        return []
    body = response.get_data(as_text=True)
    return [m for m in MARKERS if m in body]


@pytest.fixture(autouse=True)
def _clean_database():
    """Overrides the per-test reset: the rows and logins below serve every rule of this module."""
    yield


@pytest.fixture(scope="module")
def world(app, _tenant_records):
    """stc's rows and three logged-in clients, made once for the module; the database is reset after."""
    reset_database(app, _tenant_records)
    ids, outsider, inspector = _seed(app)
    on_stc = HostClient(app, host_for("stc"))
    on_stc.login(outsider)
    on_own = HostClient(app, host_for("dongxoai"))
    on_own.login(outsider)
    as_inspector = HostClient(app, host_for("stc"))
    as_inspector.login(inspector)
    tokens = (on_own.csrf_token("/admin/settings/"), on_stc.csrf_token("/login"), as_inspector.csrf_token("/login"))
    yield ids, on_stc, on_own, as_inspector, tokens
    reset_database(app, _tenant_records)


@pytest.mark.parametrize(("rule", "endpoint", "methods", "arguments"), RULES, ids=[f"{r[1]}" for r in RULES])
def test_back_office_endpoint_refuses_outsiders(app, world, rule, endpoint, methods, arguments):
    """R-04, R-25: another tenant's member and the inspector can neither read stc's rows nor change anything."""
    ids, on_stc, on_own, as_inspector, (token, stc_token, inspector_token) = world
    row_id = _stc_row_id(app, endpoint, ids)
    path, data = _path(rule, arguments, ids, row_id)

    # Warm up: opening a list may create the outsider's own defaults (news categories...) legitimately.
    for warm in ("/admin/", "/admin/{}/".format(rule.split("/")[2])):
        on_own.get(warm)
    before = _checksum(app)
    problems = []

    for method in methods:
        # (a) a member of dongxoai on stc's host: no membership there.
        response = on_stc.open(path, method, data={**data, "csrf_token": stc_token})
        if not _refused(response):
            problems.append(f"{method} stc-host outsider -> {response.status_code}")
        # (a') the same user on their own host, with stc's ids.
        if method == "GET" or _targets_a_row(endpoint, arguments):
            response = on_own.open(path, method, data={**data, "csrf_token": token})
            leaked = _leaks(response)
            if leaked:
                problems.append(f"{method} own-host outsider sees {leaked}")
            # Flask-Admin answers a refused action or a disabled delete with a redirect to the list;
            # the checksum below proves nothing changed.
            redirected = response.status_code in (302, 303)
            if method in WRITE_METHODS and not (_refused(response) or redirected):
                problems.append(f"{method} own-host outsider on a stc id -> {response.status_code}")
        # (b) the inspector writes nothing.
        if method in WRITE_METHODS:
            response = as_inspector.open(path, method, data={**data, "csrf_token": inspector_token})
            if not _refused(response):
                problems.append(f"{method} inspector -> {response.status_code}")

    assert not problems, f"{rule}: {problems}"
    assert _checksum(app) == before, f"{rule}: the database changed"
