"""Small real datasets shipped with klteach, loaded offline.

Each file in ``klteach/data/`` has its source and licence in
``klteach/data/SOURCES.md``. Nothing is downloaded at run time.
"""

from __future__ import annotations

import csv
from importlib import resources

import numpy as np

__all__: list[str] = []


def _data_path(name: str):
    """Path-like to a file shipped in ``klteach/data``."""
    return resources.files("klteach") / "data" / name


def _read_csv(name: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a shipped CSV file, as strings."""
    with _data_path(name).open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(row for row in f if not row.startswith("#")))
    return rows[0], rows[1:]


# --- notebooks 02-04 (coding, cross-entropy, asymmetry) --------------------------

# --- notebook 06 (drift) ------------------------------------------------------------
