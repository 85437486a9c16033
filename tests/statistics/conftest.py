import io

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from app.auth.operations import find_user
from app.core.models import Tenant
from app.core.timeutil import utcnow
from app.extensions import db
from app.statistics.models import Dataset
from app.workflow.models import ReviewState


@pytest.fixture
def ctx(app):
    with app.test_request_context(base_url="http://localhost"):
        yield


@pytest.fixture
def tenants(ctx):
    return {t.code: t for t in db.session.execute(select(Tenant)).scalars()}


@pytest.fixture
def users(make_user, ctx):
    emails = {
        "editor": make_user("editor", "ctk"),
        "head": make_user("head", "ctk"),
        "dx_editor": make_user("editor", "dongxoai"),
    }
    return {k: find_user(v) for k, v in emails.items()}


OBSERVATIONS = [
    {"indicator": "Dân số", "area": "Đồng Xoài", "period": "2023", "value": 110000, "unit": "người", "note": ""},
    {
        "indicator": "Dân số",
        "area": "Đồng Xoài",
        "period": "2024",
        "value": 112500,
        "unit": "người",
        "note": "provisional",
    },
    {"indicator": "Dân số", "area": "Bù Đăng", "period": "2023", "value": 140200, "unit": "người", "note": ""},
    {"indicator": "Dân số", "area": "Bù Đăng", "period": "2024", "value": 141900, "unit": "người", "note": "estimated"},
    {"indicator": "Lao động", "area": "Đồng Xoài", "period": "2024", "value": 61000.5, "unit": "người", "note": ""},
]


@pytest.fixture
def make_dataset(tenants):
    def make(code="ctk", slug="dan-so", state=ReviewState.PUBLISHED, observations=None, **fields):
        fields.setdefault("title", "Dân số trung bình")
        dataset = Dataset(
            tenant_id=tenants[code].id,
            slug=slug,
            state=state,
            published_at=utcnow() if state == ReviewState.PUBLISHED else None,
            observations=list(OBSERVATIONS if observations is None else observations),
            **fields,
        )
        db.session.add(dataset)
        db.session.commit()
        return dataset

    return make


def xlsx_bytes(rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
