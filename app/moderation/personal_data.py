"""Personal data of visitors (R-17): one registry of the modules that hold it.

A module registers ``export(email, tenant) -> list of dict`` and ``erase(email, tenant, actor) -> int``
(``tenant`` None: every tenant), or, for one table with an ``email`` column, ``register_rows``. Erasure
blanks the personal fields but keeps the case; the caller audits.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from app.core.scoping import scope_filter
from app.core.timeutil import isoformat
from app.extensions import db

ERASED = ""


@dataclass(frozen=True)
class Provider:
    name: str
    export: Any
    erase: Any


_PROVIDERS: dict[str, Provider] = {}


def register(name, export, erase):
    _PROVIDERS[name] = Provider(name, export, erase)


def register_rows(name, model, dump, erase, where=scope_filter):
    """Register the rows of ``model`` whose ``email`` is the person's, on ``where(model, tenant)``.

    The export of a row is ``id``, ``tenant`` (code), ``dump(row)``, ``consent_at`` and ``consent_version``;
    ``erase(row, actor)`` blanks (or deletes) one row.
    """

    def rows_of(email, tenant):
        stmt = select(model).where(func.lower(model.email) == email)
        if tenant is not None:
            stmt = stmt.where(where(model, tenant))
        return db.session.execute(stmt).scalars().all()

    def export_rows(email, tenant):
        return [
            {
                "id": row.id,
                "tenant": row.tenant.code,
                **dump(row),
                "consent_at": isoformat(row.consent_at),
                "consent_version": row.consent_version,
            }
            for row in rows_of(email, tenant)
        ]

    def erase_rows(email, tenant, actor):
        rows = rows_of(email, tenant)
        for row in rows:
            erase(row, actor)
        return len(rows)

    register(name, export_rows, erase_rows)


def export_person(email, tenant=None):
    """Everything held about ``email`` (case-insensitive), by provider."""
    email = (email or "").strip().lower()
    return {name: p.export(email, tenant) for name, p in sorted(_PROVIDERS.items())}


def erase_person(email, tenant, actor):
    """Blank ``email``'s personal fields everywhere the providers look; return counts by provider."""
    from app.core import audit

    email = (email or "").strip().lower()
    counts = {name: p.erase(email, tenant, actor) for name, p in sorted(_PROVIDERS.items())}
    audit.record("personal_data.erase", target=f"{sum(counts.values())} records", detail=str(counts), user=actor)
    return counts
