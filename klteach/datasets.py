"""Small real datasets shipped with klteach, loaded offline.

Each file in ``klteach/data/`` has its source and licence in
``klteach/data/SOURCES.md``. Nothing is downloaded at run time.
"""

from __future__ import annotations

import csv
from importlib import resources

import numpy as np

__all__ = ["letter_frequencies", "iris", "us_macro", "pride_and_prejudice"]


def _data_path(name: str):
    """Path-like to a file shipped in ``klteach/data``."""
    return resources.files("klteach") / "data" / name


def _read_csv(name: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a shipped CSV file, as strings."""
    with _data_path(name).open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(row for row in f if not row.startswith("#")))
    return rows[0], rows[1:]


def letter_frequencies(language="english"):
    """Relative frequencies of the letters a-z in running text of one language.

    Used in: notebooks/02_bits_and_encoding.ipynb (sections "2. Real data: letters of English and
    German", "Exercises"); notebooks/04_asymmetry.ipynb (section "4. Symmetric relatives");
    notebooks/08_where_kl_comes_from.ipynb (section "4. f-divergences: one formula, many
    divergences").

    Derived from the word frequencies of the ``wordfreq`` 3.1.1 package
    (CC BY-SA 4.0): each word's frequency is credited to each of its letters,
    after lower-casing, folding accents (é -> e, ñ -> n, ä -> a) and writing
    ß as ss; other characters are dropped. See ``klteach/data/SOURCES.md``.

    Parameters
    ----------
    language : {"english", "german", "spanish"}

    Returns
    -------
    letters : list of str
        ``"a"`` to ``"z"``.
    p : ndarray, shape (26,)
        Probability of each letter; sums to 1.

    Raises
    ------
    ValueError
        If ``language`` is not in the file.

    Examples
    --------
    >>> letters, p = letter_frequencies("english")
    >>> letters[4], round(float(p[4]), 3)   # e is the most common letter
    ('e', 0.12)
    """
    header, rows = _read_csv("letter_frequencies.csv")
    languages = header[1:]
    if language not in languages:
        raise ValueError(f"language must be one of {languages}, got {language!r}.")
    column = header.index(language)
    counts = np.array([float(row[column]) for row in rows])
    return [row[0] for row in rows], counts / counts.sum()


def iris():
    """Fisher's iris measurements: 150 flowers, 4 lengths in cm, 3 species.

    Used in: notebooks/03_cross_entropy.ipynb (section "4. Train a classifier: watch both curves").

    Returns
    -------
    X : ndarray, shape (150, 4)
        Sepal length, sepal width, petal length, petal width, in cm.
    species : ndarray of int, shape (150,)
        0 setosa, 1 versicolor, 2 virginica (50 of each).
    feature_names : list of str
    species_names : list of str

    Examples
    --------
    >>> X, species, features, names = iris()
    >>> X.shape, names
    ((150, 4), ['setosa', 'versicolor', 'virginica'])
    """
    header, rows = _read_csv("iris.csv")
    names = list(dict.fromkeys(row[-1] for row in rows))
    X = np.array([[float(v) for v in row[:-1]] for row in rows])
    species = np.array([names.index(row[-1]) for row in rows])
    return X, species, header[:-1], names


def us_macro() -> dict:
    """US quarterly macroeconomic series, 1959Q1-2009Q3 (203 quarters), as columns.

    Used in: notebooks/06_drift.ipynb (section "7. A drift report on real data: the US economy
    before and after 1984"); notebooks/08_where_kl_comes_from.ipynb (section "Data processing:
    merging bins never adds divergence").

    From statsmodels' ``macrodata`` (Federal Reserve Bank of St. Louis FRED
    and Bureau of Labor Statistics series; public domain). Keys: ``year``,
    ``quarter``, ``realgdp``, ``realcons``, ``realinv``, ``realgovt``,
    ``realdpi`` (billions of chained 2005 dollars, annual rate), ``cpi``,
    ``m1``, ``tbilrate`` (3-month T-bill rate, %), ``unemp``
    (unemployment rate, %), ``pop`` (millions), ``infl`` (annualised
    inflation, %, 0 in the first quarter where it is not available),
    ``realint`` (``tbilrate - infl``).

    Returns
    -------
    dict of str -> ndarray
        One float array per column (``year`` and ``quarter`` as integers).

    Examples
    --------
    >>> macro = us_macro()
    >>> len(macro["realgdp"]), int(macro["year"][0]), int(macro["year"][-1])
    (203, 1959, 2009)
    """
    header, rows = _read_csv("us_macro_quarterly.csv")
    columns = {name: np.array([float(row[i]) for row in rows]) for i, name in enumerate(header)}
    for name in ("year", "quarter"):
        columns[name] = columns[name].astype(int)
    return columns


def pride_and_prejudice() -> str:
    """The first 20 chapters of Jane Austen's *Pride and Prejudice* (1813), as one string.

    Used in: notebooks/02_bits_and_encoding.ipynb (section "6. Count the bits on real text: *Pride
    and Prejudice*"); notebooks/07_machine_learning.ipynb (section "1. Evaluating generated text
    with character distributions"); notebooks/08_where_kl_comes_from.ipynb (section "3. Mutual
    information is a KL divergence").

    Public domain (published 1813; the author died in 1817). Taken from the
    Project Gutenberg text as shipped in the ``janeaustenr`` 1.0.0 data
    package (Debian ``r-cran-janeaustenr``); see ``klteach/data/SOURCES.md``.
    Plain ASCII, with the original line breaks and the title lines; about
    200,000 characters.

    Examples
    --------
    >>> text = pride_and_prejudice()
    >>> text.splitlines()[0]
    'PRIDE AND PREJUDICE'
    >>> "It is a truth universally acknowledged" in text
    True
    """
    return _data_path("pride_and_prejudice_ch01-20.txt").read_text(encoding="utf-8")
