import pytest

from app.core.timeutil import utcnow
from app.extensions import db
from app.projects.models import Project
from app.workflow.models import ReviewState
from tests.procedures.conftest import ctx, tenants  # noqa: F401


@pytest.fixture
def make_project(tenants):  # noqa: F811 - the fixture imported above
    def make(kind="investment", tenant="skhdt", state=ReviewState.PUBLISHED, **fields):
        fields.setdefault("title", "Khu du lịch sinh thái hồ Suối Lam")
        fields.setdefault("field", "Du lịch")
        project = Project(tenant_id=tenants[tenant].id, kind=kind, state=state, **fields)
        if state == ReviewState.PUBLISHED:
            project.published_at = utcnow()
        db.session.add(project)
        db.session.commit()
        return project

    return make
