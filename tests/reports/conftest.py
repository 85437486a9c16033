"""Every reports test leaves the legal basis chosen by date (none pinned)."""

import pytest
from sqlalchemy import update

from app.core.models import Tenant
from app.extensions import db


@pytest.fixture(autouse=True)
def _unpin_basis(app):
    yield
    with app.app_context():
        db.session.rollback()
        db.session.execute(update(Tenant).values(rules_basis=""))
        db.session.commit()
