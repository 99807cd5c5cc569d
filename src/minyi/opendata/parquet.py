"""The Parquet copy of each table of the open-data package (pyarrow), read back from its CSV in blocks so memory
stays flat however large the table; types follow the package's table schema."""

from __future__ import annotations

import os
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from minyi.opendata.package import RESOURCES

TYPES = {"integer": pa.int64(), "datetime": pa.timestamp("s", tz="UTC"), "date": pa.date32()}
BLOCK = 8 << 20  # bytes of CSV read at a time


def write_parquet(directory: Path, resource: str) -> Path:
    """Write `<resource>.parquet` beside `<resource>.csv` (replaced whole); empty cells become nulls."""
    fields = RESOURCES[resource][2]
    names = [f[0] for f in fields]
    schema = pa.schema([(name, TYPES.get(kind, pa.string())) for name, kind, _zh, _en in fields])
    reader = pacsv.open_csv(
        directory / f"{resource}.csv",
        read_options=pacsv.ReadOptions(block_size=BLOCK),
        convert_options=pacsv.ConvertOptions(
            column_types=dict(zip(names, schema.types, strict=True)),
            strings_can_be_null=True,
            null_values=[""],
        ),  # fmt: skip
    )
    target = directory / f"{resource}.parquet"
    tmp = target.with_suffix(".parquet.tmp")
    with pq.ParquetWriter(tmp, schema, compression="zstd") as out:
        for batch in reader:
            out.write_batch(batch)
    os.replace(tmp, target)
    return target
