"""``flask tenants restructure PLAN.yaml``: a whole reorganisation in one transaction, previewed first.

A plan (YAML)::

    effective: 2025-07-01            # when the changes took effect (default: now)
    communes:                        # create the communes of an official list (kind commune)
      file: binhphuoc-communes.csv   # relative to the plan; the columns of shared/data/restructuring-2025
      province: {vi: "Đồng Nai", en: "Dong Nai Province"}
      retire_districts: true         # every district site of the list becomes an archive, its successor the
                                     # new commune that took most of its former communes
    renames:
      - {code: portal, names: {vi: "...", en: "..."}, contact: {email: "..."}}
      - {code: stc, new_code: sotaichinh, aliases: [stc.dongnai.gov.vn]}
    merges:
      - {from: sct, into: skhdt}
    retire:
      - {code: congbao, successor: vpubnd}
    domain: {from: binhphuoc.gov.vn, to: dongnai.gov.vn}

Steps run in this order: communes, renames, merges, retirements, domain. Run again, every step says it was
already done: a plan is idempotent.
"""

import os
from datetime import UTC, date, datetime, time, timedelta

import yaml

from app.core.tenancy import invalidate_host_map
from app.extensions import db
from app.restructure import operations as ops
from app.restructure.operations import RestructureError

PLAN_KEYS = ("effective", "communes", "renames", "merges", "retire", "domain")


def _effective(value):
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, date):
        # Midnight in Vietnam (UTC+7) is 17:00 UTC the day before.
        return datetime.combine(value, time(0)) - timedelta(hours=7)
    raise RestructureError(f"effective: {value!r} is not a date.")


def load_plan(path):
    """Read and check a plan file; paths in it become absolute.

    :raise RestructureError: not a mapping, an unknown key.
    """
    with open(path, encoding="utf-8") as fh:
        plan = yaml.safe_load(fh) or {}
    if not isinstance(plan, dict):
        raise RestructureError(f"{path}: a plan is a mapping of {', '.join(PLAN_KEYS)}.")
    unknown = sorted(set(plan) - set(PLAN_KEYS))
    if unknown:
        raise RestructureError(f"{path}: unknown keys {', '.join(unknown)} (expected {', '.join(PLAN_KEYS)}).")
    communes = plan.get("communes")
    if communes and communes.get("file") and not os.path.isabs(communes["file"]):
        communes["file"] = os.path.join(os.path.dirname(os.path.abspath(path)), communes["file"])
    return plan


def _successor(spec):
    return ops.find_tenant(spec) if spec else None


def apply_plan(plan, actor=None):
    """Apply ``plan`` to the session (no commit); return the lines describing each step."""
    effective = _effective(plan.get("effective"))
    lines = []
    communes = plan.get("communes") or {}
    if communes:
        if communes.get("file"):
            rows = ops.read_commune_list(communes["file"])
        else:
            rows = ops.parse_commune_list(communes.get("text"))
        province = communes.get("province") or {}
        made, by_unit = ops.create_communes(
            rows, actor, effective, province_vi=province.get("vi", ""), province_en=province.get("en", "")
        )
        lines += made
        if communes.get("retire_districts"):
            for code, successor in sorted(ops.district_successors(rows, by_unit).items()):
                try:
                    tenant = ops.find_tenant(code)
                except RestructureError:
                    lines.append(f"{code}: no site for this district (skipped)")
                    continue
                lines += ops.retire(tenant, actor, successor, effective)
    for spec in plan.get("renames") or []:
        tenant = ops.find_tenant(spec.get("code"))
        lines += ops.rename(
            tenant,
            actor,
            code=spec.get("new_code"),
            names=spec.get("names"),
            contact=spec.get("contact"),
            aliases=spec.get("aliases"),
            effective=effective,
        )
    for spec in plan.get("merges") or []:
        lines += ops.merge(ops.find_tenant(spec.get("from")), ops.find_tenant(spec.get("into")), actor, effective)
    for spec in plan.get("retire") or []:
        spec = {"code": spec} if isinstance(spec, str) else spec
        lines += ops.retire(ops.find_tenant(spec.get("code")), actor, _successor(spec.get("successor")), effective)
    domain = plan.get("domain") or {}
    if domain:
        lines += ops.change_domain(domain.get("from"), domain.get("to"), actor, effective)
    return lines


def run_plan(plan, actor=None, dry_run=False):
    """Apply ``plan`` in one transaction: committed, or rolled back after the preview (``dry_run``).

    :raise RestructureError: a step that cannot run; nothing of the plan is kept.
    """
    try:
        lines = apply_plan(plan, actor)
        db.session.flush()
        if dry_run:
            db.session.rollback()
            lines.append("dry run: nothing was changed")
        else:
            db.session.commit()
        return lines
    except Exception:
        db.session.rollback()
        raise
    finally:
        # The host map may have been rebuilt from rows of the preview or of a failed plan.
        invalidate_host_map()
