"""A query budget per public page (issue 14): every home page, list and item page of every declared content type
sends at most a few SQL statements, and no more with twelve items than with one (no query per item)."""

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from app.auth.operations import find_user
from app.core.models import Tenant
from app.core.timeutil import utcnow
from app.extensions import db
from app.modules import import_declarations
from app.workflow import registry

import_declarations()  # the content types, before the app exists: the tests are generated over them

# Statements one page may send: the tenant, the blocks or the list (+ its count), categories, the language.
BUDGET = {"home": 14, "list": 10, "item": 12}
TYPES = [ct for ct in registry.all_types() if ct.sample is not None and ct.endpoint]


def _seed(app, author_email, ct, count):
    """``count`` published items of ``ct`` on stc; return the public path of the first."""
    with app.app_context():
        tenant = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalar_one()
        author = find_user(author_email)
        items = []
        for n in range(count):
            item = ct.sample(tenant, author)
            item.state = "published"
            item.published_at = utcnow() - timedelta(hours=1, minutes=n)
            for unique in ("slug", "code", "number"):  # the per-tenant unique ones
                if isinstance(getattr(item, unique, None), str) and getattr(item, unique):
                    setattr(item, unique, f"{getattr(item, unique)}-{uuid.uuid4().hex[:8]}")
            db.session.add(item)
            db.session.flush()
            items.append(item)
        db.session.commit()
        return "/" + ct.public_url(items[0]).split("/", 3)[3]


@pytest.fixture
def queries(app):
    """``queries(client, path)``: the response's status and the number of SQL statements it cost."""
    with app.app_context():
        engine = db.engine
    seen = []

    def record(*args):
        seen.append(args[2])

    event.listen(engine, "before_cursor_execute", record)

    def count(client, path):
        client.get(path)  # templates, the host map and other per-process caches are warm from here on
        seen.clear()
        status = client.get(path).status_code
        return status, len(seen)

    yield count
    event.remove(engine, "before_cursor_execute", record)


@pytest.mark.parametrize("code", ["portal", "stc"])
def test_home_pages_stay_within_the_budget(client_for, queries, code):
    status, count = queries(client_for(code), "/")
    assert status == 200 and count <= BUDGET["home"]


@pytest.mark.parametrize("ct", TYPES, ids=lambda ct: ct.name)
def test_list_and_item_pages_stay_within_the_budget_and_do_not_grow(app, client_for, make_user, queries, ct):
    author = make_user("head", "stc")
    item_path = _seed(app, author, ct, 1)
    list_path = item_path.rsplit("/", 1)[0] + "/"
    c = client_for("stc")
    one_item, one_list = queries(c, item_path), queries(c, list_path)
    if one_item[0] == 404:
        pytest.skip(f"a lone sample {ct.name} has no public page ({item_path})")
    assert one_item[0] == 200 and one_list[0] == 200, (item_path, list_path)
    _seed(app, author, ct, 12)
    many_list = queries(c, list_path)
    print(ct.name, item_path, one_item, list_path, one_list, many_list)
    assert many_list[1] <= one_list[1], f"{list_path}: one query per item ({one_list[1]} -> {many_list[1]})"
    assert one_item[1] <= BUDGET["item"], (item_path, one_item)
    assert many_list[1] <= BUDGET["list"], (list_path, many_list)
