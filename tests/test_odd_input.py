"""Issue 11, "Odd input" (R-16, R-27): no request ever gets a 500, and under ``/api/`` every refusal is the
contract's JSON error.

The requests are generated from ``app.url_map``: every public page and every ``/api/v1`` endpoint, with each
method it accepts, gets huge page numbers and ids, dates out of range, CR/LF in an address, NUL characters,
lone surrogates, lists where a string is expected, dicts in text fields, references to media and relations
that do not exist, JSON nested thousands deep and bodies over their limit. A new route is attacked without
touching this file.
"""

import json
import logging
import re
from datetime import timedelta
from urllib.parse import quote

import lxml.html
import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app import create_app
from app.auth.operations import find_user, issue_token
from app.core.models import Tenant
from app.core.timeutil import utcnow
from app.extensions import db, limiter
from app.moderation.antispam import HONEYPOT_FIELD
from app.modules import import_declarations
from app.questions.models import Question
from app.workflow import registry

import_declarations()

# Path segments and query values (already URL-encoded where they need to be).
HUGE = ("2147483648", "9223372036854775808", "1" + "0" * 30)
ODD_SEGMENTS = ("-1", "0", *HUGE, "%00", "%ED%A0%80", "a%0D%0Ab", "x" * 300, "..%2F..%2Fetc", "%FF%FE")
ODD_QUERY_VALUES = (
    "-1", "0", *HUGE, "1e999", "NaN",
    "0000-01-01", "99999-12-31", "0000-W01", "99999-W99", "2026-02-30", "1900-01-01T00:00:00-14:00",
    quote("ai@example.vn\r\nBcc: x@evil.example"), "%00", "%ED%A0%80", "%FF", "[]", "{}",
)  # fmt: skip
# Every query argument a view reads (``request.args``), plus the pager's.
QUERY_ARGS = ("page", "per_page", "q", "lang", "state", "kind", "topic", "status", "section", "email", "year",
              "week", "type", "site", "show", "scope", "period", "next", "indicator", "area", "featured",
              "consultation", "code", "category", "all", "field", "agency", "level", "number", "issuer")  # fmt: skip

LONE_SURROGATE = "\ud800"
# JSON values that are wrong for almost every field.
ODD_JSON_VALUES = (
    LONE_SURROGATE, "a\x00b", ["a", "b"], {"a": 1}, 10**30, 2**63, -1, 0, True, None, "x" * 200_000,
    "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "9999-12-31T23:59:59Z", "99999-01-01",
    "ai@example.vn\r\nBcc: x@evil.example",
)  # fmt: skip
RAW_JSON_BODIES = (
    "[" * 5000 + "]" * 5000,
    '{"a":' * 5000 + "1" + "}" * 5000,
    '{"title": NaN, "body": Infinity}',
    '{"title": 1e400}',
    '{"title": "\\udc00\\ud800"}',
    "[]",
    "null",
    '"text"',
    "{",
    "\xff\xfe{}",
)
# What the public and workflow writes read (../shared/CONTRACT.md); staff writes read their declared fields.
WRITE_FIELDS = {
    "transitions": ("action", "comment", "version"),
    "comments": ("name", "email", "organisation", "phone", "section_id", "body", "consent"),
    "questions": ("kind", "title", "body", "name", "email", "phone", "target_tenant", "publish_allowed", "consent",
                  "topic", "address"),
}  # fmt: skip
# Fields some collections read beyond their declaration (documents' relations, procedures' parts).
EXTRA_FIELDS = ("publish_at", "expire_at", "relations", "files", "steps", "components", "channels", "code")


def _rules():
    """(rule, method) of every route a visitor or an API client can reach; the back office has its own tests."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    found = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(("/admin", "/static", "/tenant-static")):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append(pytest.param(rule.rule, method, sorted(rule.arguments), id=f"{method} {rule.rule}"))
    return sorted(found, key=lambda p: p.id)


RULES = _rules()


def _back_office_views():
    """Every back-office view (``/admin/<view>/...``) with its GET rules and its create/edit forms."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    views = {}
    for rule in app.url_map.iter_rules():
        parts = rule.rule.split("/")
        if rule.rule.startswith("/admin/") and len(parts) > 2 and "GET" in rule.methods and parts[2]:
            views.setdefault(parts[2], []).append((rule.rule, sorted(rule.arguments)))
    return [pytest.param(name, sorted(rules), id=name) for name, rules in sorted(views.items())]


BACK_OFFICE_VIEWS = _back_office_views()


class Seen:
    """Every answer that breaks the promise, with the error the server logged for it."""

    def __init__(self, caplog):
        self.caplog = caplog
        self.failures = []

    def check(self, response, method, url, what=""):
        logged = [r for r in self.caplog.records if r.levelno >= logging.ERROR and r.exc_info]
        self.caplog.clear()
        label = f"{method} {url[:160]} {what}".strip()
        if response.status_code >= 500:
            cause = ""
            if logged:
                exc = logged[-1].exc_info[1]
                cause = f"{type(exc).__name__}: {str(exc)[:200]}"
            self.failures.append(f"{response.status_code} {label} {cause}")
        elif url.startswith("/api/") and response.status_code >= 400:
            body = response.get_json(silent=True) or {}
            error = body.get("error") if isinstance(body, dict) else None
            if not (isinstance(error, dict) and isinstance(error.get("code"), str) and "message" in error):
                self.failures.append(f"{response.status_code} not the JSON error: {label} {response.data[:120]!r}")

    def assert_none(self):
        assert not self.failures, f"{len(self.failures)} broken answers:\n" + "\n".join(self.failures[:40])


@pytest.fixture
def world(app, make_user):
    """stc with one published item of every declared type, a consultation open for comments, and a staff token."""
    head_email = make_user("head", "stc")
    with app.app_context():
        tenant = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalar_one()
        head = find_user(head_email)
        ids = {}
        for ct in registry.all_types():
            if ct.sample is None:
                continue
            item = ct.sample(tenant, head)
            item.state = "published"
            item.published_at = utcnow() - timedelta(hours=1)
            db.session.add(item)
            db.session.flush()
            ids[ct.name] = item
        from app.consultations.models import ConsultationSection

        consultation = ids["consultation"]
        db.session.add(ConsultationSection(tenant_id=tenant.id, consultation_id=consultation.id, number="Điều 1",
                                           title="Phạm vi", body="<p>Nội dung</p>"))  # fmt: skip
        values = {}
        for ct in registry.all_types():
            item = ids.get(ct.name)
            if item is not None:
                values[ct.collection] = {"id": str(item.id), "slug": getattr(item, "slug", None),
                                         "code": getattr(item, "code", None)}  # fmt: skip
        bodies = {ct.name: _sample_body(ct, ids[ct.name]) for ct in registry.all_types() if ct.name in ids}
        token = issue_token(head)
        db.session.commit()
    # Rate limits and the minimum filling time of public forms would refuse the requests before their input.
    limiter.enabled = False
    min_fill = app.config.get("PARTICIPATION_MIN_FILL_SECONDS")
    app.config["PARTICIPATION_MIN_FILL_SECONDS"] = 0
    yield {"values": values, "token": token, "bodies": bodies}
    limiter.enabled = True
    app.config["PARTICIPATION_MIN_FILL_SECONDS"] = min_fill


def _fill(rule, arguments, value, world):
    """``rule`` with every argument replaced by ``value`` (``None``: a real item of the collection, if any)."""
    collection = next((c for c in world["values"] if f"/{c}" in rule), None)
    real = world["values"].get(collection, {})

    def replace(match):
        converter, name = match.group(1) or "default", match.group(2)
        if value is not None:
            return value
        if name == "collection":
            return collection or "articles"
        if converter == "int":
            return real.get("id") or "1"
        return real.get("slug") or real.get("code") or real.get("id") or "x"

    return re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>", replace, rule)


def _urls(rule, arguments, world):
    if not arguments:
        return [rule]
    urls = [_fill(rule, arguments, None, world)]
    for segment in ODD_SEGMENTS:
        url = _fill(rule, arguments, segment, world)
        if url not in urls:
            urls.append(url)
    if "<collection>" in rule:
        urls.append(_fill(rule.replace("<collection>", "nonexistent"), arguments, None, world))
    return urls


def _queries():
    yield from (f"{arg}={value}" for arg in ("page", "per_page") for value in ("1", *HUGE))
    for value in ODD_QUERY_VALUES:
        yield "&".join(f"{arg}={value}" for arg in QUERY_ARGS)
    yield "q=" + "x" * 3000
    yield "&".join(f"{arg}=1&{arg}=2" for arg in QUERY_ARGS)
    yield "&".join(f"{arg}[]=1" for arg in QUERY_ARGS)


def _sample_body(ct, item):
    """A valid staff body for the content type ``ct``: its declaration's sample ``item``, as JSON."""
    body = {}
    for field in ct.fields:
        value = getattr(item, field.name, None)
        if not field.api or value in (None, "", []) or field.kind in ("relation", "media", "media_list"):
            continue
        body[field.key] = value.isoformat() if hasattr(value, "isoformat") else value
    return json.loads(json.dumps(body, default=str))


def _write_target(rule, world):
    """``(base body, field names)`` of the write endpoint ``rule``."""
    last = rule.rstrip("/").rsplit("/", 1)[-1]
    if last == "transitions":
        return {"action": "submit", "comment": ""}, WRITE_FIELDS["transitions"]
    if last == "comments":
        base = {"name": "Nguyễn Văn An", "email": "an@example.vn", "body": "Góp ý dự thảo.", "consent": True}
        return base, WRITE_FIELDS["comments"]
    if last == "questions":
        base = {"kind": "question", "title": "Hỏi về thủ tục", "body": "Xin hỏi thủ tục cấp phép.",
                "name": "Trần Thị Bình", "email": "binh@example.vn", "consent": True}  # fmt: skip
        return base, WRITE_FIELDS["questions"]
    ct = registry.by_collection(rule.split("/")[3]) if rule.count("/") >= 3 else None
    if ct is None or ct.name not in world["bodies"]:
        return {}, EXTRA_FIELDS
    return world["bodies"][ct.name], tuple({f.key for f in ct.fields if f.api} | set(EXTRA_FIELDS))


def _refused_fields(response, names):
    """The fields a 422 names (of ``names``); None when the answer is no 422 naming them."""
    if response.status_code != 422:
        return None
    fields = ((response.get_json(silent=True) or {}).get("error") or {}).get("fields") or {}
    named = {key for key in fields if key in names}
    return named or None


def _attack_fields(client, url, method, base, names, value, headers, seen):
    """Put ``value`` in every field; drop the fields that refuse it and send again, until the rest is accepted.

    So the fields that *accept* the value carry it all the way to the database, in a few requests.
    """
    names = set(names)
    while names:
        body = {**base, **dict.fromkeys(names, value)}
        response = _send_json(client, url, method, body, headers)
        seen.check(response, method, url, f"{sorted(names)}={str(value)[:30]!r}")
        refused = _refused_fields(response, names)
        if refused is None:
            return
        names -= refused


def _send_json(client, url, method, body, headers):
    # ASCII escapes, as most clients send them: a lone surrogate travels as the text "\ud800".
    return client.open(url, method, data=json.dumps(body, ensure_ascii=True), content_type="application/json",
                       headers=headers)  # fmt: skip


ODD_FORM_VALUES = ("a\x00b", "ai@example.vn\r\nBcc: x@evil.example", *HUGE, "-1", "99999-12-31", "0000-01-01",
                   "x" * 20000, "\ufffd", "")  # fmt: skip


def _form(client, url):
    """``(pairs, names)`` of the page's biggest POST form: what a browser posts (checkboxes ticked) and the
    fields a person types into (not the hidden ones: CSRF token, form timestamp); empty without a form."""
    page = client.get(url)
    if page.status_code != 200 or "html" not in (page.content_type or ""):
        return [], []
    doc = lxml.html.fromstring(page.get_data(as_text=True))
    forms = [f for f in doc.forms if (f.method or "").upper() == "POST"]
    if not forms:
        return [], []
    form = max(forms, key=lambda f: len(f.inputs))
    pairs = list(form.form_values())
    pairs += [(box.name, box.get("value") or "y") for box in form.inputs if getattr(box, "type", "") == "checkbox"]
    names = [i.name for i in form.inputs if i.name and getattr(i, "type", "") not in ("hidden", "submit", "checkbox")]
    return pairs, [n for n in names if n != HONEYPOT_FIELD]


def _attack_form(client, url, method, pairs, names, value, seen):
    """Like :func:`_attack_fields` for a web form: the fields a 422 page marks (``id="<name>-error"``) drop out."""
    names = set(names)
    while names:
        data = [(n, v) for n, v in pairs if n not in names] + [(n, value) for n in sorted(names)]
        response = client.open(url, method, data=MultiDict(data))
        seen.check(response, method, url, f"form {sorted(names)}={value[:20]!r}")
        if response.status_code != 422:
            return
        refused = set(re.findall(r'id="([\w-]+)-error"', response.get_data(as_text=True))) & names
        if not refused:
            return
        names -= refused


@pytest.mark.parametrize(("rule", "method", "arguments"), RULES)
def test_no_request_gets_a_500(client_for, world, caplog, rule, method, arguments):
    """Issue 11: every route, with every kind of odd input, answers below 500; under /api/ with the JSON error."""
    caplog.set_level(logging.ERROR)
    client = client_for("stc")
    seen = Seen(caplog)
    staff = {"Authorization": f"Bearer {world['token']}"}
    api = rule.startswith("/api/")
    urls = _urls(rule, arguments, world)
    if method == "GET":
        for url in urls:
            seen.check(client.get(url), method, url)
            seen.check(client.get(url, headers=staff), method, url, "(staff)")
        for query in _queries():
            url = f"{urls[0]}?{query}"
            seen.check(client.get(url), method, url)
            if api:
                seen.check(client.get(url, headers=staff), method, url, "(staff)")
    elif api:
        for url in urls:
            seen.check(_send_json(client, url, method, {}, staff), method, url, "{}")
        url = urls[0]
        base, names = _write_target(rule, world)
        seen.check(_send_json(client, url, method, base, staff), method, url, "valid")
        for value in ODD_JSON_VALUES:
            _attack_fields(client, url, method, base, names, value, staff, seen)
        for raw in RAW_JSON_BODIES:
            for headers in (staff, {}):
                response = client.open(url, method, data=raw.encode("utf-8", "surrogatepass"),
                                       content_type="application/json", headers=headers)  # fmt: skip
                seen.check(response, method, url, f"raw {raw[:20]!r}")
        seen.check(client.open(url, method, data="title=x", headers=staff), method, url, "form body")
    else:
        url = urls[0]
        seen.check(client.open(url, method, data={"x": "1"}), method, url, "no CSRF token")
        pairs, names = _form(client, url)
        if not pairs:
            pairs, names = _form(client, "/login")
            names += ["email", "name", "body", "page", "code"]
        for value in ODD_FORM_VALUES:
            _attack_form(client, url, method, pairs, names, value, seen)
        token = dict(pairs).get("csrf_token") or client.csrf_token("/login")
        for odd in urls[1:]:
            seen.check(client.open(odd, method, data={"csrf_token": token}), method, odd)
    seen.assert_none()


QUESTION = {"kind": "question", "title": "Hỏi về thủ tục cấp phép xây dựng", "body": "Xin hỏi hồ sơ gồm những gì?",
            "name": "Trần Thị Bình", "email": "binh@example.vn", "phone": "0912345678", "consent": True}  # fmt: skip
TRACKING_CODE = re.compile(r"HD-\d{4}-[A-Z0-9]{8}")


def test_a_question_is_stored_only_when_its_tracking_code_reaches_the_sender(app, client_for, world, caplog):
    """Issue 11: odd input in every field of the API and of the form: each stored question is one whose
    tracking code its sender received (202 with ``tracking_code``, or the page saying it was received)."""
    caplog.set_level(logging.ERROR)
    seen = Seen(caplog)
    client = client_for("stc")
    with app.app_context():
        before = set(db.session.execute(select(Question.tracking_code)).scalars())  # the sample answer's question
    received = set()
    for name in WRITE_FIELDS["questions"]:
        for value in ODD_JSON_VALUES:
            response = _send_json(client, "/api/v1/questions", "POST", {**QUESTION, name: value}, {})
            seen.check(response, "POST", "/api/v1/questions", f"{name}={str(value)[:20]!r}")
            if response.status_code == 202:
                received.add(response.get_json()["tracking_code"])
    pairs, names = _form(client, "/questions/ask")
    typed = {"title": QUESTION["title"], "body": QUESTION["body"], "name": QUESTION["name"],
             "email": QUESTION["email"], "phone": QUESTION["phone"]}  # fmt: skip
    valid = [(n, typed.get(n, v)) for n, v in pairs]
    for name in names:
        for value in ODD_FORM_VALUES:
            data = [(n, v) for n, v in valid if n != name] + [(name, value)]
            response = client.post("/questions/ask", data=MultiDict(data))
            seen.check(response, "POST", "/questions/ask", f"form {name}={value[:20]!r}")
            if response.status_code == 200:
                received.update(TRACKING_CODE.findall(response.get_data(as_text=True)))
    seen.assert_none()
    with app.app_context():
        stored = set(db.session.execute(select(Question.tracking_code)).scalars()) - before
    assert stored, "no odd-but-acceptable input was accepted: the test did not reach the store"
    assert stored == received


def _error(response):
    assert response.is_json, response.data[:200]
    error = response.get_json()["error"]
    assert isinstance(error["code"], str) and isinstance(error["message"], str)
    return error


def test_a_json_body_over_its_limit_is_413_with_the_json_error(app, client_for, world):
    """Issue 11: a body over API_MAX_CONTENT_LENGTH (2 MiB) is 413 as the JSON error, before it is parsed."""
    client = client_for("stc")
    big = json.dumps({"title": "Tiêu đề", "body": "x" * (app.config["API_MAX_CONTENT_LENGTH"] + 1)})
    staff = {"Authorization": f"Bearer {world['token']}"}
    for url, headers in (("/api/v1/articles", staff), ("/api/v1/questions", {})):
        response = client.post(url, data=big, content_type="application/json", headers=headers)
        assert response.status_code == 413 and _error(response)["code"] == "payload_too_large"
    # Announced bigger than the upload limit itself: refused without reading it.
    announced = client.post("/api/v1/questions", data=b"{}", content_type="application/json",
                            environ_overrides={"CONTENT_LENGTH": str(300 * 1024 * 1024)})  # fmt: skip
    assert announced.status_code == 413 and _error(announced)["code"] == "payload_too_large"
    form = client.post("/questions/ask", data=b"x", content_type="multipart/form-data; boundary=x",
                       environ_overrides={"CONTENT_LENGTH": str(300 * 1024 * 1024)})  # fmt: skip
    assert form.status_code == 413 and "html" in form.content_type


def test_json_nested_too_deep_or_not_storable_is_400_saying_why(client_for, world):
    """Issue 11: depth over API_MAX_JSON_DEPTH, lone surrogates, NUL, NaN: 400 with the reason, nothing stored."""
    client = client_for("stc")
    cases = {
        "[" * 5000 + "]" * 5000: "nested",
        "[1, 2]": "Send a JSON object",
        '{"a":' * 40 + "1" + "}" * 40: "nested deeper than 32",
        '{"a":' * 5000 + "1" + "}" * 5000: "nested",
        '{"title": "\\ud800"}': "lone surrogate",
        '{"title": "a\\u0000b"}': "NUL",
        '{"title": NaN}': "not valid JSON",
        '{"title": 1e999}': "finite",
    }
    for raw, reason in cases.items():
        response = client.post("/api/v1/questions", data=raw, content_type="application/json")
        assert response.status_code == 400 and reason in _error(response)["message"], (raw[:30], response.data)
    nested = {"title": QUESTION["title"], "body": QUESTION["body"]}
    for _ in range(31):
        nested = {"x": nested}
    assert _send_json(client, "/api/v1/questions", "POST", {**QUESTION, "extra": nested}, {}).status_code == 400


def test_long_addresses_and_big_headers_are_414_and_431(client_for):
    """Issue 11: a URL over MAX_URL_LENGTH is 414, headers over MAX_HEADER_BYTES are 431; JSON under /api/."""
    client = client_for("stc")
    for path in ("/api/v1/articles?q=", "/news/?q=", "/search?q="):
        response = client.get(path + "x" * 5000)
        assert response.status_code == 414, path
        if path.startswith("/api/"):
            assert _error(response)["code"] == "uri_too_long"
    for path in ("/api/v1/articles", "/news/"):
        response = client.get(path, headers={f"X-Filler-{i}": "x" * 1000 for i in range(20)})
        assert response.status_code == 431, path
        if path.startswith("/api/"):
            assert _error(response)["code"] == "headers_too_large"


def test_options_under_the_api_is_204_with_allow(client_for):
    """Issues 11, 12: OPTIONS under the API is 204 with ``Allow``, no body, no CORS; an unknown URL is the JSON 404."""
    client = client_for("stc")
    response = client.open("/api/v1/articles", "OPTIONS")
    assert response.status_code == 204 and response.data == b""
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "POST", "OPTIONS"}
    assert "Access-Control-Allow-Origin" not in response.headers
    transitions = client.open("/api/v1/articles/1/transitions", "OPTIONS")
    assert transitions.status_code == 204 and transitions.headers["Allow"] == "POST, OPTIONS"
    unknown = client.open("/api/v1/no-such-thing", "OPTIONS")
    assert unknown.status_code == 404 and _error(unknown)["code"] == "not_found"
    assert client.open("/api/v1/articles", "TRACE").headers["Allow"]


@pytest.mark.parametrize("item_id", ["2147483648", "9223372036854775808", "1" + "0" * 30])
def test_ids_beyond_the_database_integers_are_404(client_for, world, item_id):
    """Issue 11: ``<int:...>`` in every URL stops at 2^31 - 1: a bigger id is no route (404), never an overflow."""
    client = client_for("stc")
    staff = {"Authorization": f"Bearer {world['token']}"}
    response = client.get(f"/api/v1/articles/{item_id}", headers=staff)
    assert response.status_code == 404 and _error(response)["code"] == "not_found"
    assert client.get(f"/documents/{item_id}").status_code == 404
    page = client.get(f"/api/v1/articles?page={item_id}")
    assert page.status_code == 400 and _error(page)["fields"] == {"page": "range"}


# Query arguments Flask-Admin and the back-office views read: pager, sort, filters, ids, return URL.
BACK_OFFICE_QUERIES = ("page=123456789012", "page=abc", "year=99999", "flt0_0=999999999999", "id=999999999999",
                       "id=abc", "url=%0D%0A")  # fmt: skip
BACK_OFFICE_VALUES = ("a\x00b", *HUGE, "-1", "99999-12-31", "0001-01-01 00:00", "9999-12-31 23:59", "2026-02-30",
                      "NaN", "1e999", "\ufffd", "")  # fmt: skip


@pytest.mark.parametrize(("view", "rules"), BACK_OFFICE_VIEWS)
def test_no_back_office_page_gets_a_500(client_for, make_user, world, caplog, view, rules):
    """Issue 11: the back office too (as the province admin, who enters every view): odd ids, odd query arguments
    and odd values in every field of its create and edit forms answer below 500 (a form validates every field,
    so one post per value reaches each field's checks)."""
    caplog.set_level(logging.ERROR)
    seen = Seen(caplog)
    client = client_for("stc")
    client.login(make_user("province_admin", "portal"))
    forms = []
    for rule, arguments in rules:
        url = _fill(rule, arguments, None, world)
        queries = BACK_OFFICE_QUERIES if not arguments else BACK_OFFICE_QUERIES[:2]
        for query in ("", *queries):
            seen.check(client.get(f"{url}?{query}"), "GET", f"{url}?{query}")
        if "int:" in rule:
            odd = _fill(rule, arguments, "2147483648", world)
            seen.check(client.get(odd), "GET", odd)
        if rule.endswith(("/new/", "/edit/")):
            forms.append(url + ("?id=1" if rule.endswith("/edit/") else ""))
    for url in forms:
        pairs, names = _form(client, url)
        for value in BACK_OFFICE_VALUES:
            data = [(n, v) for n, v in pairs if n not in names] + [(n, value) for n in names]
            seen.check(client.post(url, data=MultiDict(data)), "POST", url, f"every field={value[:20]!r}")
    seen.assert_none()
