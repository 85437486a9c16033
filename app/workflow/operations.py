"""State changes of reviewable items: plain functions taking the acting user (R-09, R-10, R-12, R-13).

Every operation checks who may act, changes the item, records a :class:`Transition`, audits it and
queues notifications; the caller commits. Refusals raise :class:`WorkflowError` with an HTTP status
(403 role or tenant, 409 state, 422 missing comment) so views and the API answer the same way.
"""

import difflib
import hashlib
import json
import logging
from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from sqlalchemy import func, select

from app.auth.models import User
from app.auth.operations import active_members
from app.auth.permissions import can_write
from app.auth.roles import EDITORIAL_ROLES, rank
from app.core import audit
from app.core.errors import DomainError
from app.core.models import Tenant
from app.core.scoping import scope_filter, scoped
from app.core.timeutil import to_storage, utcnow
from app.core.workdays import add_working_days
from app.extensions import db
from app.workflow import notifications, registry, signals
from app.workflow.models import EDITABLE_STATES, LIVE_STATES, ReviewState, Revision, Transition

log = logging.getLogger(__name__)

DEFAULT_CHAINS = {"portal": ["editor", "head"], "subsite": ["head"]}
ACTIONS = ("submit", "withdraw", "approve", "request_changes", "reject", "unpublish", "archive", "propose_to_portal")
# Actions that act on the pending revision when they are asked of a live item.
REVISION_ACTIONS = ("submit", "withdraw", "approve", "request_changes", "reject")


class WorkflowError(DomainError):
    def __init__(self, status, message, code=None, field=None):
        super().__init__(message, status=status, code=code, field=field)


def chain_for(tenant, content_type):
    """The ordered roles reviewing ``content_type`` in ``tenant`` (tenant.yaml, else the defaults)."""
    chains = tenant.review_chains or {}
    chain = chains.get(content_type) or chains.get("default")
    if not chain:
        chain = DEFAULT_CHAINS["portal" if tenant.is_portal else "subsite"]
    return [role for role in chain if role in EDITORIAL_ROLES]


def deadline_days(tenant, content_type):
    deadlines = tenant.review_deadlines or {}
    value = deadlines.get(content_type, deadlines.get("default"))
    return int(value) if value is not None else registry.get(content_type).deadline_days


def step_role(item, tenant=None):
    chain = chain_for(tenant or item_tenant(item), item.content_type)
    return chain[min(item.review_step, len(chain) - 1)]


def item_tenant(item):
    return item.tenant


def can_act_on_step(user, item, tenant=None):
    """Holders of the step's role, or a higher one in the chain, act on it; the province admin too."""
    tenant = tenant or item_tenant(item)
    if not can_write(user, tenant):
        return False
    if user.is_province_admin:
        return True
    needed = rank(step_role(item, tenant))
    return any(rank(role) >= needed for role in user.roles_in(tenant))


def is_own_work(user, item):
    return user.id in {item.author_id, item.last_editor_id}


def _notify_reviewers(item, tenant, role):
    users = [u for u in reviewers_of_step(tenant, role) if not is_own_work(u, item)]
    notifications.to_reviewers(item, tenant, role, users)


def _record(item, actor, action, from_state, comment="", step=None, role=""):
    row = Transition(
        tenant_id=item.tenant_id,
        content_type=item.content_type,
        object_id=item.revision_of_id or item.id,
        actor_id=actor.id if actor else None,
        actor_name=actor.display_name() if actor else "",
        action=action,
        from_state=str(from_state),
        to_state=str(item.state),
        step=step,
        step_role=role,
        comment=comment or "",
    )
    db.session.add(row)
    audit.record(
        f"{item.content_type}.{action}",
        f"{item.content_type}:{item.revision_of_id or item.id}",
        comment,
        user=actor,
        tenant=item.tenant,
    )
    return row


def _require_comment(comment, action):
    if not (comment or "").strip():
        raise WorkflowError(
            422, _l("A comment is required to %(action)s.", action=action_label(action)), field="comment"
        )


def action_label(action):
    return {
        "submit": _l("submit for review"),
        "withdraw": _l("withdraw from review"),
        "approve": _l("approve"),
        "request_changes": _l("request changes"),
        "reject": _l("reject"),
        "unpublish": _l("unpublish"),
        "archive": _l("archive"),
        "propose_to_portal": _l("propose to the portal"),
    }.get(action, action)


def record_edit(item, actor):
    """Note that ``actor`` changed the item's content (four-eyes counts the last editor).

    An item in review whose content is no longer the version its review recorded goes back to the
    chain's first step (recorded as an ``edit``): every approval applies to the version its reviewer saw.
    """
    if item.author_id is None:
        item.author_id = actor.id
    item.last_editor_id = actor.id
    if item.state == ReviewState.IN_REVIEW and item.id is not None:
        db.session.flush()  # the values are cleaned on flush: compare what is stored
        if content_version(item) != reviewed_version(item):
            _restart_review(item, actor)


def _restart_review(item, actor):
    tenant = item_tenant(item)
    was_at = item.review_step
    item.review_step = 0
    item.due_at = add_working_days(utcnow(), deadline_days(tenant, item.content_type))
    role = step_role(item, tenant)
    row = _record(item, actor, "edit", ReviewState.IN_REVIEW, step=0, role=role)
    row.version = content_version(item)
    if was_at:
        _notify_reviewers(item, tenant, role)
    log.info(
        "%s %s edited in review by user %s on %s: back to the first step",
        item.content_type, item.id, actor.id, tenant.code,
    )  # fmt: skip
    return row


def content_version(item):
    """The fingerprint of what a reviewer approves: every revision field and the publication dates.

    The review page shows it and posts it back; each ``submit``, ``approve`` and ``edit`` of a review
    records it in the history (``Transition.version``).
    """
    names = (*item.revision_fields, "publish_at", "expire_at")
    data = {name: _fingerprint(getattr(item, name, None)) for name in names}
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_fingerprint)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _fingerprint(value):
    # The same stored value gives the same text on SQLite and PostgreSQL (Decimal scale, time zones), and
    # whitespace around a text (a form's textarea adds a line break) is no change a reader can see.
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, datetime):
        return to_storage(value).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_fingerprint(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _fingerprint(v) for k, v in value.items()}
    if value is None or isinstance(value, int | float | bool):
        return value
    return str(value)


def reviewed_version(item):
    """The version the item's review last recorded (submitted, approved or edited), or None."""
    return db.session.execute(
        select(Transition.version)
        .where(
            Transition.content_type == item.content_type,
            Transition.object_id == (item.revision_of_id or item.id),
            Transition.version.is_not(None),
        )
        .order_by(Transition.created_at.desc(), Transition.id.desc())
        .limit(1)
    ).scalar()


def start_revision(item, actor):
    """Return the row to edit: the item itself while not live, else its pending revision copy.

    Editing a live item never touches what the public sees: the copy goes through the chain and
    replaces the live content only when its last step approves it.
    """
    if item.revision_of_id is not None or item.state not in LIVE_STATES:
        if item.state in (ReviewState.ARCHIVED, ReviewState.REJECTED):
            raise WorkflowError(409, _l("An archived or rejected item cannot be edited."))
        return item
    pending = pending_revision(item)
    if pending is not None:
        return pending
    model = type(item)
    copy = model(tenant_id=item.tenant_id, revision_of_id=item.id, state=ReviewState.DRAFT, author_id=actor.id)
    for name in item.revision_fields:
        setattr(copy, name, getattr(item, name))
    copy.publish_at, copy.expire_at = item.publish_at, item.expire_at
    db.session.add(copy)
    db.session.flush()
    _record(copy, actor, "edit", ReviewState.PUBLISHED, comment="")
    return copy


def pending_revision(item):
    model = type(item)
    return (
        db.session.execute(
            select(model).where(
                model.revision_of_id == item.id,
                model.state.notin_([ReviewState.ARCHIVED.value, ReviewState.REJECTED.value]),
            )
        )
        .scalars()
        .first()
    )


def transition(item, action, actor, comment="", version=None):
    """Apply ``action`` to ``item`` as ``actor``; return the recorded :class:`Transition`.

    :param version: for ``approve``: the :func:`content_version` the reviewer saw; None: not checked.
    :raise WorkflowError: 403 (role, tenant, four-eyes), 409 (state; ``version_conflict``: the item is not
        the version the reviewer saw), 422 (missing comment).
    """
    if action not in ACTIONS:
        raise WorkflowError(422, _l("Unknown action."))
    if action in REVISION_ACTIONS and item.revision_of_id is None and item.state in LIVE_STATES:
        # A live item is reviewed through its pending revision: the public version stays online.
        item = pending_revision(item) or item
    tenant = item_tenant(item)
    if not can_write(actor, tenant):
        raise WorkflowError(403, _l("You have no role on this site."))
    comment = (comment or "").strip()
    if action == "approve":
        row = _approve(item, actor, tenant, comment, version)
    else:
        handler = {
            "submit": _submit,
            "withdraw": _withdraw,
            "request_changes": _request_changes,
            "reject": _reject,
            "unpublish": _unpublish,
            "archive": _archive,
            "propose_to_portal": _propose,
        }[action]
        row = handler(item, actor, tenant, comment)
    db.session.flush()
    return row


def _submit(item, actor, tenant, comment):
    if item.state not in (ReviewState.DRAFT, ReviewState.CHANGES_REQUESTED):
        raise WorkflowError(409, _l("Only a draft or an item returned for changes can be submitted."))
    before = item.state
    item.state = ReviewState.IN_REVIEW
    item.review_step = 0
    item.submitted_at = utcnow()
    item.due_at = add_working_days(item.submitted_at, deadline_days(tenant, item.content_type))
    if item.author_id is None:
        item.author_id = actor.id
    db.session.flush()
    row = _record(item, actor, "submit", before, comment, step=0, role=step_role(item, tenant))
    row.version = content_version(item)
    _notify_reviewers(item, tenant, step_role(item, tenant))
    return row


def _withdraw(item, actor, tenant, comment):
    """The author takes an item back from review (to change it before anyone decides): a draft again."""
    if item.state != ReviewState.IN_REVIEW:
        raise WorkflowError(409, _l("Only an item in review can be withdrawn."))
    if item.author_id != actor.id:
        raise WorkflowError(403, _l("Only the author can withdraw an item from review."))
    step, role = item.review_step, step_role(item, tenant)
    item.state = ReviewState.DRAFT
    item.review_step = 0
    item.due_at = None
    return _record(item, actor, "withdraw", ReviewState.IN_REVIEW, comment, step=step, role=role)


def _check_reviewer(item, actor, tenant):
    if item.state != ReviewState.IN_REVIEW:
        raise WorkflowError(409, _l("The item is not waiting for review."))
    if not can_act_on_step(actor, item, tenant):
        raise WorkflowError(403, _l("This review step needs the role %(role)s.", role=step_role(item, tenant)))


def _approve(item, actor, tenant, comment, version=None):
    _check_reviewer(item, actor, tenant)
    if is_own_work(actor, item):
        raise WorkflowError(403, _l("You cannot approve an item you wrote or last edited: another reviewer must."))
    current = content_version(item)
    if version is not None and str(version).strip() != current:
        raise WorkflowError(
            409, _l("The item has changed since you opened it: read the current version before approving it."),
            code="version_conflict",
        )  # fmt: skip
    reviewed = reviewed_version(item)
    if item.review_step > 0 and reviewed is not None and reviewed != current:
        # Changed without record_edit (a script, a shell): the earlier steps did not see this version.
        raise WorkflowError(
            409,
            _l(
                "The item has changed since an earlier step approved it: request changes so that it is "
                "reviewed again from the first step."
            ),
            code="version_conflict",
        )
    chain = chain_for(tenant, item.content_type)
    step, role = item.review_step, step_role(item, tenant)
    if step + 1 < len(chain):
        item.review_step = step + 1
        item.due_at = add_working_days(utcnow(), deadline_days(tenant, item.content_type))
        row = _record(item, actor, "approve", ReviewState.IN_REVIEW, comment, step=step, role=role)
        row.version = current
        _notify_reviewers(item, tenant, chain[item.review_step])
        return row
    row = _publish(item, actor, tenant, comment, step, role)
    row.version = current
    return row


def _publish(item, actor, tenant, comment, step, role):
    now = utcnow()
    target = ReviewState.SCHEDULED if item.publish_at and item.publish_at > now else ReviewState.PUBLISHED
    item.due_at = None
    if item.revision_of_id is not None:
        live = db.session.get(type(item), item.revision_of_id)
        for name in item.revision_fields:
            setattr(live, name, getattr(item, name))
        live.publish_at, live.expire_at = item.publish_at, item.expire_at
        live.last_editor_id = item.last_editor_id or item.author_id
        live.state = target
        item.state = ReviewState.ARCHIVED
        # The copy's transitions are recorded on the live item; the copy itself is then removed.
        row = _record(item, actor, "approve", ReviewState.IN_REVIEW, comment, step=step, role=role)
        row.to_state = str(target)
        number = _snapshot(live, actor)
        row.revision_number = number
        db.session.delete(item)
        notifications.to_author(item, tenant, "published", comment)
        signals.item_published.send(live)
        return row
    item.state = target
    if item.published_at is None:
        item.published_at = max(now, item.publish_at) if item.publish_at else now
    row = _record(item, actor, "approve", ReviewState.IN_REVIEW, comment, step=step, role=role)
    row.revision_number = _snapshot(item, actor)
    notifications.to_author(item, tenant, "published", comment)
    signals.item_published.send(item)
    return row


def _snapshot(item, actor):
    number = (
        db.session.execute(
            select(func.max(Revision.number)).where(
                Revision.content_type == item.content_type, Revision.object_id == item.id
            )
        ).scalar()
        or 0
    ) + 1
    data = {name: _jsonable(getattr(item, name)) for name in item.revision_fields}
    db.session.add(
        Revision(
            tenant_id=item.tenant_id,
            content_type=item.content_type,
            object_id=item.id,
            number=number,
            data=data,
            created_by_id=actor.id,
        )
    )
    return number


def _jsonable(value):
    if value is None or isinstance(value, str | int | float | bool | list | dict):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _approvers(item):
    object_id = item.revision_of_id or item.id
    ids = db.session.execute(
        select(Transition.actor_id).where(
            Transition.content_type == item.content_type,
            Transition.object_id.in_([object_id, item.id]),
            Transition.action == "approve",
            Transition.created_at >= (item.submitted_at or utcnow()),
        )
    ).scalars()
    return [db.session.get(User, i) for i in set(ids) if i]


def _request_changes(item, actor, tenant, comment):
    return _send_back(
        item, actor, tenant, comment, "request_changes", ReviewState.CHANGES_REQUESTED, "changes_requested"
    )


def _reject(item, actor, tenant, comment):
    return _send_back(item, actor, tenant, comment, "reject", ReviewState.REJECTED, "rejected")


def _send_back(item, actor, tenant, comment, action, state, notice):
    """End the review with ``state``: the reviewer's reason is required and reaches the author and approvers."""
    _check_reviewer(item, actor, tenant)
    _require_comment(comment, action)
    step, role = item.review_step, step_role(item, tenant)
    approvers = _approvers(item)
    item.state = state
    item.due_at = None
    row = _record(item, actor, action, ReviewState.IN_REVIEW, comment, step=step, role=role)
    notifications.to_author(item, tenant, notice, comment, also=approvers)
    return row


def _require_final_role(item, actor, tenant):
    """Unpublishing and archiving published work belong to the chain's last role (or higher)."""
    if actor.is_province_admin:
        return
    needed = rank(chain_for(tenant, item.content_type)[-1])
    if not any(rank(r) >= needed for r in actor.roles_in(tenant)):
        raise WorkflowError(
            403, _l("Only the role %(role)s may do this.", role=chain_for(tenant, item.content_type)[-1])
        )


def _unpublish(item, actor, tenant, comment):
    if item.revision_of_id is not None or item.state not in LIVE_STATES:
        raise WorkflowError(409, _l("Only a published or scheduled item can be unpublished."))
    _require_final_role(item, actor, tenant)
    before = item.state
    item.state = ReviewState.UNPUBLISHED
    signals.item_withdrawn.send(item)
    return _record(item, actor, "unpublish", before, comment)


def _archive(item, actor, tenant, comment):
    if item.state == ReviewState.ARCHIVED:
        raise WorkflowError(409, _l("The item is already archived."))
    own_draft = item.state in (ReviewState.DRAFT, ReviewState.CHANGES_REQUESTED) and item.author_id == actor.id
    if not own_draft:
        _require_final_role(item, actor, tenant)
    before = item.state
    item.state = ReviewState.ARCHIVED
    item.due_at = None
    signals.item_withdrawn.send(item)
    return _record(item, actor, "archive", before, comment)


def _propose(item, actor, tenant, comment):
    content_type = registry.for_item(item)
    if content_type.propose is None:
        raise WorkflowError(409, _l("This kind of content cannot be proposed to the portal."))
    if tenant.is_portal:
        raise WorkflowError(409, _l("Items of the portal are already on the portal."))
    if not item.is_visible:
        raise WorkflowError(409, _l("Only a published item can be proposed to the portal."))
    portal = db.session.execute(select(Tenant).where(Tenant.kind == "portal")).scalars().one()
    model = type(item)
    existing = (
        db.session.execute(
            scoped(model, portal).where(
                model.source_tenant_id == tenant.id,
                model.source_object_id == item.id,
                model.state.notin_([ReviewState.REJECTED.value, ReviewState.ARCHIVED.value]),
            )
        )
        .scalars()
        .first()
    )
    if existing is not None:
        raise WorkflowError(409, _l("This item has already been proposed to the portal."))
    copy = content_type.propose(item, portal, actor)
    copy.source_tenant_id = tenant.id
    copy.source_object_id = item.id
    copy.source_url = content_type.public_url(item) if content_type.public_url else ""
    copy.author_id = actor.id
    copy.state = ReviewState.IN_REVIEW
    copy.review_step = 0
    copy.submitted_at = utcnow()
    copy.due_at = add_working_days(copy.submitted_at, deadline_days(portal, item.content_type))
    db.session.add(copy)
    db.session.flush()
    row = _record(item, actor, "propose_to_portal", item.state, comment)
    row.to_state = str(item.state)
    role = step_role(copy, portal)
    entered = _record(copy, actor, "propose_to_portal", ReviewState.DRAFT, comment, step=0, role=role)
    entered.version = content_version(copy)
    _notify_reviewers(copy, portal, step_role(copy, portal))
    return row


def copy_for_portal(item, portal, actor):
    """The portal's copy of a subsite item (R-10), by its declaration: every revision field, its own
    copies of the media it uses (inline pictures included), and relations matched by slug on the portal."""
    from app.core.fields import Kind
    from app.media.operations import copy_item_media

    ct = registry.for_item(item)
    model = type(item)
    copy = model(tenant_id=portal.id)
    for name in ct.revision_fields:
        setattr(copy, name, getattr(item, name))
    for field in ct.fields_of(Kind.RELATION):
        setattr(copy, field.name, _portal_relation(item, field, portal))
    if hasattr(copy, "slug"):
        copy.slug = None
    copy.publish_at, copy.expire_at = None, item.expire_at
    copy_item_media(item, copy, ct.fields, portal, actor)
    return copy


def _portal_relation(item, field, portal):
    """The portal's row matching the item's related row by slug (a category), else None."""
    related = getattr(item, field.relation, None) if field.relation else None
    slug = getattr(related, "slug", None)
    if not slug:
        return None
    target = type(related)
    from app.core.scoping import scoped

    return db.session.execute(scoped(target, portal, target.id).where(target.slug == slug)).scalar()


def available_actions(item, user, tenant=None):
    """The actions ``user`` may try on ``item`` now (for buttons; the operations re-check)."""
    tenant = tenant or item_tenant(item)
    if not can_write(user, tenant):
        return []
    actions = []
    if item.state in (ReviewState.DRAFT, ReviewState.CHANGES_REQUESTED):
        actions.append("submit")
    if item.state == ReviewState.IN_REVIEW and item.author_id == user.id:
        actions.append("withdraw")
    if item.state == ReviewState.IN_REVIEW and can_act_on_step(user, item, tenant):
        if not is_own_work(user, item):
            actions.append("approve")
        actions += ["request_changes", "reject"]
    final = user.is_province_admin or any(
        rank(r) >= rank(chain_for(tenant, item.content_type)[-1]) for r in user.roles_in(tenant)
    )
    if item.revision_of_id is None and item.state in LIVE_STATES and final:
        actions.append("unpublish")
    if item.state != ReviewState.ARCHIVED and (final or (item.state in EDITABLE_STATES and item.author_id == user.id)):
        actions.append("archive")
    if (
        not tenant.is_portal
        and registry.for_item(item).propose is not None
        and item.is_visible
        and item.revision_of_id is None
    ):
        actions.append("propose_to_portal")
    return actions


def history(item):
    object_id = item.revision_of_id or item.id
    return (
        db.session.execute(
            select(Transition)
            .where(Transition.content_type == item.content_type, Transition.object_id == object_id)
            .order_by(Transition.created_at, Transition.id)
        )
        .scalars()
        .all()
    )


def revision_diff(copy):
    """Return ``[(field, html_diff)]`` between a revision copy and its live item."""
    if copy.revision_of_id is None:
        return []
    live = db.session.get(type(copy), copy.revision_of_id)
    changes = []
    for name in copy.revision_fields:
        old, new = getattr(live, name), getattr(copy, name)
        if old == new:
            continue
        old_lines = str(old or "").splitlines() or [""]
        new_lines = str(new or "").splitlines() or [""]
        parts = []
        for line in difflib.ndiff(old_lines, new_lines):
            tag, text = line[:2], line[2:]
            if tag == "- ":
                parts.append(Markup("<del>{}</del>").format(text))
            elif tag == "+ ":
                parts.append(Markup("<ins>{}</ins>").format(text))
            elif tag == "  ":
                parts.append(escape(text))
        changes.append((name, Markup("<br>").join(parts)))
    return changes


def reviewers_of_step(tenant, role):
    """Users who may act on a step needing ``role`` in ``tenant`` (for notifications)."""
    needed = rank(role)
    return active_members(tenant, [r for r in EDITORIAL_ROLES if rank(r) >= needed])


def inbox_items(user, tenant, include_all_tenants=False):
    """Items waiting for ``user``: in review at a step they may act on (and not their own work)."""
    waiting = []
    for ct in registry.all_types():
        model = ct.model
        stmt = select(model).where(model.state == ReviewState.IN_REVIEW.value)
        if not include_all_tenants:
            stmt = stmt.where(scope_filter(model, tenant))
        for item in db.session.execute(stmt.order_by(model.due_at)).scalars():
            item_t = tenant if item.tenant_id == tenant.id else item_tenant(item)
            if can_act_on_step(user, item, item_t):
                waiting.append((ct, item))
    waiting.sort(key=lambda pair: pair[1].due_at or utcnow())
    return waiting


def overdue_items(tenant=None):
    """Items past their review deadline, per tenant or everywhere (R-12)."""
    now = utcnow()
    found = []
    for ct in registry.all_types():
        model = ct.model
        stmt = select(model).where(model.state == ReviewState.IN_REVIEW.value, model.due_at < now)
        if tenant is not None:
            stmt = stmt.where(scope_filter(model, tenant))
        found += [(ct, item) for item in db.session.execute(stmt).scalars()]
    return found


def sitemap_entries(tenant):
    """``(url, lastmod)`` of every visible item of every declared type with a public page (R-33)."""
    from app.workflow.models import published

    entries = []
    for ct in registry.all_types():
        if ct.public_url is None or not ct.sitemap:
            continue
        model = ct.model
        for item in db.session.execute(published(model, tenant).order_by(model.id)).scalars():
            url = ct.public_url(item)
            if url:
                entries.append((url, item.updated_at or item.published_at))
    return entries
