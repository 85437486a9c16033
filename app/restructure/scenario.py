"""The real scenario on the demo data (``flask demo restructure-2025``): on 1 July 2025 Binh Phuoc was merged
into Dong Nai and the district level was abolished; its 111 communes became 40 (Resolution 1662/NQ-UBTVQH15).

The 11 district sites become archives (their successor: the new commune that took most of their communes), the
40 commune sites are created, and every host moves from ``binhphuoc.gov.vn`` to ``dongnai.gov.vn`` (in
development, where BASE_DOMAIN is ``localhost``, the base moves to ``dongnai.localhost``), the old ones
answering 301 to the same path.
"""

import os
import time
from datetime import date

from sqlalchemy import select

from app.core.tenancy import base_domain
from app.extensions import db
from app.restructure.plan import run_plan

COMMUNE_LIST = os.path.join(os.path.dirname(__file__), "data", "binhphuoc-communes-2025.csv")
OLD_DOMAIN, NEW_DOMAIN = "binhphuoc.gov.vn", "dongnai.gov.vn"
# The demo accounts of each new commune site: enough to run it (the other roles are invited from the back office).
COMMUNE_ROLES = ("tenant_admin", "head")


def plan_2025():
    """The plan of the 2025 reorganisation."""
    plan = {
        "effective": date(2025, 7, 1),
        "communes": {
            "file": COMMUNE_LIST,
            "province": {"vi": "Đồng Nai", "en": "Dong Nai Province"},
            "retire_districts": True,
        },
        "renames": [
            {
                "code": "portal",
                "names": {"vi": "Cổng thông tin điện tử tỉnh Đồng Nai", "en": "Dong Nai Province Web Portal"},
            }
        ],
        "domain": {"from": OLD_DOMAIN, "to": NEW_DOMAIN},
    }
    return plan


def run_2025(config, dry_run=False):
    """Apply the scenario; yield report lines (the last one with the time it took)."""
    started = time.perf_counter()
    base = base_domain()
    lines = run_plan(plan_2025(), dry_run=dry_run)
    if base not in (OLD_DOMAIN, NEW_DOMAIN) and not base.startswith("dongnai."):
        # Development and tests: the hosts are built on BASE_DOMAIN (localhost), not on the official domain.
        lines += run_plan({"domain": {"from": base, "to": f"dongnai.{base}"}}, dry_run=dry_run)
    if not dry_run:
        lines += _demo_accounts()
    yield from lines
    yield f"restructure-2025: done in {time.perf_counter() - started:.1f} s"


def _demo_accounts():
    """The demo's accounts on the new commune sites (same password as the others), when the demo is loaded."""
    from app.auth.models import User
    from app.auth.operations import ensure_user
    from app.core.models import Tenant
    from app.demo import PROVINCE_ADMIN, demo_email

    shared = db.session.execute(select(User.password_hash).where(User.email == PROVINCE_ADMIN)).scalar()
    if not shared:
        return []
    existing = set(db.session.execute(select(User.email).where(User.email.like("%@demo.binhphuoc.gov.vn"))).scalars())
    count = 0
    for tenant in db.session.execute(select(Tenant).where(Tenant.kind == "commune")).scalars():
        for role in COMMUNE_ROLES:
            email = demo_email(role, tenant.code)
            if email in existing:
                continue
            ensure_user(email, tenant, role, name=f"{role} {tenant.code}", password_hash=shared)
            count += 1
    db.session.commit()
    return [f"users: {count} new demo accounts on the commune sites"]
