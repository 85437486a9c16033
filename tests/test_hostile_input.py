"""R-16, R-33: hostile markup and ``javascript:`` URLs, posted into every rich-text and URL field of every
declared content type through every write path, never reach a public page, feed, API response or email.

The cases are generated from the declarations (``app.workflow.registry.hostile_targets``): a new type or a
new field is attacked without touching this file.
"""

import lxml.html
import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.auth.operations import find_user, issue_token
from app.core.models import Tenant
from app.extensions import db
from app.modules import import_declarations
from app.workflow import registry
from app.workflow.operations import chain_for, transition

import_declarations()

MARKER = "xss-probe"
RICH_PAYLOAD = (
    "<p>Nội dung an toàn</p>"
    f"<script>alert('{MARKER}')</script>"
    f'<img src="x" onerror="alert(\'{MARKER}\')">'
    f"<a href=\"javascript:alert('{MARKER}')\">liên kết</a>"
    f"<p onclick=\"alert('{MARKER}')\">đoạn</p>"
    f'<iframe src="https://evil.example/{MARKER}"></iframe>'
)
URL_PAYLOAD = f"javascript:alert('{MARKER}')"
FORBIDDEN = ("<script", "onerror=", "onclick=", "javascript:alert", "<iframe", "evil.example")


def _targets():
    return [
        pytest.param(ct.name, f.name, id=f"{ct.name}.{f.name}")
        for ct, f in registry.hostile_targets()
        if ct.sample is not None
    ]


def _carries(text):
    lowered = text.lower()
    return [bad for bad in FORBIDDEN if bad in lowered]


def _form_data(html):
    """Every input of the page's edit form as a browser would post it (a list of pairs)."""
    doc = lxml.html.fromstring(html)
    forms = [f for f in doc.forms if f.method.upper() == "POST" and f.xpath(".//*[@name='csrf_token']")]
    assert forms, "no edit form"
    return list(max(forms, key=lambda f: len(f.inputs)).form_values())


def _replace(pairs, name, value):
    kept = [(k, v) for k, v in pairs if k != name]
    return [*kept, (name, value)]


@pytest.fixture
def people(app, make_user):
    names = {
        "contributor": ("contributor", "stc"),
        "head": ("head", "stc"),
        "editor": ("editor", "stc"),
        "deputy_head": ("deputy_head", "stc"),
    }
    with app.app_context():
        return {key: make_user(role, code) for key, (role, code) in names.items()}


def _publish(item, tenant, people):
    transition(item, "submit", find_user(people["contributor"]))
    for role in chain_for(tenant, item.content_type):
        transition(item, "approve", find_user(people.get(role) or people["head"]))
    db.session.commit()


@pytest.mark.parametrize(("type_name", "field_name"), _targets())
def test_hostile_input_never_reaches_the_public(app, client_for, people, caplog, type_name, field_name):
    """R-16: back office and API both store only safe values, and no public output carries the payload."""
    ct = registry.get(type_name)
    field = ct.field(field_name)
    payload = URL_PAYLOAD if field.kind == "url" else RICH_PAYLOAD
    # Without MAIL_SERVER every message is written whole to this logger: that is the mailbox here.
    caplog.set_level("INFO", logger="app.core.mail")
    with app.app_context():
        tenant = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalar_one()
        item = ct.sample(tenant, find_user(people["contributor"]))
        db.session.add(item)
        db.session.commit()
        item_id = item.id

    client = client_for("stc")
    client.login(people["contributor"])
    # The back office: the whole edit form, as rendered, with the hostile value in one field.
    edit = f"/admin/{ct.admin_endpoint}/edit/?id={item_id}"
    page = client.get(edit)
    assert page.status_code == 200, edit
    data = _replace(_form_data(page.get_data(as_text=True)), field.name, payload)
    response = client.post(edit, data=MultiDict(data))
    assert response.status_code in (200, 302, 303)
    if field.kind == "url":
        assert response.status_code == 200 and "http://" in response.get_data(as_text=True), _errors(response)
    with app.app_context():
        stored = getattr(db.session.get(ct.model, item_id), field.name) or ""
        assert not _carries(stored), stored
        if field.kind != "url":
            assert "Nội dung an toàn" in stored, "the back office did not save the field"

    # The API, where the type has staff writes.
    with app.app_context():
        header = {"Authorization": f"Bearer {issue_token(find_user(people['contributor']))}"}
        db.session.commit()
    api = client_for("stc").patch(f"/api/v1/{ct.collection}/{item_id}", json={field.key: payload}, headers=header)
    if api.status_code not in (404, 405):
        assert api.status_code in (200, 422), api.get_data(as_text=True)
        assert not _carries(api.get_data(as_text=True))
        with app.app_context():
            stored = getattr(db.session.get(ct.model, item_id), field.name) or ""
            assert not _carries(stored), stored

    # Publish, then read everything the public (and the reviewers' mailboxes) can see.
    with app.app_context():
        item = db.session.get(ct.model, item_id)
        _publish(item, item.tenant, people)
        item = db.session.get(ct.model, item_id)
        public_url = ct.public_url(item) if ct.public_url else None
        title = item.display_title()
    visitor = client_for("stc")
    outputs = {}
    if public_url:
        path = "/" + public_url.split("/", 3)[3] if public_url.count("/") >= 3 else "/"
        page = visitor.get(path)
        assert page.status_code == 200, path
        outputs[path] = page.get_data(as_text=True)
    for path in (f"/api/v1/{ct.collection}/{item_id}", f"/api/v1/{ct.collection}", "/sitemap.xml",
                 "/feeds/news.atom", "/feeds/press.atom", f"/search?q={title[:30]}"):  # fmt: skip
        response = visitor.get(path)
        if response.status_code == 200:
            outputs[path] = response.get_data(as_text=True)
    for path, body in outputs.items():
        assert not _carries(body), (path, _carries(body))
    mails = [r.getMessage() for r in caplog.records if r.name == "app.core.mail"]
    assert mails, "no notification was sent"
    for message in mails:
        assert MARKER not in message


def _errors(response):
    doc = lxml.html.fromstring(response.get_data(as_text=True))
    found = doc.xpath("//*[contains(@class,'invalid-feedback') or contains(@class,'alert')]")
    return [e.text_content().strip() for e in found]
