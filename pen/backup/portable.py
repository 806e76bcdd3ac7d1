"""The logical dump: every table's rows as JSON lines, readable by any database we run on.

PostgreSQL's fallback when no ``pg_dump`` can read the server, and ``backup --logical``.
"""

import base64
import datetime as dt
import decimal
import enum
import json
from pathlib import Path

from sqlalchemy import Enum, Integer, func, insert, select, text

from ..extensions import db


def dump(target: Path) -> dict:
    """Every table's rows as JSON lines, in FK order, from one read-only snapshot."""
    counts = {}
    snapshot = ({"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
                if db.engine.dialect.name == "postgresql" else {})
    with (db.engine.connect().execution_options(**snapshot) as conn, conn.begin(),
          open(target, "w", encoding="utf-8") as out):
        for table in db.metadata.sorted_tables:
            counts[table.name] = 0
            order = list(table.primary_key.columns) or list(table.columns)
            for row in conn.execute(select(table).order_by(*order)):
                out.write(json.dumps({"t": table.name, "r": _encode(row._mapping)}) + "\n")
                counts[table.name] += 1
    return {"dialect": db.engine.dialect.name, "method": "logical", "file": target.name,
            "rows": counts}


def _encode(row) -> dict:
    """A row as JSON-able values; types JSON lacks are tagged."""
    encoded = {}
    for key, value in row.items():
        if isinstance(value, enum.Enum):
            value = {"$enum": value.name}
        elif isinstance(value, dt.datetime):
            value = {"$dt": value.isoformat()}
        elif isinstance(value, dt.date):
            value = {"$date": value.isoformat()}
        elif isinstance(value, dt.time):
            value = {"$time": value.isoformat()}
        elif isinstance(value, decimal.Decimal):
            value = {"$dec": str(value)}
        elif isinstance(value, bytes | memoryview):
            value = {"$b64": base64.b64encode(bytes(value)).decode()}
        encoded[str(key)] = value
    return encoded


def restore(dump: Path) -> None:
    """Insert the JSON lines table by table, then move PostgreSQL's sequences past them."""
    tables = db.metadata.tables
    batch, name = [], None
    with db.engine.begin() as conn:
        with open(dump, encoding="utf-8") as lines:
            for line in lines:
                item = json.loads(line)
                if item["t"] != name and batch:
                    conn.execute(insert(tables[name]), batch)
                    batch = []
                name = item["t"]
                batch.append(_decode(tables[name], item["r"]))
        if batch:
            conn.execute(insert(tables[name]), batch)
        if conn.dialect.name == "postgresql":
            _reset_sequences(conn)


def _decode(table, row: dict) -> dict:
    """The row's values back as the column types take them."""
    decoded = {}
    for key, value in row.items():
        if isinstance(value, dict) and len(value) == 1 and next(iter(value)).startswith("$"):
            tag, raw = next(iter(value.items()))
            value = {"$dt": dt.datetime.fromisoformat, "$date": dt.date.fromisoformat,
                     "$time": dt.time.fromisoformat, "$dec": decimal.Decimal,
                     "$b64": base64.b64decode}.get(tag, lambda v: v)(raw)
            if tag == "$enum":
                column_type = table.c[key].type
                value = column_type.enum_class[raw] if isinstance(column_type, Enum) else raw
        decoded[key] = value
    return decoded


def _reset_sequences(conn) -> None:
    """Each serial column's sequence continues after the highest restored id."""
    for table in db.metadata.sorted_tables:
        columns = list(table.primary_key.columns)
        for column in columns if len(columns) == 1 else []:
            if isinstance(column.type, Integer):
                highest = conn.scalar(select(func.max(column))) or 0
                conn.execute(text("SELECT setval(pg_get_serial_sequence(:t, :c), :n, false) "
                                  "WHERE pg_get_serial_sequence(:t, :c) IS NOT NULL"),
                             {"t": table.name, "c": column.name, "n": highest + 1})
