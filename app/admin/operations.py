"""Back-office operations: tenants, invitations and roles, review chains, site settings.

Each function takes the acting user, checks what the form cannot, changes the rows, records an
audit event and leaves the commit to the caller. Refusals raise :class:`AdminError` with a
message fit for the user.
"""

import hashlib
import logging
import re

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from app.auth.models import User
from app.auth.operations import UserError, ensure_user, find_user
from app.auth.roles import EDITORIAL_ROLES, GLOBAL_ROLES, ROLE_LABELS, TENANT_ROLES, rank
from app.core import audit
from app.core.errors import DomainError
from app.core.mail import send_mail
from app.core.models import TENANT_KINDS, Tenant
from app.core.tenancy import HOSTNAME_RE, base_domain, invalidate_host_map, tenant_hosts, tenant_url
from app.core.text import nfc
from app.extensions import db

log = logging.getLogger(__name__)

CODE_RE = re.compile(r"^[a-z0-9]{2,40}$")
RESERVED_CODES = {"www", "admin", "api", "static", "mail", "portal"}
COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")
MIN_CONTRAST = 4.5
INVITATION_MAX_AGE = 3 * 24 * 3600  # seconds: three days to accept an invitation
TENANT_FIELDS = (
    "code", "kind", "name_vi", "name_en", "domain", "address", "phone", "fax", "email", "aliases",
    "attribution_vi", "attribution_en", "active", "sort_order",
)  # fmt: skip
SETTINGS_FIELDS = ("name_vi", "name_en", "address", "phone", "fax", "email", "attribution_vi", "attribution_en")
TENANT_TEXT_FIELDS = SETTINGS_FIELDS + ("domain",)


class AdminError(DomainError):
    """A refused back-office change; ``field`` names the form field at fault, if any."""

    def __init__(self, message, field=None):
        super().__init__(message, field=field)


# --- colours (WCAG 2.x contrast) -------------------------------------------------------------


def _channel(value):
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour):
    """Relative luminance of ``#rrggbb``."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(first, second="#ffffff"):
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def check_colour(value, field, against_white=True):
    """Return ``value`` lower-cased, or raise when it is not ``#rrggbb`` or too pale next to white."""
    value = (value or "").strip()
    if not COLOUR_RE.match(value):
        raise AdminError(_l("Enter a colour as #rrggbb, for example #0b4f8a."), field)
    if against_white and contrast_ratio(value) < MIN_CONTRAST:
        raise AdminError(
            _(
                "This colour is too light: its contrast with white is %(ratio).1f:1; at least 4.5:1 is needed.",
                ratio=contrast_ratio(value),
            ),
            field,
        )
    return value.lower()


# --- tenants ---------------------------------------------------------------------------------


def parse_aliases(text):
    """Host names, one per line or comma-separated; raise on anything that is not a host name."""
    aliases = []
    for raw in re.split(r"[\s,]+", text or ""):
        host = raw.strip().lower()
        if not host:
            continue
        if len(host) > 253 or not HOSTNAME_RE.match(host) or "." not in host:
            raise AdminError(_("Not a host name: %(host)s", host=raw), "aliases")
        if host not in aliases:
            aliases.append(host)
    return aliases


def _check_alias_conflicts(tenant, aliases):
    base = base_domain()  # the base in force (a changed domain moves every host), not only BASE_DOMAIN
    for other in db.session.execute(select(Tenant).where(Tenant.id != (tenant.id or 0))).scalars():
        clash = set(tenant_hosts(other, base)).intersection(aliases)
        if clash:
            raise AdminError(
                _("%(host)s already serves %(site)s.", host=sorted(clash)[0], site=other.name_vi), "aliases"
            )


def save_tenant(tenant, data, actor):
    """Create (``tenant`` None) or update a tenant from form ``data``; return it.

    :raise AdminError: bad or taken code, bad alias, an attempt to change the portal's kind.
    """
    created = tenant is None
    code = (data.get("code") or "").strip().lower()
    if created:
        if not CODE_RE.match(code) or code in RESERVED_CODES:
            raise AdminError(_l("Use 2 to 40 lower-case letters and digits, not a reserved word like www."), "code")
        if db.session.execute(select(Tenant.id).where(func.lower(Tenant.code) == code)).first():
            raise AdminError(_l("This code is already used by another site."), "code")
        if data.get("kind") == "portal":
            raise AdminError(_l("There is only one portal."), "kind")
        tenant = Tenant(code=code, review_chains={}, review_deadlines={}, theme={})
    elif code and code != tenant.code:
        raise AdminError(_l("The code of an existing site cannot change: its address depends on it."), "code")
    kind = data.get("kind") or tenant.kind
    if kind not in TENANT_KINDS:
        raise AdminError(_l("Choose a kind of site."), "kind")
    if not created and (tenant.is_portal or kind == "portal") and kind != tenant.kind:
        raise AdminError(_l("The kind of the portal cannot change, and no site can become the portal."), "kind")
    aliases = parse_aliases(data.get("aliases", ""))
    _check_alias_conflicts(tenant, aliases)
    before = {f: getattr(tenant, f, None) for f in TENANT_FIELDS}
    tenant.kind = kind
    for field in TENANT_TEXT_FIELDS:
        if field in data:
            setattr(tenant, field, nfc((data.get(field) or "").strip()))
    if not tenant.name_vi or not tenant.name_en:
        field = "name_vi" if not tenant.name_vi else "name_en"
        raise AdminError(_l("Enter the name in Vietnamese and in English."), field)
    tenant.aliases = aliases
    if "active" in data:
        if tenant.is_portal and not data["active"]:
            raise AdminError(_l("The portal cannot be deactivated."), "active")
        tenant.active = bool(data["active"])
    if data.get("sort_order") is not None:
        tenant.sort_order = int(data["sort_order"])
    theme = dict(tenant.theme or {})
    for key in ("primary", "accent"):
        if data.get(key):
            theme[key] = check_colour(data[key], key)
    tenant.theme = theme
    if created:
        db.session.add(tenant)
    db.session.flush()
    changed = sorted(f for f in TENANT_FIELDS if before.get(f) != getattr(tenant, f, None))
    audit.record("tenant.create" if created else "tenant.update", tenant.code, ", ".join(changed), user=actor)
    invalidate_host_map()
    log.info("tenant %s %s by %s", tenant.code, "created" if created else "updated", actor.email)
    return tenant


def save_settings(tenant, data, actor, logo_url=None):
    """Update a tenant's own settings (names, contact, colours, logo, attribution)."""
    theme = dict(tenant.theme or {})
    theme["primary"] = check_colour(data.get("primary"), "primary")
    theme["accent"] = check_colour(data.get("accent"), "accent")
    if logo_url:
        theme["logo_url"] = logo_url
    elif data.get("remove_logo"):
        theme.pop("logo_url", None)
    changed = [k for k in ("primary", "accent", "logo_url") if (tenant.theme or {}).get(k) != theme.get(k)]
    for field in SETTINGS_FIELDS:
        value = nfc((data.get(field) or "").strip())
        if field in ("name_vi", "name_en") and not value:
            raise AdminError(_l("Enter the name in Vietnamese and in English."), field)
        if getattr(tenant, field) != value:
            changed.append(field)
            setattr(tenant, field, value)
    tenant.theme = theme
    audit.record("settings.update", tenant.code, ", ".join(changed), user=actor, tenant=tenant)
    return changed


# --- review chains ---------------------------------------------------------------------------


def validate_chain(roles):
    """Return the chain as a list, or raise: non-empty, known editorial roles, ranks non-decreasing."""
    roles = [r for r in roles if r]
    if not roles:
        raise AdminError(_l("A review chain needs at least one step."))
    unknown = [r for r in roles if r not in EDITORIAL_ROLES]
    if unknown:
        raise AdminError(_("Unknown role: %(role)s", role=unknown[0]))
    if any(rank(b) < rank(a) for a, b in zip(roles, roles[1:], strict=False)):
        raise AdminError(_l("Each step must be taken by the same or a higher role than the step before."))
    return roles


def save_review_chains(tenant, chains, deadlines, actor):
    """Store validated chains and deadlines (dicts keyed by content type and ``default``)."""
    clean_chains = {name: validate_chain(roles) for name, roles in chains.items()}
    clean_deadlines = {}
    for name, days in deadlines.items():
        if days is None or days == "":
            continue
        days = int(days)
        if not 1 <= days <= 60:
            raise AdminError(_l("A review deadline is between 1 and 60 working days."))
        clean_deadlines[name] = days
    tenant.review_chains = clean_chains
    tenant.review_deadlines = clean_deadlines
    audit.record("review_chains.update", tenant.code, repr(clean_chains)[:3000], user=actor, tenant=tenant)
    return clean_chains


# --- users and invitations -------------------------------------------------------------------


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="portal.set-password")


def _hash_tag(user):
    # Binding the token to the current password hash makes it single-use: setting a password voids it.
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:16]


def password_token(user):
    return _serializer().dumps({"u": user.id, "h": _hash_tag(user)})


def user_for_password_token(token, max_age=INVITATION_MAX_AGE):
    """Return the user of a valid, unexpired, unused token, else None."""
    try:
        data = _serializer().loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or not user.active or data.get("h") != _hash_tag(user):
        return None
    return user


def set_password(user, password):
    user.set_password(password)
    user.failed_logins = 0
    user.locked_until = None
    audit.record("password.set", user.email, user=user)


def assignable_roles(actor, tenant):
    """Roles ``actor`` may give in ``tenant``: tenant roles; global roles for the province admin on the portal."""
    roles = list(TENANT_ROLES)
    if actor.is_province_admin and tenant.is_portal:
        roles += list(GLOBAL_ROLES)
    return roles


def invite_user(email, name, role, tenant, actor):
    """Create the account if needed, give it ``role`` and email a one-time link to set a password.

    :return: ``(user, created)``.
    """
    if role not in assignable_roles(actor, tenant):
        raise AdminError(_l("You cannot give this role here."), "role")
    created = find_user(email) is None
    try:
        user, _generated = ensure_user(email, tenant, role, name=nfc(name or "").strip(), actor=actor)
    except UserError as exc:
        raise AdminError(str(exc), "email") from exc
    if not user.active:
        raise AdminError(_l("This account is disabled; ask the provincial office."), "email")
    audit.record("user.invite", f"{user.email}:{role}", user=actor, tenant=tenant)
    # A new account, or one never used (a lost invitation), gets a link to set its password;
    # the link goes to the account's own mailbox only.
    if created or user.last_login_at is None:
        link = tenant_url(tenant, "account.set_password", token=password_token(user))
        body = _(
            "Hello,\n\n%(actor)s has invited you to the back office of %(site)s as %(role)s.\n\n"
            "Choose your password here (the link works once, for three days):\n%(link)s\n\n"
            "Then log in at %(login)s with your email address %(email)s.\n",
            actor=actor.display_name(),
            site=tenant.name_vi,
            role=ROLE_LABELS.get(role, role),
            link=link,
            login=tenant_url(tenant, "auth.login"),
            email=user.email,
        )
        send_mail(user.email, _("Invitation to the back office of %(site)s", site=tenant.name_vi), body)
    return user, created


def can_manage_account(actor, user, tenant):
    """The province admin manages every account; a tenant admin only accounts that belong to their tenant alone."""
    if actor.is_province_admin:
        return True
    if user.global_role or user.id == actor.id:
        return False
    return bool(user.memberships) and all(m.tenant_id == tenant.id for m in user.memberships)


def set_account_active(user, active, actor, tenant):
    if not can_manage_account(actor, user, tenant):
        raise AdminError(_l("This account also works for other sites; ask the provincial office."))
    if user.id == actor.id:
        raise AdminError(_l("You cannot disable your own account."))
    user.active = bool(active)
    audit.record("user.enable" if active else "user.disable", user.email, user=actor, tenant=tenant)
