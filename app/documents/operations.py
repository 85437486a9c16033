"""Legal-document operations (R-20, R-12): validation, relations both ways, the publication deadline.

Public helpers other modules may call: :func:`urls_for_numbers` (procedures link their legal basis)
and :func:`late_documents` / :func:`count_late` (the dashboard's R-12 counts).
"""

import re
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.core.errors import DomainError
from app.core.scoping import scoped
from app.core.text import nfc
from app.core.timeutil import to_local, utcnow
from app.core.workdays import add_working_days
from app.documents.models import INVERSE, RELATIONS, SETTINGS, STATUSES, LegalDocument
from app.extensions import db
from app.workflow.models import ReviewState, value_taken, visible_filter

NUMBER_RE = re.compile(r"\d+/(?:\d{4}/)?[\wĐđ\-]+", re.UNICODE)


class DocumentError(DomainError):
    """A legal document refused; ``fields`` has the messages per field."""


def check(doc):
    """Raise :class:`DocumentError` (422, with ``fields``) when ``doc`` cannot be saved as it is.

    The declared fields (``content.py``) are cleaned and checked on every write path; this adds the rules
    of legal documents: a number unique on the site, a known effect status, dates in order, relations.
    """
    errors = {}
    if not (doc.number or "").strip():
        errors["number"] = _l("A number and symbol is required.")
    elif doc.revision_of_id is None and value_taken(LegalDocument, "number", doc.tenant_id, doc.number, doc.id):
        errors["number"] = _l("This number is already used on this site.")
    if not (doc.title or "").strip():
        errors["title"] = _l("A title is required.")
    if doc.status not in STATUSES:
        errors["status"] = _l("Unknown effect status.")
    if doc.issued_on and doc.effective_on and doc.effective_on < doc.issued_on:
        errors["effective_on"] = _l("The effective date cannot be before the issue date.")
    if doc.effective_on and doc.expires_on and doc.expires_on < doc.effective_on:
        errors["expires_on"] = _l("The expiry date cannot be before the effective date.")
    for relation in doc.relations or []:
        if relation.get("kind") not in RELATIONS:
            errors["relations"] = _l("Unknown relation.")
        elif relation.get("target_id") == doc.id and doc.id is not None:
            errors["relations"] = _l("A document cannot relate to itself.")
    if errors:
        raise DocumentError(_l("Some fields are not valid."), fields={k: str(v) for k, v in errors.items()})


def numbers_by_id(ids):
    ids = [int(i) for i in ids if i]
    if not ids:
        return {}
    rows = db.session.execute(select(LegalDocument.id, LegalDocument.number).where(LegalDocument.id.in_(ids)))
    return dict(rows.all())


def format_relations(relations):
    """The back office's text of ``relations``: ``"amends | 15/2026/QĐ-UBND"`` per line."""
    numbers = numbers_by_id([r.get("target_id") for r in relations or []])
    return "\n".join(f"{r['kind']} | {numbers.get(r.get('target_id'), r.get('target_id'))}" for r in relations or [])


def parse_relations(text, tenant_id, own_id=None):
    """``"amends | 15/2026/QĐ-UBND"`` lines -> relation dicts; targets are the tenant's live documents.

    :raise ValueError: on an unknown kind or number (the back-office form shows the message).
    """
    relations = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        kind, _, target = (part.strip() for part in line.partition("|"))
        if kind not in RELATIONS:
            raise ValueError(str(_l("Unknown relation %(kind)s: use amends, replaces or guides.", kind=kind)))
        target_id = db.session.execute(
            scoped(LegalDocument, tenant_id, LegalDocument.id).where(
                LegalDocument.number == nfc(target),
                LegalDocument.revision_of_id.is_(None),
            )
        ).scalar()
        if target_id is None or target_id == own_id:
            raise ValueError(str(_l("No document numbered %(number)s on this site.", number=target)))
        relations.append({"kind": kind, "target_id": target_id})
    return relations


def relations_of(doc, public=True):
    """Both directions: ``[(label, document)]`` for what ``doc`` states and what others state about it."""
    ids = [r["target_id"] for r in doc.relations or [] if r.get("target_id")]
    outgoing, incoming = [], []
    if ids:
        stmt = scoped(LegalDocument, doc.tenant_id).where(LegalDocument.id.in_(ids))
        if public:
            stmt = stmt.where(visible_filter(LegalDocument))
        targets = {d.id: d for d in db.session.execute(stmt).scalars()}
        outgoing = [(RELATIONS[r["kind"]], targets[r["target_id"]]) for r in doc.relations if r["target_id"] in targets]
    stmt = scoped(LegalDocument, doc.tenant_id).where(
        LegalDocument.revision_of_id.is_(None),
        LegalDocument.related_ids.contains(f",{doc.id},"),
    )
    if public:
        stmt = stmt.where(visible_filter(LegalDocument))
    for source in db.session.execute(stmt.order_by(LegalDocument.issued_on)).scalars():
        for r in source.relations or []:
            if r.get("target_id") == doc.id:
                incoming.append((INVERSE[r["kind"]], source))
    return outgoing, incoming


def urls_for_numbers(lines, tenant=None):
    """``{line: url}`` for lines that start with (or mention) a published document's number.

    The current tenant's documents win; else any tenant's (the portal and the e-gazette hold most).
    """
    wanted = {}
    for line in lines:
        match = NUMBER_RE.search(line or "")
        if match:
            wanted.setdefault(nfc(match.group(0)), []).append(line)
    if not wanted:
        return {}
    rows = db.session.execute(
        select(LegalDocument).where(visible_filter(LegalDocument), LegalDocument.number.in_(list(wanted)))
    ).scalars()
    found = {}
    own = getattr(tenant, "id", None)
    for doc in rows:
        if doc.number not in found or doc.tenant_id == own:
            found[doc.number] = doc
    return {line: doc.declaration.public_url(doc) for number, doc in found.items() for line in wanted[number]}


# --- publication deadline -------------------------------------------------------------------


def publication_days(tenant):
    value = (tenant.review_deadlines or {}).get("document_publication")
    return int(value) if value is not None else SETTINGS["publication_days"]


def publication_deadline(doc, tenant=None):
    """The last day ``doc`` may be published: its issue date plus the tenant's working days."""
    if doc.issued_on is None:
        return None
    tenant = tenant or doc.tenant
    return add_working_days(doc.issued_on, publication_days(tenant))


def _local_day(value):
    if value is None:
        return None
    return to_local(value).date() if isinstance(value, datetime) else value


def is_late(doc, tenant=None, today=None):
    """True when ``doc`` was published after its deadline, or is still unpublished past it."""
    deadline = publication_deadline(doc, tenant)
    if deadline is None:
        return False
    published_on = _local_day(doc.published_at)
    if published_on is not None:
        return published_on > deadline
    if doc.state == ReviewState.ARCHIVED:
        return False
    return (today or _local_day(utcnow())) > deadline


def late_documents(tenant, today=None):
    """The tenant's live documents that missed (or are missing) the publication deadline."""
    stmt = scoped(LegalDocument, tenant).where(
        LegalDocument.revision_of_id.is_(None),
        LegalDocument.issued_on.is_not(None),
        LegalDocument.state != ReviewState.ARCHIVED.value,
    )
    return [d for d in db.session.execute(stmt).scalars() if is_late(d, tenant, today)]


def count_late(tenant, today=None):
    """How many of the tenant's documents are late (for the back-office dashboard, R-12)."""
    return len(late_documents(tenant, today))
