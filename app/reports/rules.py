"""The rules the reports enforce, as data: one file per legal basis in ``rules/`` (Decree 43/2011, 42/2022,
224/2026), each rule naming its article. The basis in force on a date is chosen from the files' ``in_force``;
the province admin may pin one (the portal's ``rules_basis``) without code changes."""

import glob
import os
from dataclasses import dataclass, field
from datetime import date, datetime

import yaml
from flask import current_app
from sqlalchemy import select

from app.core.errors import DomainError
from app.core.models import Tenant
from app.core.timeutil import to_local, utcnow
from app.extensions import db

CRITERIA_NAMES = ("coverage", "frequency", "timeliness", "participation")
_cache = {}


class RulesError(DomainError):
    """A rules file that cannot be used, or a basis that does not exist."""


@dataclass(frozen=True)
class Rule:
    value: object
    article: str
    verify: bool = False


@dataclass(frozen=True)
class Criterion:
    name: str
    weight: int
    article: str
    verify: bool = False


@dataclass(frozen=True)
class Basis:
    """One legal basis: the deadlines, targets, mandatory types and evaluation criteria it sets."""

    name: str
    title_vi: str
    title_en: str
    short: str
    in_force_from: date
    in_force_until: date | None
    review_deadline: Rule
    frequency: Rule
    reminders: dict
    mandatory: Rule
    criteria: tuple = field(default_factory=tuple)

    def title(self, locale="vi"):
        return self.title_en if locale == "en" and self.title_en else self.title_vi

    def in_force_on(self, day):
        return self.in_force_from <= day and (self.in_force_until is None or day <= self.in_force_until)

    def criterion(self, name):
        return next(c for c in self.criteria if c.name == name)


def rules_dir():
    configured = current_app.config.get("RULES_DIR")
    return configured or os.path.join(os.path.dirname(current_app.root_path), "rules")


def _rule(data, key, value_key, path):
    entry = data.get(key) or {}
    if value_key not in entry or not entry.get("article"):
        raise RulesError(f"{path}: {key} needs {value_key} and the article it comes from.")
    return Rule(entry[value_key], str(entry["article"]), bool(entry.get("verify")))


def read_basis(path):
    """Parse and check one rules file.

    :raise RulesError: a missing rule or article, criteria that are unknown or do not sum to 100.
    """
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    name = os.path.splitext(os.path.basename(path))[0]
    if data.get("basis") != name:
        raise RulesError(f"{path}: basis must be {name!r} (the file name).")
    in_force = data.get("in_force") or {}
    if not isinstance(in_force.get("from"), date):
        raise RulesError(f"{path}: in_force.from must be a date.")
    criteria = tuple(
        Criterion(str(c["name"]), int(c["weight"]), str(c.get("article") or ""), bool(c.get("verify")))
        for c in data.get("criteria") or []
    )
    if sorted(c.name for c in criteria) != sorted(CRITERIA_NAMES) or sum(c.weight for c in criteria) != 100:
        raise RulesError(f"{path}: criteria must be {', '.join(CRITERIA_NAMES)} with weights summing to 100.")
    if any(not c.article for c in criteria):
        raise RulesError(f"{path}: every criterion names its article.")
    mandatory = data.get("mandatory") or {}
    title = data.get("title") or {}
    return Basis(
        name=name,
        title_vi=str(title.get("vi") or name),
        title_en=str(title.get("en") or title.get("vi") or name),
        short=str(data.get("short") or name),
        in_force_from=in_force["from"],
        in_force_until=in_force.get("until"),
        review_deadline=_rule(data, "review_deadline", "days", path),
        frequency=_rule(data, "frequency", "items_per_year", path),
        reminders=dict(data.get("reminders") or {}),
        mandatory=Rule(tuple(mandatory.get("types") or ()), str(mandatory.get("article") or ""), False),
        criteria=criteria,
    )


def all_bases():
    """Every basis of ``rules/``, oldest first (re-read when a file changes)."""
    paths = sorted(glob.glob(os.path.join(rules_dir(), "*.yaml")))
    key = tuple((p, os.path.getmtime(p)) for p in paths)
    if _cache.get("key") != key:
        bases = [read_basis(p) for p in paths]
        _cache.update(key=key, bases=sorted(bases, key=lambda b: b.in_force_from))
    return list(_cache["bases"])


def get_basis(name):
    for basis in all_bases():
        if basis.name == name:
            return basis
    raise RulesError(f"No legal basis {name!r} in rules/.")


def pinned_basis():
    """The basis the province admin chose, or None (chosen by date)."""
    value = db.session.execute(select(Tenant.rules_basis).where(Tenant.kind == "portal")).scalar()
    return value or None


def basis_for(when=None):
    """The basis applied to ``when`` (a date or a UTC datetime; default today): the pinned one, else the one in
    force then (the newest when several are)."""
    pinned = pinned_basis()
    if pinned:
        return get_basis(pinned)
    if when is None:
        when = to_local(utcnow()).date()
    elif isinstance(when, datetime):
        when = to_local(when).date()
    bases = all_bases()
    in_force = [b for b in bases if b.in_force_on(when)]
    if in_force:
        return in_force[-1]
    earlier = [b for b in bases if b.in_force_from <= when]
    return (earlier or bases)[-1]


def pin_basis(name, actor):
    """Pin ``name`` (None: choose by date) for every report; recorded in the audit log."""
    from app.core import audit

    if name:
        get_basis(name)
    portal = db.session.execute(select(Tenant).where(Tenant.kind == "portal")).scalars().one()
    portal.rules_basis = name or ""
    audit.record("rules.basis", name or "by date", user=actor, tenant=portal)
