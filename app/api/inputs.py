"""Strict marshmallow fields for what clients send: every value they load can be stored as it is.

A number that does not fit an ``INTEGER`` column, a date-time whose UTC time falls outside years 1 to 9999,
a reference that is neither an id nor a short text: each is a 422 naming the field, never an error from
the database (issue 11, "Odd input"). Every API input schema uses these instead of marshmallow's own.
"""

from datetime import UTC, datetime

from marshmallow import ValidationError, validate
from marshmallow import fields as ma

from app.core.limits import MAX_ID
from app.core.timeutil import to_storage

INT_MIN, INT_MAX = -(2**31), 2**31 - 1


def Id(**kwargs):  # noqa: N802  (a field factory, named like the fields it makes)
    """The id of a row: a JSON integer (not a string, not a bool) from 1 to the largest id."""
    return ma.Int(strict=True, validate=validate.Range(min=1, max=MAX_ID), **kwargs)


def WholeNumber(low=INT_MIN, high=INT_MAX, **kwargs):  # noqa: N802
    """A JSON integer that fits an ``INTEGER`` column, from ``low`` to ``high``."""
    return ma.Int(strict=True, validate=validate.Range(min=max(low, INT_MIN), max=min(high, INT_MAX)), **kwargs)


# The first moment shown with a whole-minute offset: before 1912 Asia/Ho_Chi_Minh was at +07:06:30 (local mean
# time), which an ISO 8601 / RFC 3339 date-time cannot carry, so the API could not show such a value again.
EARLIEST = datetime(1912, 1, 1, tzinfo=UTC)


class StorableDateTime(ma.DateTime):
    """An ISO 8601 date-time whose UTC time can be stored and shown again: from 1912 (``0457-08-25T11:21Z`` and
    ``0001-01-01T00:00:00+14:00`` cannot)."""

    default_error_messages = {"out_of_range": "Not a date and time that can be stored (years 1912 to 9999)."}

    def _deserialize(self, value, attr, data, **kwargs):
        parsed = super()._deserialize(value, attr, data, **kwargs)
        try:
            stored = to_storage(parsed)
        except (OverflowError, ValueError):
            raise self.make_error("out_of_range") from None
        if stored.replace(tzinfo=UTC) < EARLIEST:
            raise self.make_error("out_of_range")
        return parsed


class Reference(ma.Field):
    """A related row named by its id (a JSON integer) or by its slug or code (a text of at most 200 characters)."""

    default_error_messages = {"invalid": "Give the id (a number) or the slug of the row."}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise self.make_error("invalid")
        if isinstance(value, int):
            if not 1 <= value <= MAX_ID:
                raise self.make_error("invalid")
            return value
        if isinstance(value, str) and len(value) <= 200:
            return value.strip()
        raise self.make_error("invalid")


class Lines(ma.Field):
    """A text, or a list of texts (one per line): loaded as one text with a line break between the lines."""

    default_error_messages = {"invalid": "Give a text or a list of texts."}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            return value
        if isinstance(value, list) and all(isinstance(line, str) for line in value):
            return "\n".join(value)
        raise self.make_error("invalid")


__all__ = ["Id", "Lines", "Reference", "StorableDateTime", "ValidationError", "WholeNumber"]
