"""Typed decoding and encoding of 10,000 records of the widest model, against json.loads / json.dumps."""

from __future__ import annotations

import importlib
import json
import tempfile
from pathlib import Path
from typing import Any

from .baseline import stock_model
from .data import full_records, module_name, widest_read_model
from .harness import Row, compared, interleaved

RECORDS = 10_000


def decode_rows(rounds: int) -> list[Row]:
    name = widest_read_model()
    fast: Any = getattr(importlib.import_module(f"dimescheduler_raw.models.{module_name(name)}"), name)
    records = full_records(name, RECORDS)
    raw = json.dumps(records).encode()
    # Answers that leave fields out (a server skipping nulls): every 7th field only.
    sparse_raw = json.dumps(
        [{k: v for i, (k, v) in enumerate(r.items()) if i % 7 == 0} for r in records]
    ).encode()
    fields = len(records[0])
    with tempfile.TemporaryDirectory(prefix="bench-stock-") as tmp:
        stock: Any = stock_model(Path(tmp), name)
        fast_objects = [fast.from_dict(r) for r in records]
        stock_objects = [stock.from_dict(r) for r in records]
        if [o.to_dict() for o in fast_objects] != [o.to_dict() for o in stock_objects]:
            raise RuntimeError("fast and stock models disagree on the benchmark data")
        from_fast, from_stock = fast.from_dict, stock.from_dict
        times = interleaved(
            {
                "json.loads": lambda: json.loads(raw),
                "loads+from_dict": lambda: [from_fast(r) for r in json.loads(raw)],
                "loads+from_dict (stock)": lambda: [from_stock(r) for r in json.loads(raw)],
                "json.loads sparse": lambda: json.loads(sparse_raw),
                "sparse loads+from_dict": lambda: [from_fast(r) for r in json.loads(sparse_raw)],
                "sparse loads+from_dict (stock)": lambda: [from_stock(r) for r in json.loads(sparse_raw)],
                "json.dumps": lambda: json.dumps(records),
                "to_dict+dumps": lambda: json.dumps([o.to_dict() for o in fast_objects]),
                "to_dict+dumps (stock)": lambda: json.dumps([o.to_dict() for o in stock_objects]),
            },
            rounds=rounds,
        )
    what = f"{RECORDS:,} x {name} ({fields} fields, all present)"
    dates = sum(1 for v in records[0].values() if isinstance(v, str) and v.startswith("2024-05-01T"))
    sparse = f"{RECORDS:,} x {name} with every 7th field only (the others absent)"
    encode_note = (
        f"{what}; no goal set: {dates} date-times per record, and datetime.isoformat (C, 0.3-0.7 us each)"
        " is most of to_dict's cost"
    )

    def row(label: str, case: str, base: str, goal: str, goal_ratio: float | None, note: str = "") -> Row:
        group = "decode" if "loads" in base else "encode"
        return compared(
            times, case, base, group=group, name=label, goal=goal, goal_ratio=goal_ratio, note=note or what
        )

    return [
        row("json.loads + from_dict vs json.loads", "loads+from_dict", "json.loads", "<= 2.0x", 2.0),
        row("  same, stock templates (before)", "loads+from_dict (stock)", "json.loads", "info", None),
        row(
            "  sparse records (1 field in 7)",
            "sparse loads+from_dict",
            "json.loads sparse",
            "info",
            None,
            sparse,
        ),
        row(
            "  sparse, stock templates (before)",
            "sparse loads+from_dict (stock)",
            "json.loads sparse",
            "info",
            None,
            sparse,
        ),
        row("to_dict + json.dumps vs json.dumps", "to_dict+dumps", "json.dumps", "info", None, encode_note),
        row("  same, stock templates (before)", "to_dict+dumps (stock)", "json.dumps", "info", None),
    ]
