"""R-26: every column type goes through a backup and back as the same value, on the suite's database
(SQLite or PostgreSQL): the encoding follows the column's SQL type, not the Python value."""

import enum
import json
import secrets
import uuid
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import (
    JSON,
    BigInteger,
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
    Text,
    Time,
    TypeDecorator,
    Uuid,
    insert,
    select,
)
from sqlalchemy.types import UserDefinedType

from app.backup.columns import EncodingError, codec_for, storage_table
from app.extensions import db


class Colour(enum.Enum):
    red = "đỏ"
    green = "xanh"


class Sealed(TypeDecorator):
    """Stores a fresh random prefix each time: only a copy of the stored value keeps it."""

    impl = String(200)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else f"{secrets.token_hex(4)}:{value}"

    def process_result_value(self, value, dialect):
        return None if value is None else value.split(":", 1)[1]


def _columns():
    return [
        Column("id", Integer, primary_key=True),
        Column("amount", Numeric(20, 2)),
        Column("ratio", Float),
        Column("big", BigInteger),
        Column("at", DateTime),
        Column("at_zone", DateTime(timezone=True)),
        Column("day", Date),
        Column("clock", Time),
        Column("span", Interval),
        Column("doc", JSON),
        Column("blob", LargeBinary),
        Column("colour", Enum(Colour, name="backup_probe_colour")),
        Column("state", Enum("draft", "published", name="backup_probe_state")),
        Column("flag", Boolean),
        Column("ref", Uuid),
        Column("text", Text),
        Column("sealed", Sealed),
    ]


ROWS = [
    {
        "id": 1,
        "amount": Decimal("987654321012.35"),
        "ratio": 0.1,
        "big": 2**62,
        "at": datetime(2026, 1, 2, 3, 4, 5, 678901),
        "at_zone": datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=7))),
        "day": date(1975, 4, 30),
        "clock": time(23, 59, 58, 1234),
        "span": timedelta(days=3, seconds=5, microseconds=7),
        "doc": {"tên": ["Bình Phước", 2.5, None, True], "n": {"deep": []}},
        "blob": bytes(range(256)),
        "colour": Colour.green,
        "state": "published",
        "flag": False,
        "ref": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "text": 'Dòng một\nDòng "hai" \\ \t ✓',
        "sealed": "mật",
    },
    {"id": 2, "flag": True, "amount": Decimal("0.01"), "at_zone": datetime(2026, 6, 1, tzinfo=UTC)},
    {"id": 3},  # every column NULL
]


@pytest.fixture
def probe(app):
    metadata = MetaData()
    source = Table("backup_probe_source", metadata, *_columns())
    target = Table("backup_probe_target", metadata, *_columns())
    with app.app_context():
        metadata.drop_all(db.engine)
        metadata.create_all(db.engine)
        try:
            yield source, target
        finally:
            db.session.rollback()
            metadata.drop_all(db.engine)


def test_every_column_type_round_trips_as_the_same_value(probe):
    """R-26: numeric, zoned and plain date-times, dates, times, intervals, JSON, bytes, enums, booleans, UUIDs,
    text, decorated types and NULLs written as a backup writes them and read back are the same values."""
    source, target = probe
    dialect = db.engine.dialect
    with db.engine.begin() as connection:
        connection.execute(insert(source), [{c.name: row.get(c.name) for c in source.columns} for row in ROWS])
    with db.engine.begin() as connection:
        stored = storage_table(source, dialect)
        codecs = {c.name: codec_for(c, dialect) for c in source.columns}
        lines = [
            json.dumps({name: codec.write(row._mapping[name]) for name, codec in codecs.items()})
            for row in connection.execute(select(stored).order_by(stored.c.id))
        ]
        records = [json.loads(line) for line in lines]
        decoded = [{name: codec.read(record[name]) for name, codec in codecs.items()} for record in records]
        connection.execute(insert(storage_table(target, dialect)), decoded)
    with db.engine.connect() as connection:
        before = connection.execute(select(source).order_by(source.c.id)).all()
        after = connection.execute(select(target).order_by(target.c.id)).all()
        raw_before = connection.execute(select(storage_table(source, dialect)).order_by(source.c.id)).all()
        raw_after = connection.execute(select(storage_table(target, dialect)).order_by(target.c.id)).all()
    assert after == before
    assert raw_after == raw_before  # the decorated column is copied as stored, not re-sealed
    assert before[0].amount == Decimal("987654321012.35") and before[0].colour is Colour.green
    assert before[0].blob == bytes(range(256)) and before[0].doc["tên"][0] == "Bình Phước"
    assert all(value is None for value in after[2][1:])


def test_a_type_without_an_encoding_is_named_not_guessed():
    """R-26: a value of an unknown column type is refused with the type's name instead of a bad archive."""

    class Point(UserDefinedType):
        cache_ok = True

        def get_col_spec(self):
            return "POINT"

    codec = codec_for(Column("where", Point()), None)
    assert codec.write("plain text") == "plain text"
    with pytest.raises(EncodingError, match="Point"):
        codec.write(object())
