"""The OpenAPI description of ``/api/v1``: built from the registered rules, so it never drifts."""

from flask import current_app

from app.core.tenancy import current_tenant, tenant_home_url

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object"},
            },
            "required": ["code", "message"],
        }
    },
}


def openapi_document():
    paths = {}
    for rule in current_app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or "<path:path>" in rule.rule or rule.rule == "/api/v1/":
            continue
        view = current_app.view_functions[rule.endpoint]
        path = rule.rule[len("/api/v1") :].replace("<int:", "{").replace("<", "{").replace(">", "}")
        summary = (view.__doc__ or rule.endpoint).strip().splitlines()[0]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = {
                "summary": summary,
                "operationId": f"{rule.endpoint}.{method.lower()}",
                "responses": {
                    "200": {"description": "OK"},
                    "default": {
                        "description": "Error",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    },
                },
            }
    return {
        "openapi": "3.1.0",
        "info": {"title": "Binh Phuoc web portal API", "version": "1"},
        "servers": [{"url": tenant_home_url(current_tenant).rstrip("/") + "/api/v1"}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": {"Error": ERROR_SCHEMA},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
