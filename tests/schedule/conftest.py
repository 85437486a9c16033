import datetime as dt

import pytest
from sqlalchemy import select

from app.auth.operations import find_user
from app.core.models import Tenant
from app.core.timeutil import utcnow
from app.extensions import db
from app.schedule.models import ScheduleEntry
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
    return {
        "editor": find_user(make_user("editor", "dongxoai")),
        "head": find_user(make_user("head", "dongxoai")),
    }


@pytest.fixture
def make_entry(tenants):
    def make(code="portal", day=dt.date(2026, 12, 31), state=ReviewState.PUBLISHED, **fields):
        fields.setdefault("title", "Họp UBND tỉnh thường kỳ")
        fields.setdefault("start_time", dt.time(8, 0))
        fields.setdefault("end_time", dt.time(11, 30))
        fields.setdefault("location", "Phòng họp A, UBND tỉnh")
        fields.setdefault("presiding", "Chủ tịch UBND tỉnh")
        entry = ScheduleEntry(
            tenant_id=tenants[code].id,
            date=day,
            state=state,
            published_at=utcnow() if state == ReviewState.PUBLISHED else None,
            **fields,
        )
        db.session.add(entry)
        db.session.commit()
        return entry

    return make
