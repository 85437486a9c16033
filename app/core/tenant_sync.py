"""Load ``tenants/<code>/tenant.yaml`` files into the database (idempotent)."""

import os
import unicodedata

import yaml
from sqlalchemy import select

from app.core.errors import DomainError
from app.core.models import TENANT_KINDS, Tenant
from app.core.tenancy import invalidate_host_map
from app.extensions import db

# What a reorganisation decides (code, kind, names, contact, hosts): once a tenant went through one, its
# tenant.yaml no longer overwrites these, or the next sync would undo a rename or a new base domain.
RESTRUCTURED_KEYS = frozenset(
    {"code", "kind", "name_vi", "name_en", "domain", "address", "phone", "fax", "email", "aliases",
     "attribution_vi", "attribution_en"}
)  # fmt: skip


class TenantFileError(DomainError):
    """A tenant.yaml that cannot be loaded, with the file and the reason."""


def _nfc(value):
    return unicodedata.normalize("NFC", str(value or "")).strip()


def read_tenant_file(path):
    """Parse and validate one tenant.yaml; return the column values."""
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    code = str(data.get("code", "")).strip().lower()
    folder = os.path.basename(os.path.dirname(path))
    if not code or code != folder:
        raise TenantFileError(f"{path}: code {code!r} must match the folder name {folder!r}")
    kind = data.get("kind")
    if kind not in TENANT_KINDS:
        raise TenantFileError(f"{path}: kind must be one of {', '.join(TENANT_KINDS)}")
    names = data.get("name") or {}
    if not names.get("vi"):
        raise TenantFileError(f"{path}: name.vi is required")
    contact = data.get("contact") or {}
    attribution = data.get("attribution") or {}
    chains = data.get("review_chains") or {}
    for ctype, roles in chains.items():
        if not isinstance(roles, list) or not roles:
            raise TenantFileError(f"{path}: review_chains.{ctype} must be a non-empty list of roles")
    return {
        "code": code,
        "kind": kind,
        "name_vi": _nfc(names.get("vi")),
        "name_en": _nfc(names.get("en") or names.get("vi")),
        "domain": _nfc(data.get("domain")),
        "address": _nfc(contact.get("address")),
        "phone": _nfc(contact.get("phone")),
        "fax": _nfc(contact.get("fax")),
        "email": _nfc(contact.get("email")),
        "aliases": [str(a).strip().lower() for a in data.get("aliases") or []],
        "theme": data.get("theme") or {},
        "review_chains": chains,
        "review_deadlines": {str(k): int(v) for k, v in (data.get("review_deadlines") or {}).items()},
        "attribution_vi": _nfc(attribution.get("vi")),
        "attribution_en": _nfc(attribution.get("en")),
        "sort_order": int(data.get("sort_order", 0)),
    }


def tenant_files(tenants_dir):
    for code in sorted(os.listdir(tenants_dir)):
        path = os.path.join(tenants_dir, code, "tenant.yaml")
        if os.path.isfile(path):
            yield path


def read_all(tenants_dir):
    return [read_tenant_file(path) for path in tenant_files(tenants_dir)]


def sync_tenants(tenants_dir, records=None):
    """Create or update a tenant per file; return ``(created, updated, unchanged)`` counts.

    A file matches its tenant by code, or by a former code after a rename; a tenant that went through a
    reorganisation keeps what it decided (:data:`RESTRUCTURED_KEYS`).

    :param records: already-read files (``read_all``), to skip parsing them again.
    """
    records = read_all(tenants_dir) if records is None else records
    tenants = db.session.execute(select(Tenant)).scalars().all()
    existing = {code: t for t in tenants for code in (t.former_codes or [])}
    existing.update({t.code: t for t in tenants})
    created = updated = unchanged = 0
    for record in records:
        tenant = existing.get(record["code"])
        if tenant is None:
            db.session.add(Tenant(**record))
            created += 1
            continue
        changed = False
        for key, value in record.items():
            if tenant.restructured_at is not None and key in RESTRUCTURED_KEYS:
                continue
            if getattr(tenant, key) != value:
                setattr(tenant, key, value)
                changed = True
        updated += changed
        unchanged += not changed
    db.session.commit()
    if created or updated:
        invalidate_host_map()
    return created, updated, unchanged
