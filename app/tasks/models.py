"""The platform's tables of background work, registered with the models (Alembic, ``db.create_all``): the outbox,
staff notices and runs of periodic jobs (defined in app/core, which every module may use)."""

from app.core.jobs import TaskRun  # noqa: F401
from app.core.notices import StaffNotice  # noqa: F401
from app.core.outbox import OutboxMessage  # noqa: F401
