"""No route leaks across tenants: every public page and API item of stc is 404 on dongxoai (R-01, R-04)."""

from urllib.parse import urlsplit

from sqlalchemy import select

from app.core.models import Tenant
from app.demo import load_demo
from app.extensions import db
from app.workflow import registry
from app.workflow.models import visible_filter


def test_every_published_item_is_visible_only_on_its_own_host(app, client_for):
    """R-01, R-04: with the demo data loaded, each public URL and API item answers on its tenant's host only."""
    with app.test_request_context(base_url="http://localhost"):
        list(load_demo())
        stc = db.session.execute(select(Tenant).where(Tenant.code == "stc")).scalars().one()
        checks = []
        for ct in registry.all_types():
            items = db.session.execute(
                select(ct.model).where(ct.model.tenant_id == stc.id, visible_filter(ct.model)).limit(3)
            ).scalars()
            for item in items:
                url = ct.public_url(item) if ct.public_url else None
                # A marker no other site can have: demo sites share generic titles ("Giới thiệu").
                title = f"Mốc-kiểm-tra-{ct.name}-{item.id}"
                columns = type(item).__table__.columns
                setattr(item, "title" if "title" in columns else "name", title)
                parts = urlsplit(url) if url else None
                path = (parts.path + (f"?{parts.query}" if parts.query else "")) if parts else None
                # An item shown inside a list (URL with #fragment) may be shown under another title.
                checks.append((ct.name, ct.collection, item.id, path, title, bool(parts and parts.fragment)))
        db.session.commit()
    assert len({c[0] for c in checks}) >= 3, f"too few content types with stc demo items: {checks}"
    own, other = client_for("stc"), client_for("dongxoai")
    leaks = []
    for name, collection, object_id, path, title, in_list in checks:
        if path:
            mine = own.get(path)
            if mine.status_code != 200 or (title not in mine.get_data(as_text=True) and not in_list):
                leaks.append(f"{name} {path} does not show {title!r} on stc")
            theirs = other.get(path)
            if theirs.status_code != 404 and title in theirs.get_data(as_text=True):
                leaks.append(f"{name} {path} shows {title!r} on dongxoai")
        api = f"/api/v1/{collection}/{object_id}"
        if own.get(api).status_code == 200 and other.get(api).status_code != 404:
            leaks.append(f"{api} answers on dongxoai")
        history = f"/api/v1/{collection}/{object_id}/history"
        if other.get(history).status_code not in (401, 404):
            leaks.append(f"{history} answers on dongxoai")
    assert leaks == [], "\n".join(leaks)
