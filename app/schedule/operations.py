"""Schedule operations: checking an entry before it is saved.

Cleaning (NFC text) happens for every write from the declaration in ``app/schedule/content.py``;
publishing and the record of changes after publication go through ``app.workflow``.
"""

from flask_babel import lazy_gettext as _l

from app.core.errors import DomainError


def check(entry):
    """Raise :class:`DomainError` (422, with ``fields``) when ``entry`` cannot be saved as it is."""
    if entry.end_time is not None and entry.start_time is not None and entry.end_time <= entry.start_time:
        raise DomainError(_l("The end time must be after the start time."), field="end_time")
