"""How a column's values are written to a backup and read back, decided by the column's SQL type in
``db.metadata`` (not by the Python value), so that every row reads back as the same Python value on
SQLite and on PostgreSQL: decimals stay exact, date-times keep their zone, bytes survive JSON."""

import base64
import enum
import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    Float,
    Integer,
    Interval,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Time,
    TypeDecorator,
    Uuid,
    null,
)
from sqlalchemy.sql.sqltypes import Emulated

_PLAIN = (str, int, float, bool)


class EncodingError(ValueError):
    """A value that its column's codec cannot write or read."""


class Codec:
    """Write one column's values as JSON and read them back; ``name`` goes into the manifest."""

    name = "text"

    def __init__(self, type_):
        self.type = type_

    def encode(self, value):
        return value

    def decode(self, raw):
        return raw

    def write(self, value):
        return None if value is None else self.encode(value)

    def read(self, raw):
        if raw is None:
            return None
        try:
            return self.decode(raw)
        except (TypeError, ValueError, KeyError, AttributeError, InvalidOperation, OverflowError) as exc:
            raise EncodingError(f"{raw!r} is not a valid {self.name} value ({exc})") from None


class TextCodec(Codec):
    def decode(self, raw):
        if not isinstance(raw, str):
            raise TypeError("expected a string")
        return raw


class IntegerCodec(Codec):
    name = "integer"

    def encode(self, value):
        return int(value)

    def decode(self, raw):
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise TypeError("expected an integer")
        return raw


class BooleanCodec(Codec):
    name = "boolean"

    def encode(self, value):
        return bool(value)

    def decode(self, raw):
        if not isinstance(raw, bool):
            raise TypeError("expected true or false")
        return raw


class DecimalCodec(Codec):
    """Exact decimals as strings (a JSON number would go through a float)."""

    name = "decimal"

    def encode(self, value):
        return str(value)

    def decode(self, raw):
        value = Decimal(raw)
        return value if self.type.asdecimal else float(value)


class FloatCodec(Codec):
    name = "float"

    def encode(self, value):
        return float(value)

    def decode(self, raw):
        value = float(raw)
        return Decimal(repr(value)) if getattr(self.type, "asdecimal", False) else value


class DateTimeCodec(Codec):
    """ISO 8601; a zone-aware column is written in UTC with its offset (SQLite hands it back naive, as UTC)."""

    name = "datetime"

    def __init__(self, type_):
        super().__init__(type_)
        if type_.timezone:
            self.name = "datetime_tz"

    def encode(self, value):
        if self.type.timezone:
            value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.isoformat()

    def decode(self, raw):
        value = datetime.fromisoformat(raw)
        if self.type.timezone and value.tzinfo is None:
            raise ValueError("a zone-aware date-time needs its offset")
        return value


class DateCodec(Codec):
    name = "date"

    def encode(self, value):
        return value.isoformat()

    def decode(self, raw):
        return date.fromisoformat(raw)


class TimeCodec(Codec):
    name = "time"

    def encode(self, value):
        return value.isoformat()

    def decode(self, raw):
        return time.fromisoformat(raw)


class IntervalCodec(Codec):
    name = "interval"

    def encode(self, value):
        return [value.days, value.seconds, value.microseconds]

    def decode(self, raw):
        days, seconds, microseconds = raw
        return timedelta(days=days, seconds=seconds, microseconds=microseconds)


class BinaryCodec(Codec):
    name = "binary"

    def encode(self, value):
        return base64.b64encode(bytes(value)).decode("ascii")

    def decode(self, raw):
        return base64.b64decode(raw.encode("ascii"), validate=True)


class JSONCodec(Codec):
    """A JSON document as itself; SQL NULL stays SQL NULL (not the JSON ``null`` SQLAlchemy would write)."""

    name = "json"

    def read(self, raw):
        return null() if raw is None else raw


class UuidCodec(Codec):
    name = "uuid"

    def encode(self, value):
        return str(value)

    def decode(self, raw):
        value = uuid.UUID(raw)
        return value if self.type.as_uuid else raw


class EnumCodec(Codec):
    """An enum member by its name (a plain string enum as the string), checked against the type's members."""

    name = "enum"

    def encode(self, value):
        return value.name if isinstance(value, enum.Enum) else str(value)

    def decode(self, raw):
        if self.type.enum_class is not None:
            return self.type.enum_class[raw]
        if raw not in self.type.enums:
            raise ValueError(f"not one of {list(self.type.enums)}")
        return raw


class PlainCodec(Codec):
    """A type this module does not know: accepted only while its values are plain JSON."""

    name = "plain"

    def encode(self, value):
        if not isinstance(value, _PLAIN):
            raise EncodingError(f"{type(self.type).__name__} value {type(value).__name__} has no backup encoding")
        return value


# Most specific first: Enum is a String, PostgreSQL's types subclass the generic ones.
_CODECS = [
    (Enum, EnumCodec),
    (Boolean, BooleanCodec),
    (DateTime, DateTimeCodec),
    (Date, DateCodec),
    (Time, TimeCodec),
    (Interval, IntervalCodec),
    (Float, FloatCodec),
    (Numeric, DecimalCodec),
    (Integer, IntegerCodec),
    (LargeBinary, BinaryCodec),
    (JSON, JSONCodec),
    (Uuid, UuidCodec),
    (String, TextCodec),
]


def storage_type(column, dialect):
    """The type the database really stores: a project's ``TypeDecorator`` gives its own type, so its values are
    copied as stored (an encrypted column stays encrypted); SQLAlchemy's emulated types (``Interval`` on
    SQLite) keep their portable meaning."""
    kind = column.type
    if isinstance(kind, TypeDecorator) and not isinstance(kind, Emulated):
        return kind.load_dialect_impl(dialect)
    return kind


def codec_for(column, dialect):
    kind = storage_type(column, dialect)
    for sql_type, codec in _CODECS:
        if isinstance(kind, sql_type):
            return codec(kind)
    return PlainCodec(kind)


def backed_up_columns(table):
    """The columns a backup holds: all but those the database computes itself (a generated column, or one a
    trigger derives, marked ``info={"derived": True}``: the search index's ``document``)."""
    return [c for c in table.columns if c.computed is None and not c.info.get("derived")]


def storage_table(table, dialect):
    """A copy of ``table`` with the stored types and no constraints: selects and inserts go around
    ``TypeDecorator`` processing, so a backup copies exactly what the database holds."""
    columns = [
        Column(c.name, storage_type(c, dialect), primary_key=c.primary_key, autoincrement=False)
        for c in backed_up_columns(table)
    ]
    return Table(table.name, MetaData(), *columns, schema=table.schema)


def describe(table, dialect):
    """``{column: codec name}``: what the manifest records and a restore compares with its own schema."""
    return {c.name: codec_for(c, dialect).name for c in backed_up_columns(table)}
