"""Import every module's models so that SQLAlchemy's metadata (and Alembic) sees them all."""

from app.auth.models import ApiToken, Membership, User  # noqa: F401
from app.core.models import AuditEvent, Tenant  # noqa: F401
