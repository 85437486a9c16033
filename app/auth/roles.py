"""Roles (../shared/CONTRACT.md, "Roles"): held per tenant through a membership, or globally."""

from flask_babel import lazy_gettext as _l

# Editorial ranks, lowest first: a higher rank may act on a review step of a lower one.
EDITORIAL_ROLES = ("contributor", "editor", "secretary", "deputy_head", "head")
TENANT_ROLES = EDITORIAL_ROLES + ("tenant_admin",)
GLOBAL_ROLES = ("province_admin", "inspector")
ALL_ROLES = TENANT_ROLES + GLOBAL_ROLES

ROLE_LABELS = {
    "contributor": _l("Contributor"),
    "editor": _l("Editor"),
    "secretary": _l("Secretary"),
    "deputy_head": _l("Deputy head"),
    "head": _l("Head of the editorial board"),
    "tenant_admin": _l("Site administrator"),
    "province_admin": _l("Provincial administrator"),
    "inspector": _l("Inspector"),
}


def rank(role):
    """Editorial rank of ``role`` (0 when it has none)."""
    try:
        return EDITORIAL_ROLES.index(role) + 1
    except ValueError:
        return 0
