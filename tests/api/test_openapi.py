"""The served OpenAPI document: valid OpenAPI 3.1, complete (every rule, every path parameter, every view
described) and truthful about statuses, parameters and schemas; the reference page that shows it."""

import re

import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator

from app.api.describe import described
from app.api.openapi import NOT_OPERATIONS, PREFIX, build_document

HOST = "stc.localhost"


@pytest.fixture
def document(client_for):
    response = client_for("stc").get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def api_operations(app):
    """``(rule, method)`` of every operation under /api/v1 the document must describe."""
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(PREFIX + "/") and rule.endpoint not in NOT_OPERATIONS:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


def openapi_path(rule):
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule[len(PREFIX) :])


def test_served_document_is_valid_openapi_3_1(document):
    OpenAPIV31SpecValidator(document).validate()  # raises with the first error
    assert document["openapi"] == "3.1.0"
    assert not list(OpenAPIV31SpecValidator(document).iter_errors())


def test_servers_name_the_request_tenant(client_for):
    assert client_for("stc").get("/api/v1/openapi.json").get_json()["servers"] == [
        {"url": "http://stc.localhost/api/v1"}
    ]
    assert client_for("portal").get("/api/v1/openapi.json").get_json()["servers"] == [
        {"url": "http://localhost/api/v1"}
    ]


def test_every_rule_and_method_is_in_the_document(app, document):
    for rule, method in api_operations(app):
        path = openapi_path(rule)
        assert path in document["paths"], path
        assert method.lower() in document["paths"][path], f"{method} {path}"


def test_every_path_parameter_is_declared_with_its_type(app, document):
    for rule, method in api_operations(app):
        path = openapi_path(rule)
        parameters = {p["name"]: p for p in document["paths"][path][method.lower()].get("parameters", [])}
        for name in re.findall(r"{(\w+)}", path):
            assert parameters[name]["in"] == "path" and parameters[name]["required"] is True, (path, name)
            expected = "integer" if f"<int:{name}>" in rule.rule else "string"
            assert parameters[name]["schema"]["type"] == expected, (path, name)
            if expected == "integer":
                assert parameters[name]["schema"]["minimum"] == 1


def test_every_api_view_has_metadata(app):
    """Every /api/v1 operation says what it takes and answers with app.api.describe (so nobody forgets)."""
    missing = [
        f"{method} {rule.rule} ({rule.endpoint})"
        for rule, method in api_operations(app)
        if described(app.view_functions[rule.endpoint], method) is None
    ]
    assert not missing, "Describe these with app.api.describe.operation/describe:\n" + "\n".join(missing)


def test_every_operation_answers_errors_with_the_error_schema(app, document):
    responses = document["components"]["responses"]
    for path, item in document["paths"].items():
        for method, op in item.items():
            codes = set(op["responses"])
            assert {"400", "429"} <= codes, f"{method} {path}"
            if "{" in path:
                assert "404" in codes, f"{method} {path}"
            if "requestBody" in op:
                assert {"413", "422"} <= codes, f"{method} {path}"
            if any(p["in"] == "query" for p in op.get("parameters", [])):
                assert "414" in codes, f"{method} {path}"
            if {"bearer": []} in op["security"]:
                assert {"401", "403"} <= codes, f"{method} {path}"
            for code, response in op["responses"].items():
                if int(code) >= 400:
                    resolved = responses[response["$ref"].rsplit("/", 1)[1]] if "$ref" in response else response
                    schema = resolved["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Error"}, f"{method} {path} {code}"
    error = document["components"]["schemas"]["Error"]
    assert error["properties"]["error"]["required"] == ["code", "message"]
    assert set(error["properties"]["error"]["properties"]) == {"code", "message", "fields"}


def test_lists_take_page_and_per_page_and_answer_the_page_envelope(document):
    tenants = document["paths"]["/tenants"]["get"]
    params = {p["name"]: p["schema"] for p in tenants["parameters"]}
    assert params["per_page"]["maximum"] == 100 and params["page"]["minimum"] == 1
    body = tenants["responses"]["200"]["content"]["application/json"]["schema"]
    assert body["required"] == ["items", "page", "per_page", "total"]
    assert body["properties"]["items"]["items"] == {"$ref": "#/components/schemas/Tenant"}


def test_tenant_schema_is_generated_from_the_marshmallow_schema(document):
    tenant = document["components"]["schemas"]["Tenant"]
    assert {"id", "code", "name_vi", "url"} <= set(tenant["properties"])
    assert tenant["properties"]["id"]["type"] == "integer"
    assert "code" in tenant["required"]


def test_staff_and_optional_security_per_operation(app):
    """A view described with auth staff requires the bearer scheme; optional allows none or it; the rest none."""
    from flask import Blueprint

    from app.api.describe import operation

    probe = app.__class__(app.import_name)
    probe.config.update(app.config)
    bp = Blueprint("probe", __name__, url_prefix="/api/v1")

    @bp.post("/probe/<int:item_id>")
    @operation(auth="staff", body={"type": "object"}, status=201, errors=(409,))
    def staff(item_id):
        """Staff only."""

    @bp.get("/probe")
    @operation(auth="optional", many=True, etag=True)
    def optional():
        """Anyone."""

    @bp.get("/probe/<slug>/plain")
    def plain(slug):
        """Undescribed."""

    probe.register_blueprint(bp)
    doc = build_document(probe)
    OpenAPIV31SpecValidator({**doc, "servers": [{"url": "http://localhost/api/v1"}]}).validate()
    post = doc["paths"]["/probe/{item_id}"]["post"]
    assert post["security"] == [{"bearer": []}]
    assert set(post["responses"]) == {"201", "400", "401", "403", "404", "409", "413", "422", "429"}
    get = doc["paths"]["/probe"]["get"]
    assert get["security"] == [{}, {"bearer": []}]
    assert set(get["responses"]) == {"200", "304", "400", "401", "403", "414", "429", "431"}
    assert "ETag" in get["responses"]["200"]["headers"]
    assert {p["name"] for p in get["parameters"]} == {"page", "per_page", "If-None-Match"}
    undescribed = doc["paths"]["/probe/{slug}/plain"]["get"]
    assert undescribed["summary"] == "Undescribed."
    assert undescribed["responses"]["200"]["content"]["application/json"]["schema"] == {}
    assert undescribed["parameters"][0]["schema"]["type"] == "string"


def test_tags_have_descriptions(document):
    used = {tag for item in document["paths"].values() for op in item.values() for tag in op.get("tags", [])}
    declared = {tag["name"]: tag for tag in document["tags"]}
    assert used <= set(declared)
    # A tag without an entry in app.api.openapi.TAGS would be described by its bare name.
    assert all(tag["description"] and tag["description"] != tag["name"] for tag in document["tags"])


def test_docs_page_serves_vendored_swagger_ui_without_inline_script(client_for):
    response = client_for("stc").get("/api/v1/docs")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all(src.strip().startswith('src="/static/') and not body.strip() for src, body in scripts)
    assert 'data-spec-url="/api/v1/openapi.json"' in html
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";", 1)[0]
    for src in re.findall(r'(?:src|href)="(/static/[^"]+)"', html):
        assert client_for("stc").get(src).status_code == 200, src


def conforms(document, path, method, status, body):
    """Validate ``body`` against the document's schema of that response (refs resolved within the document)."""
    from jsonschema import Draft202012Validator

    schema = document["paths"][path][method]["responses"][str(status)]["content"]["application/json"]["schema"]
    Draft202012Validator({"components": document["components"], **schema}).validate(body)


def test_search_hits_carry_the_item_id_and_match_the_document(app, client_for, document, make_user):
    from sqlalchemy import select

    from app.auth.operations import find_user
    from app.core.models import Tenant
    from app.extensions import db
    from app.news.models import Article
    from app.workflow.operations import transition

    with app.test_request_context(base_url="http://stc.localhost"):
        stc = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalars().one()
        writer, head = find_user(make_user("contributor", "stc")), find_user(make_user("head", "stc"))
        article = Article(
            tenant_id=stc.id, title="Công khai ngân sách quý III", slug="cong-khai-q3", author_id=writer.id
        )
        db.session.add(article)
        db.session.flush()
        transition(article, "submit", writer)
        transition(article, "approve", head)
        db.session.commit()
        article_id = article.id
    body = client_for("stc").get("/api/v1/search?q=cong+khai").get_json()
    assert [hit["id"] for hit in body["items"]] == [article_id]
    assert body["items"][0]["type"] == "article"
    conforms(document, "/search", "get", 200, body)
    conforms(document, "/tenants", "get", 200, client_for("portal").get("/api/v1/tenants").get_json())
    conforms(document, "/tenant", "get", 200, client_for("stc").get("/api/v1/tenant").get_json())


def test_gunicorn_limits_leave_414_and_431_to_the_app(app):
    """gunicorn answers over-long request lines and headers itself, in HTML: its limits (gunicorn.conf.py) sit above
    the app's, so what the app refuses is the JSON error (the few bytes of a header line's ': ' aside)."""
    from pathlib import Path

    from gunicorn.config import Config

    config = Config()
    path = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
    namespace = {}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), namespace)  # as gunicorn reads it
    for name in ("limit_request_line", "limit_request_field_size"):
        config.set(name, namespace[name])
    assert config.limit_request_line >= 2 * app.config["MAX_URL_LENGTH"]
    assert config.limit_request_field_size >= app.config["MAX_HEADER_BYTES"] - 8


@pytest.mark.parametrize("method", ["GET", "PATCH", "POST"])
def test_ids_beyond_the_databases_are_the_json_404_for_every_method(client_for, method):
    """An id past 2^31 - 1 matches no rule (the API's catch-all answers), for every method: never a 405."""
    for path in (
        "/api/v1/articles/2147483648",
        "/api/v1/articles/99999999999999999999",
        "/api/v1/x/2147483648/history",
    ):
        response = client_for("stc").open(path, method, json={})
        assert response.status_code == 404, (method, path, response.status_code)
        assert response.get_json()["error"]["code"] == "not_found"


def test_api_error_messages_are_plain_english_on_a_vietnamese_site(client_for):
    response = client_for("stc").get("/api/v1/articles/2147483648?lang=vi")
    assert response.get_json()["error"]["message"].isascii()
