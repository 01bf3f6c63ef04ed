"""Rows to text: a table for people, JSON / JSON Lines / CSV for programs."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal, TextIO

OutputFormat = Literal["table", "json", "jsonl", "csv"]
FORMATS: tuple[str, ...] = ("table", "json", "jsonl", "csv")
MAX_CELL = 60


def to_jsonable(value: Any) -> Any:
    """Plain JSON values for what DuckDB returns (timestamps as ISO 8601, bytes as length)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return f"<{len(value)} bytes>"
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    return value


def write_rows(
    out: TextIO, columns: Sequence[str], rows: Iterable[Sequence[Any]], fmt: OutputFormat
) -> int:
    """Write rows in the chosen format; returns how many were written."""
    count = 0
    if fmt == "json":
        records = [dict(zip(columns, map(to_jsonable, row), strict=True)) for row in rows]
        json.dump(records, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return len(records)
    if fmt == "jsonl":
        for row in rows:
            record = dict(zip(columns, map(to_jsonable, row), strict=True))
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
        return count
    if fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_csv_cell(v) for v in row])
            count += 1
        return count
    materialized = [[_table_cell(v) for v in row] for row in rows]
    out.write(render_table(columns, materialized))
    return len(materialized)


def _csv_cell(value: Any) -> Any:
    value = to_jsonable(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


def _table_cell(value: Any) -> str:
    value = to_jsonable(value)
    if value is None:
        return ""
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else str(value)
    text = " ".join(text.split())
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def render_table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain-text table with a header rule; numbers are not special-cased on purpose."""
    widths = [len(c) for c in columns]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))
    buf = io.StringIO()
    buf.write("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip() + "\n")
    buf.write("  ".join("-" * w for w in widths) + "\n")
    for row in rows:
        buf.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() + "\n")
    buf.write(f"({len(rows)} row{'s' if len(rows) != 1 else ''})\n")
    return buf.getvalue()
