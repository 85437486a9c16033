"""An independent fuzzer on the API (issue 12): schemathesis reads the served OpenAPI document, generates requests
for every operation (anonymous, then with a staff token) on a subsite host, and checks each answer against the
document: no 5xx, only documented statuses and media types, bodies that match their schemas.

Bounded so that ``make test`` stays short: ``FUZZ_EXAMPLES`` generated requests per operation and caller
(default 8), derandomized (the same requests on every run, so a finding is reproducible), on SQLite or
PostgreSQL alike (``DATABASE_URL``). Each test starts from a site with a published item of every reviewable
type (ids 1, 2...: the values schemathesis tries first for ``minimum: 1``).

Run it alone: ``.venv/bin/pytest -q tests/api/test_fuzz.py``; more examples: ``FUZZ_EXAMPLES=100``.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select

from app.auth.operations import find_user, issue_token
from app.core.models import Tenant
from app.extensions import db
from app.workflow import registry
from app.workflow.operations import transition

CODE = "stc"
HOST = f"{CODE}.localhost"
BASE_URL = f"http://{HOST}/api/v1"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "8"))
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("FUZZ_RANDOM"),
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def api_schema(app):
    """The document as an integrator gets it: served by the subsite's host."""
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, base_url=f"http://{HOST}")


@pytest.fixture
def site(app, make_user):
    """stc with a published item of every reviewable type; ``site["token"]`` is its head's."""
    contributor, head = make_user("contributor", CODE), make_user("head", CODE)
    with app.test_request_context(base_url=f"http://{HOST}"):
        tenant = db.session.execute(select(Tenant).where(Tenant.code == CODE)).scalars().one()
        writer, reviewer = find_user(contributor), find_user(head)
        for ct in registry.all_types():
            if ct.sample is None:
                continue
            published = ct.sample(tenant, writer)
            db.session.add(published)
            db.session.flush()
            transition(published, "submit", writer)
            transition(published, "approve", reviewer)
        token = issue_token(reviewer)
        db.session.commit()
    return {"token": token}


def cases(document):
    """``(method, path, mode)`` for every operation of the document: valid requests for each, invalid ones for each
    that takes any input."""
    for path, item in document["paths"].items():
        for method, operation in item.items():
            yield method.upper(), path, GenerationMode.POSITIVE
            if operation.get("parameters") or operation.get("requestBody"):
                yield method.upper(), path, GenerationMode.NEGATIVE


def fuzz(operation, mode, headers):
    """Send ``EXAMPLES`` generated requests to ``operation`` and check each answer (Hypothesis shrinks a finding)."""

    @FUZZ_SETTINGS
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        case.call_and_validate(base_url=BASE_URL, headers=headers, checks=CHECKS)

    run()


def fuzz_every_operation(api_schema, headers):
    """Fuzz every operation in turn on the same site (one seeding, one clean-up) and report every finding at once."""
    findings, tried = [], 0
    for method, path, mode in cases(api_schema.raw_schema):
        tried += 1
        try:
            fuzz(api_schema[path][method], mode, headers)
        except Unsatisfiable:
            # Only for invalid requests: e.g. a path whose one parameter is a text, every invalid value of which
            # ("", "a/b") is no URL of this operation. Nothing was sent, so there is nothing to check.
            if mode is GenerationMode.POSITIVE:
                raise
        except (Exception, FailureGroup) as exc:  # schemathesis' report: the failed checks and a curl line
            findings.append(f"--- {method} {path} ({mode.value} requests)\n{exc}")
    assert tried > 40, "the document lost its operations"
    assert not findings, f"{len(findings)} operations answer what the document does not say:\n" + "\n".join(findings)


def test_anonymous_callers_get_what_the_document_promises(api_schema, site):
    fuzz_every_operation(api_schema, {})


def test_staff_callers_get_what_the_document_promises(api_schema, site):
    fuzz_every_operation(api_schema, {"Authorization": f"Bearer {site['token']}"})
