"""Lifecycle operations on tenants, each taking the acting user (None from the command line) and recording itself
in the audit log. They change the session and do not commit: :func:`app.restructure.plan.run_plan` commits a
whole plan, or rolls it back for a preview (``--dry-run``). Each is idempotent: run again, it reports "already
done" and changes nothing.

Every operation returns the lines that describe what it did (or would do).
"""

import csv
import io
import logging
import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import delete, select, tuple_, update

from app.core import audit
from app.core.errors import DomainError
from app.core.models import FormerHost, Redirect, Tenant, TenantIdentity
from app.core.tenancy import base_domain, invalidate_host_map, tenant_hosts
from app.core.text import unaccent
from app.core.timeutil import utcnow
from app.extensions import db

log = logging.getLogger(__name__)

CODE_RE = re.compile(r"^[a-z0-9]{2,40}$")
RESERVED_CODES = {"www", "admin", "api", "static", "mail", "portal"}
# Rows that stay with the merged tenant: its own history and identity (A's history stays readable).
STAYS_WITH_MERGED = frozenset({"tenant", "audit_event", "former_host", "tenant_identity", "redirect",
                               "report_evaluation"})  # fmt: skip
# Columns that say which tenant a row belongs to or is addressed to; credits (source_tenant_id) stay.
OWNER_COLUMNS = ("tenant_id", "target_tenant_id")
COMMUNE_PREFIXES = (("Thị trấn ", "tt"), ("Phường ", "phuong"), ("Xã ", "xa"))
DISTRICT_PREFIXES = ("Thành phố ", "Thị xã ", "Huyện ", "Quận ")
COMMUNE_COLUMNS = ("old_district_code", "old_district", "old_commune_code", "old_commune", "new_commune_code",
                   "new_commune")  # fmt: skip


class RestructureError(DomainError):
    """An operation that cannot run as asked (unknown tenant, taken code, merge into itself...)."""


def _actor_name(actor):
    return actor.email if actor is not None else "cli"


def _record(action, tenant, detail, actor):
    audit.record(action, tenant.code, detail, user=actor, tenant=tenant)
    log.debug("%s %s by %s: %s", action, tenant.code, _actor_name(actor), detail)


def find_tenant(code):
    """The tenant with ``code`` (or that had it before a rename).

    :raise RestructureError: no such tenant.
    """
    code = (code or "").strip().lower()
    tenant = db.session.execute(select(Tenant).where(Tenant.code == code)).scalars().first()
    if tenant is None:
        for candidate in db.session.execute(select(Tenant).where(Tenant.former_codes.isnot(None))).scalars():
            if code in (candidate.former_codes or []):
                return candidate
        raise RestructureError(f"No tenant with code {code!r}.")
    return tenant


def _mark(tenant, now):
    tenant.restructured_at = tenant.restructured_at or now


def keep_former_host(host, tenant, reason, now=None):
    """Make ``host`` answer 301 for ``tenant`` from now on (idempotent)."""
    row = db.session.execute(select(FormerHost).where(FormerHost.host == host)).scalars().first()
    if row is None:
        db.session.add(FormerHost(host=host, tenant_id=tenant.id, reason=reason, moved_at=now or utcnow()))
    elif row.tenant_id != tenant.id:
        row.tenant_id, row.reason, row.moved_at = tenant.id, reason, now or utcnow()


def keep_identity(tenant, until):
    """Record the names and contact ``tenant`` has now as valid until ``until``."""
    db.session.add(
        TenantIdentity(
            tenant_id=tenant.id,
            valid_until=until,
            code=tenant.code,
            name_vi=tenant.name_vi,
            name_en=tenant.name_en or "",
            address=tenant.address or "",
            phone=tenant.phone or "",
            fax=tenant.fax or "",
            email=tenant.email or "",
        )
    )


def check_code(code, tenant=None):
    """Raise unless ``code`` can name a new site (format, reserved words, used by another or formerly)."""
    if not CODE_RE.match(code or "") or code in RESERVED_CODES:
        raise RestructureError(f"Code {code!r}: use 2 to 40 lower-case letters and digits, not a reserved word.")
    other = db.session.execute(select(Tenant).where(Tenant.code == code)).scalars().first()
    if other is not None and other is not tenant:
        raise RestructureError(f"Code {code!r} is already used by {other.code}.")


# --- rename -------------------------------------------------------------------------------------------------------


def rename(tenant, actor=None, code=None, names=None, contact=None, aliases=None, effective=None):
    """Rename ``tenant``'s code, names, contact or aliases; old hosts answer 301 to the same path on the new one.

    :param names: ``{"vi": ..., "en": ...}``; the former names stay what pages published before show.
    :param contact: ``{"address", "phone", "fax", "email"}``.
    :param aliases: the new list of extra hosts (replacing the old; the hosts dropped redirect).
    """
    now = effective or utcnow()
    lines = []
    new_names = {f"name_{k}": v.strip() for k, v in (names or {}).items() if k in ("vi", "en") and v and v.strip()}
    new_contact = {k: str(v).strip() for k, v in (contact or {}).items() if k in ("address", "phone", "fax", "email")}
    identity = {k: v for k, v in {**new_names, **new_contact}.items() if getattr(tenant, k) != v}
    code = (code or "").strip().lower() or tenant.code
    old_hosts = set(tenant_hosts(tenant, base_domain()))
    if code != tenant.code:
        check_code(code, tenant)
        keep_identity(tenant, now)
        lines.append(f"rename {tenant.code} -> {code}")
        tenant.former_codes = [*(tenant.former_codes or []), tenant.code]
        tenant.code = code
    elif identity:
        keep_identity(tenant, now)
    for key, value in identity.items():
        lines.append(f"{tenant.code}: {key} {getattr(tenant, key)!r} -> {value!r}")
        setattr(tenant, key, value)
    if aliases is not None:
        wanted = [a.strip().lower() for a in aliases if a and a.strip()]
        if wanted != list(tenant.aliases or []):
            lines.append(f"{tenant.code}: aliases {', '.join(tenant.aliases or []) or '-'} -> {', '.join(wanted)}")
            tenant.aliases = wanted
    if not lines:
        return [f"{tenant.code}: already named so (nothing to do)"]
    db.session.flush()
    for host in sorted(old_hosts - set(tenant_hosts(tenant, base_domain()))):
        keep_former_host(host, tenant, "rename", now)
        lines.append(f"{host} -> 301 to {tenant.code}")
    _mark(tenant, now)
    _record("tenant.rename", tenant, "; ".join(lines), actor)
    invalidate_host_map()
    return lines


# --- retire -------------------------------------------------------------------------------------------------------


def retire(tenant, actor=None, successor=None, effective=None):
    """Turn ``tenant`` into a read-only archive: pages stay under their URLs, forms close, every write is refused.

    :param successor: the tenant that carries on its work (named on every page of the archive).
    """
    if tenant.is_portal:
        raise RestructureError("The portal cannot be retired.")
    if successor is not None and successor.id == tenant.id:
        raise RestructureError(f"{tenant.code} cannot succeed itself.")
    successor_id = successor.id if successor is not None else None
    if tenant.state == "archived" and tenant.successor_id == successor_id:
        return [f"{tenant.code}: already archived (nothing to do)"]
    if tenant.state == "merged":
        raise RestructureError(f"{tenant.code} was merged; a merged site cannot be archived.")
    now = effective or utcnow()
    if tenant.state != "archived" or tenant.state_since is None:
        tenant.state_since = now
    tenant.state, tenant.successor_id = "archived", successor_id
    _mark(tenant, now)
    line = f"retire {tenant.code} into an archive" + (f" (successor {successor.code})" if successor else "")
    _record("tenant.retire", tenant, line, actor)
    invalidate_host_map()
    return [line]


# --- merge --------------------------------------------------------------------------------------------------------


def _tenant_tables():
    for table in db.metadata.sorted_tables:
        if table.name in STAYS_WITH_MERGED:
            continue
        owners = [c for c in OWNER_COLUMNS if c in table.c]
        if owners:
            yield table, owners


def _unique_keys(table):
    keys = [tuple(c.name for c in u.columns) for u in table.constraints if u.__class__.__name__ == "UniqueConstraint"]
    keys += [tuple(c.name for c in i.columns) for i in table.indexes if i.unique]
    return [tuple(k for k in key if k != "tenant_id") for key in keys if "tenant_id" in key]


def _item_paths(tenant):
    """``{(type, id): path}`` of every item of ``tenant`` with a public page."""
    from app.workflow import registry

    paths = {}
    for ct in registry.all_types():
        if ct.public_url is None:
            continue
        model = ct.model
        stmt = select(model).where(model.tenant_id == tenant.id)
        if hasattr(model, "revision_of_id"):
            stmt = stmt.where(model.revision_of_id.is_(None))
        for item in db.session.execute(stmt).scalars():
            try:
                url = ct.public_url(item)
            except Exception:  # noqa: BLE001 - an item whose page cannot be built has no URL to keep
                log.warning("no public URL for %s %s of %s", ct.name, item.id, tenant.code)
                url = None
            if url:
                paths[(ct.name, item.id)] = urlsplit(url).path
    return paths


def _resolve_collisions(table, key, source, target, lines):
    """Rows of ``source`` whose unique ``key`` ``target`` already has: renamed (one text column) or removed."""
    if not key:
        return
    columns = [table.c[name] for name in key]
    theirs = select(*columns).where(table.c.tenant_id == target.id)
    clashing = db.session.execute(
        select(table.c.id, *columns).where(table.c.tenant_id == source.id, tuple_(*columns).in_(theirs))
        if len(columns) > 1
        else select(table.c.id, columns[0]).where(table.c.tenant_id == source.id, columns[0].in_(theirs))
    ).all()
    if not clashing:
        return
    if len(columns) == 1 and hasattr(columns[0].type, "length"):
        column, length = columns[0], columns[0].type.length or 255
        for row_id, value in clashing:
            new, n = f"{value}-{source.code}"[:length], 2
            while db.session.execute(
                select(table.c.id).where(table.c.tenant_id.in_((source.id, target.id)), column == new)
            ).first():
                new, n = f"{value}-{source.code}-{n}"[:length], n + 1
            db.session.execute(update(table).where(table.c.id == row_id).values({column.name: new}))
            lines.append(f"  {table.name} {row_id}: {column.name} {value!r} -> {new!r} ({target.code} has it)")
        return
    ids = [row[0] for row in clashing]
    db.session.execute(delete(table).where(table.c.id.in_(ids)))
    lines.append(f"  {table.name}: {len(ids)} rows {target.code} already has, dropped")


def merge(source, target, actor=None, effective=None):
    """Merge ``source`` into ``target``: content, media, users, review history move; every old URL of ``source``
    answers 301 to the same item on ``target``; ``source`` keeps its audit log, names and evaluations, read-only.
    """
    if source.id == target.id:
        raise RestructureError(f"{source.code} cannot be merged into itself.")
    if source.is_portal:
        raise RestructureError("The portal cannot be merged into a subsite.")
    if source.state == "merged":
        if source.successor_id == target.id:
            return [f"{source.code}: already merged into {target.code} (nothing to do)"]
        raise RestructureError(f"{source.code} was already merged into another site.")
    if target.state != "active":
        raise RestructureError(f"{target.code} is {target.state}: merge into an active site.")
    now = effective or utcnow()
    lines = [f"merge {source.code} into {target.code}"]
    before = _item_paths(source)
    db.session.flush()
    moved = Counter()
    for table, owners in _tenant_tables():
        for key in _unique_keys(table):
            _resolve_collisions(table, key, source, target, lines)
        for column in owners:
            result = db.session.execute(update(table).where(table.c[column] == source.id).values({column: target.id}))
            if result.rowcount:
                moved[table.name] += result.rowcount
    db.session.expire_all()
    if moved:
        lines.append("  moved: " + ", ".join(f"{n} {name}" for name, n in sorted(moved.items())))
    after = _item_paths(target)
    redirects = 0
    for key, old_path in before.items():
        new_path = after.get(key)
        if new_path and new_path != old_path:
            _add_redirect(source, old_path, new_path, "merge")
            redirects += 1
    if redirects:
        lines.append(f"  {redirects} items changed address: {source.code}'s old URLs redirect to them")
    source.state, source.successor_id, source.state_since = "merged", target.id, now
    _mark(source, now)
    _mark(target, now)
    db.session.flush()
    _reindex(target, before.keys())
    _record("tenant.merge", source, "\n".join(lines), actor)
    _record("tenant.merge_in", target, lines[0], actor)
    invalidate_host_map()
    return lines


def _reindex(tenant, keys):
    from app.workflow import registry

    try:
        from app.search.indexing import index_item
    except ImportError:  # pragma: no cover - the search module is optional
        return
    for name, item_id in keys:
        ct = registry.get(name)
        item = db.session.get(ct.model, item_id)
        if item is not None and item.tenant_id == tenant.id and getattr(item, "state", None) == "published":
            index_item(item)


def _add_redirect(tenant, old_path, new_path, source="manual"):
    row = (
        db.session.execute(select(Redirect).where(Redirect.tenant_id == tenant.id, Redirect.old_path == old_path))
        .scalars()
        .first()
    )
    if row is None:
        db.session.add(Redirect(tenant_id=tenant.id, old_path=old_path, new_path=new_path, source=source))
    else:
        row.new_path, row.source = new_path, source


# --- base domain --------------------------------------------------------------------------------------------------


def _swap_suffix(host, old, new):
    if host == new or host.endswith("." + new):
        return None  # already moved (``dongnai.localhost`` ends with ``localhost`` too)
    if host == old:
        return new
    if host.endswith("." + old):
        return host[: -len(old)] + new
    return None


def change_domain(old, new, actor=None, effective=None):
    """Move every host under ``old`` to ``new`` (``binhphuoc.gov.vn`` -> ``dongnai.gov.vn``): the base domain when
    it is ``old``, and every alias and official domain ending in it; the old hosts answer 301 to the new ones."""
    old, new = (old or "").strip().lower().strip("."), (new or "").strip().lower().strip(".")
    if not old or not new or old == new:
        raise RestructureError("Give the old and the new domain, different from each other.")
    now = effective or utcnow()
    tenants = db.session.execute(select(Tenant).order_by(Tenant.sort_order, Tenant.id)).scalars().all()
    base = base_domain()
    before = {t.id: set(tenant_hosts(t, base)) for t in tenants}
    lines = []
    if base == old:
        portal = next(t for t in tenants if t.is_portal)
        portal.base_domain = new
        _mark(portal, now)
        lines.append(f"base domain {old} -> {new}")
    for tenant in tenants:
        aliases = [_swap_suffix(a, old, new) or a for a in tenant.aliases or []]
        if aliases != list(tenant.aliases or []):
            tenant.aliases = list(dict.fromkeys(aliases))
            _mark(tenant, now)
        domain = _swap_suffix(tenant.domain or "", old, new)
        if domain:
            tenant.domain = domain
            _mark(tenant, now)
        # The attribution names the address reused content must credit: it follows the site.
        for field in ("attribution_vi", "attribution_en", "email"):
            value = getattr(tenant, field) or ""
            if old in value:
                setattr(tenant, field, value.replace(old, new))
    if not lines and all(set(tenant_hosts(t, base)) == before[t.id] for t in tenants):
        return [f"no host under {old} (already moved to {new}?)"]
    db.session.flush()
    invalidate_host_map()
    base = base_domain() if base != old else new
    moved = 0
    for tenant in tenants:
        for host in sorted(before[tenant.id] - set(tenant_hosts(tenant, base))):
            keep_former_host(host, tenant, "domain", now)
            moved += 1
    lines.append(f"{moved} hosts under {old} now answer 301 to the same path under {new}")
    portal = next(t for t in tenants if t.is_portal)
    _record("tenant.change_domain", portal, "; ".join(lines), actor)
    invalidate_host_map()
    return lines


# --- communes -----------------------------------------------------------------------------------------------------


@dataclass
class CommuneRow:
    """One line of the official list: a former commune and the new one it belongs to."""

    old_district_code: str
    old_district: str
    old_commune_code: str
    old_commune: str
    new_commune_code: str
    new_commune: str


def read_commune_list(path):
    """Read the official list (the columns of ``binhphuoc-communes.csv``) from a file."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return parse_commune_list(fh.read(), path)


def parse_commune_list(text, name="the list"):
    """The rows of the official list in ``text``.

    :raise RestructureError: a missing column, a row without the new commune, or no rows.
    """
    reader = csv.DictReader(io.StringIO((text or "").lstrip("\ufeff")))
    missing = [c for c in COMMUNE_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise RestructureError(f"{name}: missing columns {', '.join(missing)}.")
    rows = []
    for number, row in enumerate(reader, start=2):
        values = {c: (row.get(c) or "").strip() for c in COMMUNE_COLUMNS}
        if not values["new_commune_code"] or not values["new_commune"]:
            raise RestructureError(f"{name}, line {number}: new_commune_code and new_commune are required.")
        rows.append(CommuneRow(**values))
    if not rows:
        raise RestructureError(f"{name}: no rows.")
    return rows


def plain_name(name, prefixes):
    """``Phường Phước Long`` -> ``Phước Long`` (and the prefix's short form)."""
    for prefix in prefixes:
        text, short = prefix if isinstance(prefix, tuple) else (prefix, "")
        if name.startswith(text):
            return name[len(text) :].strip(), short
    return name.strip(), ""


def commune_code(name, taken):
    """The site code of a commune: its name unaccented without spaces (``talai``); when another site has it
    (a former district of the same name), with its kind first (``phuongphuoclong``)."""
    plain, short = plain_name(name, COMMUNE_PREFIXES)
    code = re.sub(r"[^a-z0-9]", "", unaccent(plain).lower())[:40]
    if code in taken or code in RESERVED_CODES or len(code) < 2:
        code = f"{short or 'xa'}{code}"[:40]
    return code


def district_code(name):
    plain, _ = plain_name(name, DISTRICT_PREFIXES)
    return re.sub(r"[^a-z0-9]", "", unaccent(plain).lower())


def create_communes(rows, actor=None, effective=None, province_vi="", province_en=""):
    """Create a site of kind ``commune`` for every new commune of ``rows`` that has none yet (by its official unit
    code). Return the lines and ``{new commune code: tenant}``."""
    now = effective or utcnow()
    tenants = db.session.execute(select(Tenant)).scalars().all()
    by_unit = {t.unit_code: t for t in tenants if t.unit_code}
    taken = {t.code for t in tenants} | {c for t in tenants for c in (t.former_codes or [])}
    order = max((t.sort_order for t in tenants), default=0)
    created, kept, result = [], 0, {}
    for row in rows:
        if row.new_commune_code in result:
            continue
        tenant = by_unit.get(row.new_commune_code)
        if tenant is not None:
            kept += 1
            result[row.new_commune_code] = tenant
            continue
        code = commune_code(row.new_commune, taken)
        check_code(code)
        taken.add(code)
        order += 1
        plain, short = plain_name(row.new_commune, COMMUNE_PREFIXES)
        kind_en = {"phuong": "Ward", "tt": "Township"}.get(short, "Commune")
        name_vi = f"UBND {row.new_commune[0].lower()}{row.new_commune[1:]}" if row.new_commune else code
        name_en = f"{unaccent(plain)} {kind_en} People's Committee"
        tenant = Tenant(
            code=code,
            kind="commune",
            name_vi=f"{name_vi}{f', tỉnh {province_vi}' if province_vi else ''}",
            name_en=f"{name_en}{f', {province_en}' if province_en else ''}",
            aliases=[],
            unit_code=row.new_commune_code,
            theme={},
            review_chains={"default": ["head"]},
            review_deadlines={"default": 2},
            sort_order=order,
            restructured_at=now,
            state_since=now,
        )
        db.session.add(tenant)
        created.append(tenant)
        result[row.new_commune_code] = tenant
    db.session.flush()
    for tenant in created:
        _record("tenant.create_commune", tenant, f"{tenant.code}: {tenant.name_vi}", actor)
    invalidate_host_map()
    lines = [f"communes: {len(created)} created, {kept} already there"]
    lines += [f"  + {t.code}: {t.name_vi}" for t in created]
    return lines, result


def district_successors(rows, communes):
    """``{district site code: the new commune that took most of its former communes}`` (ties: lowest code)."""
    votes = {}
    for row in rows:
        votes.setdefault(district_code(row.old_district), Counter())[row.new_commune_code] += 1
    return {
        code: communes[sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]]
        for code, counter in votes.items()
        if counter
    }
