"""Who may do what where: the membership matrix of R-04 in one place."""

from app.auth.roles import rank


def can_read_backoffice(user, tenant):
    """Global roles read every tenant's back office; others need a membership there."""
    if user is None or not user.is_authenticated or not user.active or tenant is None:
        return False
    if user.global_role in ("province_admin", "inspector"):
        return True
    return bool(user.roles_in(tenant))


def can_write(user, tenant):
    """Any membership lets a user work in the tenant; the inspector never writes."""
    if user is None or not user.is_authenticated or not user.active or tenant is None:
        return False
    if user.is_province_admin:
        return True
    return bool(user.roles_in(tenant))


def has_role(user, tenant, *roles):
    """True when ``user`` holds one of ``roles`` in ``tenant`` (the province admin holds all)."""
    if not can_write(user, tenant):
        return False
    if user.is_province_admin:
        return True
    return bool(user.roles_in(tenant) & set(roles))


def max_rank(user, tenant):
    """The user's highest editorial rank in ``tenant``."""
    if user.is_province_admin:
        return rank("head")
    return max((rank(r) for r in user.roles_in(tenant)), default=0)
