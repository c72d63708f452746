r"""Counting drift bins where the data live: SQL for SQLite, DuckDB and Spark.

The drift measures and the permutation test on counts
(:func:`~klteach.drift.drift_measures`, :func:`~klteach.drift.drift_test_counts`)
need only the number of values per bin, so the counting can be one
``GROUP BY`` in a database, over Parquet files or on a Spark cluster. This
module writes that SQL, with the same bins as :func:`~klteach.drift.bin_counts`:

* bin 0 is ``x < edges[0]`` (underflow), bin i is ``edges[i-1] <= x < edges[i]``,
  bin ``K = len(edges)`` is ``x >= edges[-1]`` (overflow);
* bin ``K + 1`` counts the missing values: ``NULL``, and NaN in DuckDB and
  Spark, whose DOUBLE columns hold NaN as a value of its own (sorted above
  ``+inf``, so without this test it would land in the overflow bin);
* the column is compared as a 64-bit float, ``CAST(x AS DOUBLE)``: integers
  beyond 2**53 round exactly as numpy rounds them, and an SQLite column
  holding TEXT is compared as a number, not as a string;
* in SQLite, bin ``K + 2`` marks a value stored as TEXT or BLOB that is not a
  number (``'abc'``, ``''``, ``'nan'``, ``'inf'``, ``'0x10'``), which SQLite's
  cast would silently turn into 0 (or its leading number):
  :func:`counts_from_rows` refuses such rows with their count, never bins them;
* bin ``K + 3`` marks ``+inf`` and ``-inf``, which :func:`counts_from_rows`
  refuses as :func:`~klteach.drift.bin_counts` refuses them in memory (an
  infinite value is usually an error, not an extreme measurement);
* the edges are never written into the SQL text: they are bound as query
  parameters, one ``?`` each, so each engine receives the very float64 numpy
  holds (a decimal literal can be parsed one unit in the last place off).

One text serves the three engines; ``dialect`` changes only the identifier
quotes (``"x"``, or ```x``` in Spark), adds the NaN test for DuckDB and
Spark and the text test for SQLite. The parameters are passed as the engine's driver expects::

    sqlite3 / DuckDB: connection.execute(sql, params)
    Spark 3.5+:       spark.sql(sql, args=list(params))

Categories need no ``CASE``: :func:`category_count_query` groups by the
column itself, so a category seen only in the current data comes back too,
and :func:`category_counts_from_rows` lines the two sides up like
:func:`~klteach.drift.category_counts`.

Examples
--------
>>> import sqlite3
>>> db = sqlite3.connect(":memory:")
>>> _ = db.execute("CREATE TABLE t (x REAL)")
>>> _ = db.executemany("INSERT INTO t VALUES (?)", [(-5,), (1.5,), (2,), (2.5,), (9,), (None,)])
>>> sql, params = count_query("t", "x", [1.0, 2.0, 3.0])
>>> counts_from_rows(db.execute(sql, params).fetchall(), [1.0, 2.0, 3.0])
array([1, 1, 2, 1, 1])
"""

from __future__ import annotations

import math
from numbers import Integral

import numpy as np

from .._validation import DistributionError, label_key
from ._common import _is_missing_label
from .binning import category_counts

__all__ = ["DIALECTS", "quote_identifier", "bin_case_sql", "sql_bin_case", "count_query",
           "counts_from_rows", "category_count_query", "category_counts_from_rows"]

#: The engines whose SQL this module writes and tests (tests/drift/test_sql.py).
DIALECTS = ("sqlite", "duckdb", "spark")

# The label category_counts gives missing values with nan="bin", asked of it (public API only).
_MISSING = category_counts([None], [None], nan="bin")[0][0]


def _check_dialect(dialect) -> str:
    if dialect not in DIALECTS:
        raise ValueError(f"dialect must be one of {', '.join(map(repr, DIALECTS))}, got {dialect!r}; "
                         f"DuckDB's SQL also suits PostgreSQL-like engines that know isnan().")
    return dialect


def _check_text(name: str, value) -> str:
    if not isinstance(value, str) or not value:
        raise TypeError(f"{name} must be a non-empty string, got {value!r}.")
    return value


def quote_identifier(name, *, dialect: str = "sqlite") -> str:
    r'''A column or table name quoted for ``dialect``, safe against injection.

    SQLite and DuckDB quote with ``"`` (an inner ``"`` doubled), Spark with
    backticks (an inner ````` doubled). A tuple of names gives a qualified
    name, each part quoted (``("sales", "events")`` -> ``"sales"."events"``).

    Parameters
    ----------
    name : str or tuple of str
        The name as it is stored (not an expression).
    dialect : {"sqlite", "duckdb", "spark"}

    Returns
    -------
    str

    Raises
    ------
    TypeError
        A name that is not a non-empty string (or a tuple of them).
    ValueError
        An unknown dialect.

    Examples
    --------
    >>> quote_identifier('amount "eur"')
    '"amount ""eur"""'
    >>> quote_identifier(("db", "my table"), dialect="spark")
    '`db`.`my table`'
    '''
    _check_dialect(dialect)
    if isinstance(name, tuple) and name:
        return ".".join(quote_identifier(part, dialect=dialect) for part in name)
    _check_text("a table or column name", name)
    q = "`" if dialect == "spark" else '"'
    return q + name.replace(q, q + q) + q


def _edges(edges) -> np.ndarray:
    """At least 2 strictly increasing finite float64 edges, as klteach.drift.bin_counts requires."""
    try:
        arr = np.asarray(edges, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"edges must be a 1-D array of at least 2 finite, strictly increasing "
                         f"numbers (as for bin_counts), e.g. from klteach.drift.bin_edges; got {edges!r}.") from None
    if arr.ndim != 1 or arr.size < 2 or not np.all(np.isfinite(arr)) or np.any(arr[1:] <= arr[:-1]):
        raise ValueError(f"edges must be a 1-D array of at least 2 finite, strictly increasing "
                         f"numbers (as for bin_counts), e.g. from klteach.drift.bin_edges; got {edges!r}.")
    return arr


def bin_case_sql(column, edges, *, dialect: str = "sqlite", placeholder: str = "?",
                 float_type: str = "DOUBLE"):
    """A SQL ``CASE`` giving the bin of ``column``, as :func:`~klteach.drift.bin_counts` bins it.

    With ``K = len(edges)`` and ``v = CAST(column AS DOUBLE)``::

        CASE WHEN v IS NULL [OR isnan(v)] THEN K + 1
             [WHEN typeof(x) IN ('text', 'blob') AND x <> CAST(x AS NUMERIC) THEN K + 2]
             WHEN abs(v) = <+inf> THEN K + 3
             WHEN v < ? THEN 0  ...  WHEN v < ? THEN K - 1
             ELSE K END

    so bin ``i`` holds ``edges[i-1] <= v < edges[i]``, the same rule as
    ``numpy.searchsorted(edges, v, side="right")``, bin ``K + 1`` the
    missing values and bin ``K + 3`` the infinite ones (``<+inf>`` is
    ``9e999`` in SQLite, ``CAST('Infinity' AS DOUBLE)`` in DuckDB and
    Spark), which :func:`counts_from_rows` refuses, as
    :func:`~klteach.drift.bin_counts` refuses them. The NaN test is added for DuckDB and Spark (SQLite
    stores NaN as ``NULL``). The text test is SQLite's only: a TEXT or BLOB
    value that SQLite does not read as a number (it stays unequal to its
    numeric cast) gets bin ``K + 2``, which :func:`counts_from_rows` refuses
    with the number of such values, instead of the 0 that ``CAST`` would make
    of it.

    Parameters
    ----------
    column : str or tuple of str
        Column name (quoted here; not an expression).
    edges : array_like
        At least 2 strictly increasing finite edges (as :func:`~klteach.drift.bin_counts`
        takes), e.g. from :func:`~klteach.drift.bin_edges`.
    dialect : {"sqlite", "duckdb", "spark"}
        Identifier quotes and the NaN test; the rest of the text is the same.
    placeholder : str
        The driver's parameter marker: ``"?"`` (sqlite3, DuckDB, Spark's
        positional ``args``; default) or ``"%s"`` (psycopg, MySQL drivers).
    float_type : str
        The SQL name of a 64-bit float: ``"DOUBLE"`` (SQLite, where it means
        REAL; DuckDB; Spark; MySQL) or ``"DOUBLE PRECISION"`` (PostgreSQL).

    Returns
    -------
    expression : str
    parameters : tuple of float
        The edges, in the order of the placeholders (bind them before any
        later parameters of the query).

    Raises
    ------
    TypeError
        ``column``, ``placeholder`` or ``float_type`` not a non-empty string.
    ValueError
        Bad edges (fewer than 2, not finite, not strictly increasing) or an unknown dialect.

    Notes
    -----
    ``+inf`` and ``-inf`` get bin ``K + 3``, which :func:`counts_from_rows`
    refuses with the advice :func:`~klteach.drift.bin_counts` gives; a TEXT value is converted
    by the database (SQLite 3.40 converts some 17-digit decimals one unit in
    the last place off, so store numbers as REAL to compare exactly).

    Text that is not a number: SQLite's ``CAST`` turns it into its leading
    number, or 0 if it has none (``'abc'``, ``''``, ``'nan'``, ``'inf'`` and
    ``'0x10'`` all become 0, ``'12abc'`` 12), so the SQLite text marks every
    TEXT or BLOB value that SQLite's own column affinity would not store as a
    number with bin ``K + 2``, and :func:`counts_from_rows` refuses them
    (numbers stored as text, ``'1.5'`` or ``' 1e5 '``, are counted as
    numbers). Store NULL for a missing value, and ``+inf`` as a REAL
    (``9e999``). DuckDB refuses such text with a conversion error, except
    that it reads ``'nan'`` as NaN (the missing-value bin) and ``'inf'`` as
    ``+inf``; Spark refuses it in ANSI mode (its default) and reads it as
    NULL (the missing-value bin) otherwise.

    Examples
    --------
    >>> sql, params = bin_case_sql("x", [0.5, 2.0])
    >>> print(sql)
    CASE WHEN CAST("x" AS DOUBLE) IS NULL THEN 3 WHEN typeof("x") IN ('text', 'blob') AND "x" <> CAST("x" AS NUMERIC) THEN 4 WHEN abs(CAST("x" AS DOUBLE)) = 9e999 THEN 5 WHEN CAST("x" AS DOUBLE) < ? THEN 0 WHEN CAST("x" AS DOUBLE) < ? THEN 1 ELSE 2 END
    >>> params
    (0.5, 2.0)
    >>> print(bin_case_sql("x", [0.5, 2.0], dialect="spark")[0])
    CASE WHEN CAST(`x` AS DOUBLE) IS NULL OR isnan(CAST(`x` AS DOUBLE)) THEN 3 WHEN abs(CAST(`x` AS DOUBLE)) = CAST('Infinity' AS DOUBLE) THEN 5 WHEN CAST(`x` AS DOUBLE) < ? THEN 0 WHEN CAST(`x` AS DOUBLE) < ? THEN 1 ELSE 2 END
    """
    _check_dialect(dialect)
    quoted = quote_identifier(column, dialect=dialect)
    _check_text("placeholder", placeholder)
    _check_text("float_type", float_type)
    edges = _edges(edges)
    value = f"CAST({quoted} AS {float_type})"
    missing = f"{value} IS NULL" + ("" if dialect == "sqlite" else f" OR isnan({value})")
    # +-inf get a bin of their own, refused by counts_from_rows as bin_counts refuses them.
    infinity = "9e999" if dialect == "sqlite" else f"CAST('Infinity' AS {float_type})"
    whens = f"WHEN abs({value}) = {infinity} THEN {len(edges) + 3} " + " ".join(
        f"WHEN {value} < {placeholder} THEN {i}" for i in range(len(edges)))
    if dialect == "sqlite":
        # A TEXT or BLOB value stays unequal to its numeric cast unless SQLite reads it as a
        # number (the comparison applies numeric affinity to it), so this marks exactly the
        # values that CAST would silently make 0 (or their leading number).
        whens = (f"WHEN typeof({quoted}) IN ('text', 'blob') AND {quoted} <> CAST({quoted} AS "
                 f"NUMERIC) THEN {len(edges) + 2} ") + whens
    sql = f"CASE WHEN {missing} THEN {len(edges) + 1} {whens} ELSE {len(edges)} END"
    return sql, tuple(float(e) for e in edges)


def sql_bin_case(column, edges, *, placeholder: str = "?", float_type: str = "DOUBLE PRECISION"):
    """SQLite's ``CASE`` for the :func:`~klteach.drift.bin_counts` bin of ``column``, and its parameters.

    The same as ``bin_case_sql(column, edges, dialect="sqlite", ...)``; the
    default ``float_type`` also suits PostgreSQL (where ``REAL`` would be a
    32-bit float). Bin 0 is ``v < edges[0]``, bin i is
    ``edges[i-1] <= v < edges[i]``, bin ``len(edges)`` is ``v >= edges[-1]``
    and ``NULL`` gets bin ``len(edges) + 1``, with ``v`` the column cast to a
    64-bit float; text that SQLite does not read as a number gets bin
    ``len(edges) + 2`` (see :func:`bin_case_sql`; :func:`counts_from_rows`
    refuses it). The cast is always there: SQLite compares a TEXT value with
    a number as text (``'9'`` is greater than every number, and ``'10' <
    '9'``), and an INTEGER beyond 2**53 with a float exactly where numpy
    rounds it first; cast, both compare as numpy does. The edges are bound
    as query parameters (one ``placeholder`` each, in order), never written
    as decimal literals, which SQLite can parse one unit in the last place off.

    Parameters
    ----------
    column : str or tuple of str
        Column name (quoted here; not an expression).
    edges : array_like
        At least 2 strictly increasing finite edges, e.g. from :func:`~klteach.drift.bin_edges`.
    placeholder : str
        ``"?"`` (sqlite3, default) or ``"%s"`` (psycopg, MySQL drivers).
    float_type : str
        SQL name of a 64-bit float: ``"DOUBLE PRECISION"`` (default) or ``"DOUBLE"``.

    Returns
    -------
    expression : str
    parameters : tuple of float

    Raises
    ------
    TypeError
        ``column``, ``placeholder`` or ``float_type`` not a non-empty string.
    ValueError
        Bad edges (fewer than 2, not finite, not strictly increasing).

    Examples
    --------
    >>> import sqlite3
    >>> db = sqlite3.connect(":memory:")
    >>> _ = db.execute("CREATE TABLE t (x TEXT)")              # numbers stored as text
    >>> _ = db.executemany("INSERT INTO t VALUES (?)", [("0.2",), ("1.5",), ("9",), ("10",)])
    >>> case, params = sql_bin_case("x", [0.5, 2.0, 20.0])
    >>> sorted(db.execute(f"SELECT {case}, COUNT(*) FROM t GROUP BY 1", params).fetchall())
    [(0, 1), (1, 1), (2, 2)]
    """
    return bin_case_sql(column, edges, dialect="sqlite", placeholder=placeholder,
                        float_type=float_type)


def count_query(table, column, edges, *, by=None, dialect: str = "sqlite", placeholder: str = "?"):
    """One query counting ``table``'s values of ``column`` per bin (and per group of ``by``).

    ``SELECT [by,] <bin_case_sql> AS bin, COUNT(*) AS n FROM table GROUP BY ...``:
    one pass over the table, and only one row per non-empty bin (and group)
    comes back. Turn the rows into counts with :func:`counts_from_rows`.

    Parameters
    ----------
    table : str or tuple of str
        Table or view name (quoted here; a tuple for a qualified name). For
        files, make a view first (DuckDB: ``CREATE VIEW t AS SELECT * FROM
        read_parquet('...')``; Spark: ``spark.read.parquet(...).createOrReplaceTempView("t")``).
    column : str
        The numeric column to bin.
    edges : array_like
        Strictly increasing finite edges.
    by : str, optional
        A column to group by as well (a period, a segment): one query then
        counts the reference and the current data together.
    dialect, placeholder
        As in :func:`bin_case_sql`.

    Returns
    -------
    sql : str
    parameters : tuple of float
        The edges: ``execute(sql, params)`` (SQLite, DuckDB) or
        ``spark.sql(sql, args=list(params))``.

    Raises
    ------
    TypeError, ValueError
        As for :func:`bin_case_sql` (names, edges, dialect).

    Examples
    --------
    >>> print(count_query("events", "x", [0.0, 1.0], by="period", dialect="duckdb")[0])
    SELECT "period" AS grp, CASE WHEN CAST("x" AS DOUBLE) IS NULL OR isnan(CAST("x" AS DOUBLE)) THEN 3 WHEN abs(CAST("x" AS DOUBLE)) = CAST('Infinity' AS DOUBLE) THEN 5 WHEN CAST("x" AS DOUBLE) < ? THEN 0 WHEN CAST("x" AS DOUBLE) < ? THEN 1 ELSE 2 END AS bin, COUNT(*) AS n FROM "events" GROUP BY 1, 2
    """
    case, params = bin_case_sql(column, edges, dialect=dialect, placeholder=placeholder)
    source = quote_identifier(table, dialect=dialect)
    if by is None:
        return f"SELECT {case} AS bin, COUNT(*) AS n FROM {source} GROUP BY 1", params
    group = quote_identifier(by, dialect=dialect)
    return f"SELECT {group} AS grp, {case} AS bin, COUNT(*) AS n FROM {source} GROUP BY 1, 2", params


def _count(n, where: str) -> int:
    if isinstance(n, bool) or not isinstance(n, (Integral, float, np.floating)) \
            or not math.isfinite(n) or n < 0 or n != int(n):
        raise DistributionError(f"{where}: the count {n!r} is not a whole number >= 0; pass the "
                                f"rows of the count query as they come back (bin, n).")
    return int(n)


def _not_a_number_message(n: int, group, column) -> str:
    where = "" if group is None else f" in group {group!r}"
    name = "the column" if column is None else f"column {column!r}"
    col = "x" if column is None else quote_identifier(column)
    return (f"{n} value(s){where} of {name} are stored as text (or a blob) that SQLite does not "
            f"read as a number ('abc', '', 'nan', 'inf', '0x10', ...); SQLite's CAST would count "
            f"each as 0 or its leading number, so klteach refuses them. Find them with "
            f"SELECT {col} FROM ... WHERE typeof({col}) IN ('text', 'blob') AND {col} <> CAST({col} "
            f"AS NUMERIC), then store NULL for a missing value and a REAL for a number (9e999 for "
            f"+inf), or leave them out of the query in a view.")


def counts_from_rows(rows, edges, *, nan: str = "bin", column=None):
    """Counts per bin from the rows of :func:`count_query`, as :func:`~klteach.drift.bin_counts` gives them.

    Parameters
    ----------
    rows : iterable of (bin, n) or (group, bin, n)
        What the query returned (tuples, or Spark ``Row`` objects). Bins
        missing from the rows are empty.
    edges : array_like
        The edges the query used.
    nan : {"bin", "raise"}
        ``"bin"`` (default): ``len(edges) + 2`` counts, the last one the
        missing values (``NULL``, NaN), as ``bin_counts(..., nan="bin")``.
        ``"raise"``: ``len(edges) + 1`` counts, and a DistributionError if
        any value was missing, as ``bin_counts``' default.
    column : str, optional
        The column the query counted, named in the error messages.

    Returns
    -------
    ndarray of int64, or dict of group -> ndarray of int64
        A dict, in the order the groups first appear, when the rows carry a group.

    Raises
    ------
    DistributionError
        A bin number outside ``0 .. len(edges) + 2``, a bin given twice, a
        count that is not a whole number >= 0, rows of mixed shapes, missing
        values with ``nan="raise"``, and always bin ``len(edges) + 2``: values
        SQLite holds as text (or a blob) that is not a number, which its
        cast would have counted as 0 (see :func:`bin_case_sql`), and bin
        ``len(edges) + 3``: infinite values, which
        :func:`~klteach.drift.bin_counts` refuses too.
    ValueError
        Bad edges or nan policy.

    Examples
    --------
    >>> counts_from_rows([(0, 4), (2, 7), (3, 1)], [0.0, 1.0])
    array([4, 0, 7, 1])
    >>> counts_from_rows([("may", 1, 5), ("june", 0, 2), ("may", 0, 1)], [0.0, 1.0], nan="raise")
    {'may': array([1, 5, 0]), 'june': array([2, 0, 0])}
    >>> import sqlite3
    >>> db = sqlite3.connect(":memory:")
    >>> _ = db.execute("CREATE TABLE t (x REAL)")
    >>> _ = db.executemany("INSERT INTO t VALUES (?)", [(0.5,), ("nan",), ("",), (None,)])
    >>> sql, params = count_query("t", "x", [0.0, 1.0])
    >>> counts_from_rows(db.execute(sql, params).fetchall(), [0.0, 1.0], column="x")
    Traceback (most recent call last):
    ...
    klteach._validation.DistributionError: 2 value(s) of column 'x' are stored as text (or a blob) that SQLite does not read as a number ...
    """
    if nan not in ("bin", "raise"):
        raise ValueError(f"nan must be 'bin' (a last bin for NULL and NaN) or 'raise' (refuse "
                         f"missing values), got {nan!r}.")
    k = len(_edges(edges))
    groups, widths = {}, set()
    for i, row in enumerate(rows):
        row = tuple(row)
        widths.add(len(row))
        if len(widths) > 1 or len(row) not in (2, 3):
            raise DistributionError(f"row {i} is {row!r}; every row must be (bin, n), or "
                                    f"(group, bin, n) for a query with by=, all of one shape.")
        group, b, n = (None, *row) if len(row) == 2 else row
        if isinstance(b, bool) or not isinstance(b, (Integral, np.integer)) or not 0 <= b <= k + 3:
            raise DistributionError(f"row {i}: bin {b!r} is not one of 0 .. {k + 3} (the bins of "
                                    f"{k} edges, the missing-value bin, SQLite's not-a-number "
                                    f"bin and the infinite-value bin); were these rows counted "
                                    f"with these edges?")
        if b == k + 2:
            raise DistributionError(_not_a_number_message(_count(n, f"row {i}"), group, column))
        if b == k + 3:
            where = "" if group is None else f" in group {group!r}"
            name = "the column" if column is None else f"column {column!r}"
            raise DistributionError(
                f"{_count(n, f'row {i}')} value(s){where} of {name} are infinite (+inf or -inf); "
                f"klteach refuses them, as bin_counts does: replace them (or clip them) before "
                f"counting, in the query or a view, or store NULL for a missing value.")
        counts = groups.setdefault(group, np.zeros(k + 2, dtype=np.int64))
        if counts[b]:
            raise DistributionError(f"row {i}: bin {b} of group {group!r} appears twice; group "
                                    f"the query by its bin (GROUP BY) so each bin comes once.")
        counts[b] = _count(n, f"row {i}")
    if nan == "raise":
        for group, counts in groups.items():
            if counts[-1]:
                where = "" if group is None else f" in group {group!r}"
                raise DistributionError(
                    f"{counts[-1]} value(s){where} are missing (NULL or NaN); klteach never drops "
                    f"them silently: pass nan='bin' to keep them in a bin of their own, or "
                    f"filter them in the query (WHERE ... IS NOT NULL) if they are errors.")
            groups[group] = counts[:-1]
    if widths == {3}:
        return groups
    return groups.get(None, np.zeros(k + 2 - (nan == "raise"), dtype=np.int64))


def category_count_query(table, column, *, by=None, dialect: str = "sqlite") -> str:
    """One query counting each category of ``column``: ``SELECT column, COUNT(*) ... GROUP BY``.

    Grouping by the column itself, rather than a ``CASE`` over known
    categories, returns categories that appear only in the current data too.
    ``NULL`` comes back as ``None``. Line two sides up with
    :func:`category_counts_from_rows`.

    Parameters
    ----------
    table, column, by, dialect
        As in :func:`count_query`.

    Returns
    -------
    str
        The query; it has no parameters.

    Examples
    --------
    >>> category_count_query("events", "plan", dialect="duckdb")
    'SELECT "plan" AS category, COUNT(*) AS n FROM "events" GROUP BY 1'
    """
    col = quote_identifier(column, dialect=dialect)
    source = quote_identifier(table, dialect=dialect)
    if by is None:
        return f"SELECT {col} AS category, COUNT(*) AS n FROM {source} GROUP BY 1"
    return (f"SELECT {quote_identifier(by, dialect=dialect)} AS grp, {col} AS category, "
            f"COUNT(*) AS n FROM {source} GROUP BY 1, 2")


def category_counts_from_rows(reference_rows, current_rows, *, nan: str = "raise"):
    """Categories and their counts on both sides, as :func:`~klteach.drift.category_counts` gives them.

    Parameters
    ----------
    reference_rows, current_rows : iterable of (category, n)
        Rows of :func:`category_count_query` for each side.
    nan : {"raise", "bin"}
        ``NULL`` (``None``) and NaN labels are refused (default), or counted
        as the category ``"<missing>"``.

    Returns
    -------
    categories : list
        Over the union of both sides, sorted as ``category_counts`` sorts them.
    reference_counts, current_counts : ndarray of int64

    Raises
    ------
    DistributionError
        Missing labels with ``nan="raise"``, a side without any count, a
        category given twice, a count that is not a whole number >= 0.

    Examples
    --------
    >>> category_counts_from_rows([("card", 2), ("cash", 1)], [("card", 1), ("app", 1)])
    (['app', 'card', 'cash'], array([0, 2, 1]), array([1, 1, 0]))
    """
    sides = []
    for name, rows in (("reference_rows", reference_rows), ("current_rows", current_rows)):
        counts = {}
        for i, row in enumerate(rows):
            row = tuple(row)
            if len(row) != 2:
                raise DistributionError(f"{name}[{i}] is {row!r}; every row must be (category, n).")
            label, n = row
            if nan == "bin" and isinstance(label, str) and label == _MISSING:
                raise DistributionError(
                    f"{name}[{i}] is a category named {_MISSING!r}, the name nan='bin' gives the missing values: "
                    f"the two would be counted as one. Rename that category first.")
            label = _MISSING if _is_missing_label(label) and nan == "bin" else label
            key = label_key(label)
            if key in counts or (_is_missing_label(label) and any(_is_missing_label(v) for v, _ in counts.values())):
                raise DistributionError(f"{name}[{i}]: category {label!r} appears twice; group the "
                                        f"query by the category so each comes once.")
            counts[key] = (label, _count(n, f"{name}[{i}]"))
        sides.append(counts)
    # The order, the checks for missing labels and empty sides: category_counts' own, on the labels.
    present = [[None if nan == "bin" and isinstance(label, str) and label == _MISSING else label
                for label, n in side.values() if n]
               for side in sides]          # (a category named like it was refused above)
    categories, _, _ = category_counts(*present, nan=nan)
    return (categories, *(np.array([side.get(label_key(c), (c, 0))[1] for c in categories], dtype=np.int64)
                          for side in sides))
