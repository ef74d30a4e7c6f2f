"""Open formats: delta-rs and polars read every table of the lakehouse directly, with no Spark."""
import decimal
from pathlib import Path

import polars as pl
import pytest
from deltalake import DeltaTable

# What delta-rs (deltalake 1.6) and polars read: a table needing another reader feature (deletion
# vectors, column mapping, ...) fails here until docs/querying.md records the decision.
READER_FEATURES_ALLOWED = set()
MAX_READER_VERSION = 1
SAMPLE = 25


def tables(lakehouse):
    return sorted(p.name for p in Path(lakehouse).iterdir() if (p / "_delta_log").is_dir())


def test_the_lakehouse_has_tables(lakehouse):
    assert {"inferences", "rewards", "balances", "merkle_roots"} <= set(tables(lakehouse))


def plain(value):
    """Values compared across readers: strings, integers (wei as exact integers), booleans."""
    if isinstance(value, decimal.Decimal):
        return int(value)
    return value


def test_every_table_reads_the_same_without_spark(spark, lakehouse):
    for name in tables(lakehouse):
        path = str(Path(lakehouse) / name)
        table = DeltaTable(path)
        protocol = table.protocol()
        assert protocol.min_reader_version <= MAX_READER_VERSION or set(protocol.reader_features or []) <= READER_FEATURES_ALLOWED, \
            f"{name}: reader protocol {protocol}"
        arrow = table.to_pyarrow_table()
        frame = pl.read_delta(path)
        count = spark.sql(f"SELECT count(*) AS n FROM `{name}`").first().n
        assert arrow.num_rows == count == frame.height, name
        # A sample of values: the plain columns, rows in one order, through both readers.
        columns = [f.name for f in table.schema().fields
                   if str(f.type).startswith("PrimitiveType") and any(t in str(f.type) for t in ("string", "long", "integer", "decimal", "boolean"))]
        if not columns or count == 0:
            continue
        order = ", ".join(f"`{c}`" for c in columns)
        expected = [tuple(plain(v) for v in row) for row in
                    spark.sql(f"SELECT {order} FROM `{name}` ORDER BY {order} LIMIT {SAMPLE}").collect()]
        sorted_rows = frame.select(columns).sort(columns, nulls_last=False).head(SAMPLE)
        actual = [tuple(plain(v) for v in row) for row in sorted_rows.iter_rows()]
        assert actual == expected, name
