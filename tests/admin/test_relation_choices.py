"""Relation pickers of every back-office form offer only the site's own rows (R-01, R-04).

Generated over the registered Flask-Admin model views: each view's create form (and its edit form
for one of stc's rows) is built on stc's host as stc's tenant admin, with the demo data of every
site loaded; no choice of a picker may belong to dongxoai (or to any other site).
"""

import datetime as dt

import pytest
from flask_admin.contrib.sqla import ModelView
from flask_admin.contrib.sqla.fields import QuerySelectField
from flask_login import login_user
from sqlalchemy import select

from app import create_app
from app.auth.models import Membership, User
from app.auth.operations import find_user
from app.core.models import Tenant
from app.core.scoping import TenantScoped, scoped
from app.demo import load_demo
from app.directory.models import Unit
from app.documents.models import GazetteIssue
from app.extensions import db
from tests.conftest import host_for, reset_database

OWN, OTHER = "stc", "dongxoai"


def _model_view_endpoints():
    app = create_app("testing")
    return sorted(v.endpoint for v in app.extensions["portal_admin"]._views if isinstance(v, ModelView))


ENDPOINTS = _model_view_endpoints()


@pytest.fixture(autouse=True)
def _clean_database():
    """Read-only tests: the demo data is loaded once for the module and removed after its last test."""
    yield


@pytest.fixture(scope="module")
def demo_sites(app, _tenant_records):
    with app.test_request_context(base_url="http://localhost"):
        list(load_demo())
        # The demo has gazette issues on the e-gazette only: give both sites one.
        for code in (OWN, OTHER):
            site = db.session.execute(select(Tenant).where(Tenant.code == code)).scalars().one()
            db.session.add(GazetteIssue(tenant_id=site.id, number=f"{code}-01/2026", issued_on=dt.date(2026, 1, 5)))
        db.session.commit()
    yield
    reset_database(app, _tenant_records)


def _view(app, endpoint):
    return next(v for v in app.extensions["portal_admin"]._views if v.endpoint == endpoint)


def _site(code):
    return db.session.execute(select(Tenant).where(Tenant.code == code)).scalars().one()


def _pickers(form):
    return [field for field in form if isinstance(field, QuerySelectField)]


def _owner_ids(row):
    """The sites a choice belongs to: its tenant, or a user's memberships; None when it belongs to none."""
    if isinstance(row, User):
        return {m.tenant_id for m in row.memberships}
    return {row.tenant_id} if hasattr(row, "tenant_id") else None


def _target(field):
    """The model a picker chooses from (the entity of its query)."""
    query = field.query or field.query_factory()
    descriptions = getattr(query, "column_descriptions", None)
    return descriptions[0]["entity"] if descriptions else None


def _has_rows(model, tenant):
    if model is User:
        model = Membership
    elif not (isinstance(model, type) and issubclass(model, TenantScoped)):
        return False
    return db.session.execute(scoped(model, tenant, model.id).limit(1)).first() is not None


def _leaks(form, own, other):
    """``[(field, what is wrong)]``: choices that are not ``own``'s, and pickers with nothing of ``other`` to hide."""
    found = []
    for field in _pickers(form):
        model = _target(field)
        if not _has_rows(model, other):
            found.append((field.name, f"no row of {getattr(model, '__name__', model)} on {other.code} to hide"))
            continue
        for _pk, row in field._get_object_list():
            owners = _owner_ids(row)
            if owners is not None and own.id not in owners:
                found.append((field.name, str(field.get_label(row))))
    return found


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_relation_pickers_offer_only_the_sites_rows(app, demo_sites, make_user, endpoint):
    """R-04: every picker of the view's create and edit forms holds stc's rows only, on stc as its tenant admin."""
    email = make_user("tenant_admin", OWN)
    view = _view(app, endpoint)
    with app.test_request_context("/admin/", base_url=f"http://{host_for(OWN)}"):
        app.preprocess_request()
        login_user(find_user(email))
        own, other = _site(OWN), _site(OTHER)
        forms = [("create", view.create_form())]
        if issubclass(view.model, TenantScoped):
            row = db.session.execute(scoped(view.model, own).order_by(view.model.id).limit(1)).scalars().first()
            if row is not None:
                forms.append(("edit", view.edit_form(obj=row)))
        leaks = [(kind, name, label) for kind, form in forms for name, label in _leaks(form, own, other)]
    assert leaks == []


def test_the_province_admin_picks_among_the_edited_rows_own_site(app, demo_sites, make_user):
    """On the portal a global admin edits any site's row: its pickers hold that site's rows, not the portal's."""
    email = make_user("province_admin", "portal")
    view = _view(app, "directory_officials")
    with app.test_request_context("/admin/", base_url=f"http://{host_for('portal')}"):
        app.preprocess_request()
        login_user(find_user(email))
        other = _site(OTHER)
        official = db.session.execute(scoped(view.model, other).limit(1)).scalars().first()
        form = view.edit_form(obj=official)
        units = {row.tenant_id for _pk, row in form.unit._get_object_list()}
    assert units == {other.id}


def test_another_sites_row_is_not_a_valid_choice(app, demo_sites, make_user):
    """A posted id of dongxoai's unit is not taken on stc, whatever the browser sends."""
    email = make_user("tenant_admin", OWN)
    view = _view(app, "directory_units")
    with app.test_request_context("/admin/", base_url=f"http://{host_for(OWN)}"):
        app.preprocess_request()
        login_user(find_user(email))
        theirs = db.session.execute(scoped(Unit, _site(OTHER)).limit(1)).scalars().first()
        form = view.create_form()
        form.parent.process_formdata([str(theirs.id)])
        assert form.parent.data is None
