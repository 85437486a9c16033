"""Personal data of visitors (R-17): one registry of the modules that hold it.

A module registers ``export(email, tenant) -> list of dict`` and ``erase(email, tenant, actor) -> int``
(``tenant`` None: every tenant). Erasure blanks the personal fields but keeps the case; the caller audits.
"""

from dataclasses import dataclass
from typing import Any

ERASED = ""


@dataclass(frozen=True)
class Provider:
    name: str
    export: Any
    erase: Any


_PROVIDERS: dict[str, Provider] = {}


def register(name, export, erase):
    _PROVIDERS[name] = Provider(name, export, erase)


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
