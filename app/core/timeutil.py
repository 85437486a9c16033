"""Time helpers: the database stores naive UTC; users see Asia/Ho_Chi_Minh with an offset."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_OUT_OF_RANGE = _l("This date and time is out of range.")


def utcnow():
    """Return the current UTC time as a naive datetime (the storage convention)."""
    return datetime.now(UTC).replace(tzinfo=None)


def to_local(value):
    """Return ``value`` (naive UTC or aware) as an aware datetime in the server's zone."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(LOCAL_TZ)


def to_storage(value):
    """Return ``value`` as naive UTC; a naive input is taken as local (Asia/Ho_Chi_Minh) time.

    :raise ValueError: for a moment that cannot be stored and shown again (year 1 or 9999 across midnight UTC):
        forms and schemas then refuse the field instead of failing later.
    """
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=LOCAL_TZ)
    try:
        stored = value.astimezone(UTC).replace(tzinfo=None)
        to_local(stored)
    except OverflowError:
        raise ValueError(_OUT_OF_RANGE) from None
    return stored


def isoformat(value):
    """ISO 8601 with offset, as the API contract asks."""
    local = to_local(value)
    return local.isoformat() if local else None
