import io

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from app.auth.operations import find_user, issue_token
from app.core.models import Tenant
from app.core.timeutil import utcnow
from app.extensions import db
from app.media.storage import save_upload
from app.procedures.models import Procedure
from app.workflow.models import ReviewState

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def ctx(app):
    """A request context for direct database work; test-client requests made meanwhile reuse its app
    context, so its ``g`` (logged-in user, cached CSRF token) is cleared at the start of each of them."""
    from flask import g, request_started

    def fresh_g(sender, **extra):
        g.__dict__.clear()

    request_started.connect(fresh_g, app)
    with app.test_request_context(base_url="http://localhost"):
        yield
    request_started.disconnect(fresh_g, app)


@pytest.fixture
def tenants(ctx):
    return {t.code: t for t in db.session.execute(select(Tenant)).scalars()}


@pytest.fixture
def make_procedure(tenants):
    """``make_procedure(code="1.000001", tenant="stc", state="published", **fields)``."""

    def make(code="1.000001", tenant="stc", state=ReviewState.PUBLISHED, **fields):
        fields.setdefault("name", "Cấp mã số đơn vị có quan hệ với ngân sách")
        fields.setdefault("level", "province")
        fields.setdefault("field", "Tài chính ngân sách")
        fields.setdefault("implementing_agency", "Sở Tài chính")
        fields.setdefault("online_level", "full")
        proc = Procedure(tenant_id=tenants[tenant].id, code=code, state=state, **fields)
        if state == ReviewState.PUBLISHED:
            proc.published_at = utcnow()
        db.session.add(proc)
        db.session.commit()
        return proc

    return make


@pytest.fixture
def pdf_form(tenants):
    def make(tenant="stc", name="mau-to-khai.pdf"):
        media = save_upload(FileStorage(io.BytesIO(PDF), filename=name), tenants[tenant], allowed_kinds=("document",))
        db.session.commit()
        return media

    return make


@pytest.fixture
def editor(make_user, client_for):
    """A client logged in as an editor of ``stc``, answered in English."""
    email = make_user("editor", "stc")
    client = client_for("stc")
    client.login(email)
    client.get("/?lang=en")  # the choice is remembered: the back office answers in English
    return client


@pytest.fixture
def token_for(app, make_user):
    def make(role, code):
        email = make_user(role, code)
        with app.app_context():
            token = issue_token(find_user(email))
            db.session.commit()
        return token

    return make
